"""Finding cases by a piece of their text: subject, claimant name or e-mail, target page URLs.

The queue's search is "contains, ignoring case" over 100,000 cases and more, so it cannot read
every row per request. Migration 0007 gives each backend a trigram index over those columns:

- PostgreSQL: pg_trgm GIN indexes; ``ILIKE '%text%'`` uses them as they are.
- SQLite: FTS5 tables with the trigram tokenizer, whose content is the rows of "case" and
  "casetarget" (no copy), kept current by triggers on those tables. A quoted phrase matches
  the rows whose column contains it, case folded like PostgreSQL's ILIKE.

A trigram index needs three characters to look anything up. Shorter queries (two Chinese
characters make a common word) are matched by reading the tables: the same answer, slower
when the text is rare. Either way, LIKE on the rows decides what matches (see condition).

A later SQLite migration that rebuilds "case" or "casetarget" (Alembic's batch mode copies,
drops and renames the table) drops the triggers with the old table and must create them
again; tests/test_queue.py searches cases written after all migrations ran, so it notices.
"""

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..models import Case, CaseTarget

MIN_INDEXED = 3  # characters; a trigram index finds nothing for less
FEW = 1000  # matching cases that are looked up by id and sorted, rather than read in page order
FEW_UNINDEXED = 100  # the same for short text, whose count reads the tables: stop it sooner
CASE_FIELDS = ("subject", "claimant_name", "claimant_email")
ALL_FIELDS = (*CASE_FIELDS, "url")
CLAIMANT_FIELDS = ("claimant_name", "claimant_email")

# What migration 0007 makes that SQLModel cannot declare. The models-versus-migrations
# comparison leaves these names out (include_name below); everything else is compared.
CASE_FTS, TARGET_FTS = "case_search", "casetarget_search"
_FTS5_SHADOWS = ("data", "idx", "docsize", "config")  # no "_content": the tables hold it
PG_TRIGRAM_INDEXES = {
    "ix_case_subject_trgm": ("case", "subject"),
    "ix_case_claimant_name_trgm": ("case", "claimant_name"),
    "ix_case_claimant_email_trgm": ("case", "claimant_email"),
    "ix_casetarget_url_trgm": ("casetarget", "url"),
}
DATABASE_ONLY = {
    "table": {name for fts in (CASE_FTS, TARGET_FTS)
              for name in (fts, *(f"{fts}_{shadow}" for shadow in _FTS5_SHADOWS))},
    "index": set(PG_TRIGRAM_INDEXES),
}


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: compare everything but the search index objects."""
    return name not in DATABASE_ONLY.get(type_, ())


def like_pattern(text: str) -> str:
    """'%text%' with LIKE's own characters escaped (backslash), so they match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(text: str, fields: tuple[str, ...]) -> str:
    """An FTS5 query: the text as one quoted phrase, limited to the given columns."""
    phrase = '"' + text.replace('"', '""') + '"'
    return f"{{{' '.join(fields)}}} : {phrase}" if fields else phrase


def condition(session: Session, text: str, fields: tuple[str, ...] = ALL_FIELDS):
    """A WHERE condition on Case: one of the fields ("url": a target page's) contains text.

    A first query counts the matching cases, up to FEW, from the index. Few: the page looks
    them up by id and sorts them. Many: the page reads the queue in its own index order and
    keeps the matching rows, which fill a page long before the end. No single query lets the
    database tell the two apart in advance (SQLite would walk the whole queue for a rare name,
    or sort thousands of rows for a common one).
    """
    dialect = session.get_bind().dialect.name
    contains = _contains(text, fields, dialect)
    few = FEW if len(text) >= MIN_INDEXED else FEW_UNINDEXED
    probe = _candidates(text, fields, dialect).subquery()
    ids = session.execute(sa.select(probe.c[0]).limit(few + 1)).scalars().all()
    if not ids:
        return sa.false()
    if len(ids) <= few:
        return sa.and_(Case.id.in_(sorted(set(ids))), contains)
    return contains


def _contains(text: str, fields: tuple[str, ...], dialect: str):
    """The match itself, row by row: LIKE with case folded (SQLite's LIKE folds ASCII letters,
    as its lower() does; PostgreSQL's ILIKE folds all)."""
    pattern = like_pattern(text)
    found = [_like(getattr(Case, name), pattern, dialect) for name in fields if name != "url"]
    if "url" in fields:
        # A count, not EXISTS: PostgreSQL would turn EXISTS into one pass over every target
        # page (a "hashed SubPlan"), where this reads the one to three pages of each row read.
        found.append(sa.select(sa.func.count()).where(
            CaseTarget.case_id == Case.id, _like(CaseTarget.url, pattern, dialect))
            .scalar_subquery() > 0)
    return sa.or_(*found)


def _like(column, pattern: str, dialect: str):
    """ILIKE, or LIKE where it means the same and costs less (PostgreSQL's ILIKE lowercases
    each value: five times LIKE's time on a table scan)."""
    if dialect == "sqlite":  # its LIKE folds ASCII letters, as its lower() does
        return column.like(pattern, escape="\\")
    # On PostgreSQL the pattern is written into the statement (quoted by SQLAlchemy), not sent
    # as a parameter: once the driver has prepared a statement, PostgreSQL may plan it once
    # for any value, and that plan reads the trigram index also for one or two characters,
    # where it matches every row (230 ms instead of 40 on 100,000 cases), and also for text
    # found in thousands of cases. Written in, the text is planned for what it is.
    value = sa.bindparam(None, pattern, type_=sa.String, literal_execute=True)
    if pattern.lower() == pattern.upper():  # no letter with a case: Chinese, digits, marks
        return column.like(value, escape="\\")
    return column.ilike(value, escape="\\")


def _candidates(text: str, fields: tuple[str, ...], dialect: str):
    """Ids of cases that may match (each at least once), from an index where there is one.

    SQLite's FTS5 tables fold case beyond ASCII, so they may offer a few more cases than
    LIKE accepts; _contains decides. PostgreSQL answers ILIKE from the trigram indexes, or
    for short text by reading the tables.
    """
    columns = tuple(name for name in fields if name != "url")
    parts = []
    if dialect == "sqlite" and len(text) >= MIN_INDEXED:
        if columns:
            parts.append(sa.select(sa.literal_column("rowid").label("id"))
                         .select_from(sa.table(CASE_FTS))
                         .where(sa.literal_column(CASE_FTS).op("MATCH")(fts_phrase(text, columns))))
        if "url" in fields:
            search = sa.table(TARGET_FTS, sa.column("rowid"))
            parts.append(sa.select(CaseTarget.case_id)
                         .join(search, search.c.rowid == CaseTarget.id)
                         .where(sa.literal_column(TARGET_FTS).op("MATCH")(fts_phrase(text, ()))))
    else:
        inner = aliased(Case)  # its own FROM: not correlated with an outer "case"
        pattern = like_pattern(text)
        if columns:
            parts.append(sa.select(inner.id).where(sa.or_(
                *(_like(getattr(inner, name), pattern, dialect) for name in columns))))
        if "url" in fields:
            parts.append(sa.select(CaseTarget.case_id)
                         .where(_like(CaseTarget.url, pattern, dialect)))
    # UNION ALL streams, so the LIMIT stops it early; duplicates are harmless there.
    return parts[0] if len(parts) == 1 else sa.union_all(*parts)
