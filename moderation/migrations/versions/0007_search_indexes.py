"""search indexes for the queue: pg_trgm GIN on PostgreSQL, FTS5 trigram tables on SQLite

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 16:30:00

The queue searches subject, claimant name and e-mail, and target URLs for a substring,
ignoring case (moderation/casesearch.py). SQLModel cannot declare these objects, so they
live here only; tests/test_models.py leaves exactly these names out of its comparison.

SQLite: FTS5 external-content tables read their text from "case" and "casetarget" and
triggers keep them current. A later batch migration that rebuilds either table drops its
triggers with it and must create them again (see _SQLITE_TRIGGERS).

PostgreSQL: the GIN indexes are written at each insert (fastupdate off). With GIN's default
pending list, new rows wait in a list that every search reads in full until a vacuum (or 4 MB
of them) moves them into the index, and the planner, seeing the list, may scan the table
instead: cases arrive a few an hour and are searched all day. pg_trgm is installed into "public" when it is missing (not into the desk's own
schema: dropping a schema must never drop an extension other schemas' indexes use), and the
operator class is named with its schema, so any search_path works. Where the extension
cannot be had, the search still works without the indexes, only slower: the migration says
so in the log and goes on.
"""
import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

_PG_INDEXES = {
    "ix_case_subject_trgm": ("case", "subject"),
    "ix_case_claimant_name_trgm": ("case", "claimant_name"),
    "ix_case_claimant_email_trgm": ("case", "claimant_email"),
    "ix_casetarget_url_trgm": ("casetarget", "url"),
}
_CASE_COLUMNS = "subject, claimant_name, claimant_email"
_OLD_CASE = "old.subject, old.claimant_name, old.claimant_email"
_NEW_CASE = "new.subject, new.claimant_name, new.claimant_email"
_SQLITE_TABLES = (
    f"CREATE VIRTUAL TABLE case_search USING fts5({_CASE_COLUMNS}, content='case', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE casetarget_search USING fts5(url, content='casetarget', "
    "content_rowid='id', tokenize='trigram')",
)
# External content: the index is told what a row held before it changed ('delete' with the
# old values) and what it holds now. Updates of other columns (status, ...) do not fire.
_SQLITE_TRIGGERS = {
    "case_search_insert": f"""CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN
  INSERT INTO case_search(rowid, {_CASE_COLUMNS}) VALUES (new.id, {_NEW_CASE});
END""",
    "case_search_delete": f"""CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN
  INSERT INTO case_search(case_search, rowid, {_CASE_COLUMNS})
  VALUES ('delete', old.id, {_OLD_CASE});
END""",
    "case_search_update": f"""CREATE TRIGGER case_search_update
AFTER UPDATE OF id, {_CASE_COLUMNS} ON "case" BEGIN
  INSERT INTO case_search(case_search, rowid, {_CASE_COLUMNS})
  VALUES ('delete', old.id, {_OLD_CASE});
  INSERT INTO case_search(rowid, {_CASE_COLUMNS}) VALUES (new.id, {_NEW_CASE});
END""",
    "casetarget_search_insert": """CREATE TRIGGER casetarget_search_insert
AFTER INSERT ON casetarget BEGIN
  INSERT INTO casetarget_search(rowid, url) VALUES (new.id, new.url);
END""",
    "casetarget_search_delete": """CREATE TRIGGER casetarget_search_delete
AFTER DELETE ON casetarget BEGIN
  INSERT INTO casetarget_search(casetarget_search, rowid, url) VALUES ('delete', old.id, old.url);
END""",
    "casetarget_search_update": """CREATE TRIGGER casetarget_search_update
AFTER UPDATE OF id, url ON casetarget BEGIN
  INSERT INTO casetarget_search(casetarget_search, rowid, url) VALUES ('delete', old.id, old.url);
  INSERT INTO casetarget_search(rowid, url) VALUES (new.id, new.url);
END""",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql_upgrade(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS case_search")
        op.execute("DROP TABLE IF EXISTS casetarget_search")
    elif bind.dialect.name == "postgresql":
        for name in _PG_INDEXES:
            op.execute(f'DROP INDEX IF EXISTS "{name}"')
        # pg_trgm stays: other schemas or databases' objects may use it.


def _sqlite_upgrade(bind) -> None:
    version = bind.exec_driver_sql("SELECT sqlite_version()").scalar()
    if tuple(int(part) for part in version.split(".")[:2]) < (3, 34):
        raise RuntimeError(f"the queue's search index needs SQLite 3.34 or newer (FTS5 trigram "
                           f"tokenizer); this Python uses SQLite {version}")
    for statement in (*_SQLITE_TABLES, *_SQLITE_TRIGGERS.values()):
        op.execute(statement)
    # Index the rows already there.
    op.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")
    op.execute("INSERT INTO casetarget_search(casetarget_search) VALUES ('rebuild')")


def _trgm_schema(bind) -> str | None:
    return bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()


def _postgresql_upgrade(bind) -> None:
    # Two databases migrating at once (tests, benchmarks) must not both create the extension.
    bind.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('moderation: pg_trgm'))")
    schema = _trgm_schema(bind)
    if schema is None:
        available = bind.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").scalar()
        if not available:
            log.warning("pg_trgm is not available on this server (install the PostgreSQL "
                        "contrib package): the queue's search works, without an index")
            return
        public = bind.exec_driver_sql(
            "SELECT 1 FROM pg_namespace WHERE nspname = 'public'").scalar()
        target = "public" if public else bind.exec_driver_sql("SELECT current_schema()").scalar()
        try:
            with bind.begin_nested():
                bind.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "{target}"')
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            log.warning("cannot install pg_trgm (%s): the queue's search works, without an "
                        "index (a superuser can install it, then run this revision again)",
                        reason)
            return
        schema = _trgm_schema(bind)
    for name, (table, column) in _PG_INDEXES.items():
        op.execute(f'CREATE INDEX "{name}" ON "{table}" '
                   f'USING gin ("{column}" "{schema}".gin_trgm_ops) WITH (fastupdate = off)')
