"""The provenance report: whom we copy from, how, and whether we credit them."""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func, select

from ..cases.casefile import publisher_strikes
from ..library import licences
from ..models import (
    Article,
    CaseTarget,
    Licence,
    Original,
    Provenance,
    Publisher,
    PublisherDomain,
    utcnow,
)
from .period import Period

PROVENANCE_FIELDS = ("article_url", "article_title", "claimed_source", "original_url",
                     "publisher", "kind", "score", "article_coverage", "original_coverage",
                     "attributed", "engine_version")
PUBLISHER_FIELDS = ("publisher", "domains", "articles_taken", "credited", "share_credited",
                    "characters", "verbatim", "excerpt", "edited", "rewritten", "translation",
                    "notices",
                    "strikes", "licence")
# Possible rewrites (models.is_possible_rewrite) are review items, not provenance: left out.
COPY_KINDS = ("verbatim", "excerpt", "edited", "rewritten", "translation")
# Longest lists a report shows; the totals are always given in full.
LIST_LIMIT = 100


def article_date():
    """When an article counts for a period: its publication time, else when it was imported."""
    return func.coalesce(Article.published_at, Article.created_at)


def article_filter(period: Period | None = None, source: str | None = None) -> list:
    conditions = (period or Period()).where(article_date())
    if source:
        conditions.append(Article.claimed_source == source)
    return conditions


def provenance_rows(session: Session, period: Period | None = None,
                    source: str | None = None) -> list[dict]:
    """One row per article-original pair kept; articles without a match once, kind "none"."""
    # Plain columns, not whole rows: texts and segments would be read for nothing.
    matched = session.exec(
        select(Article.url, Article.title, Article.claimed_source, Original.url, Publisher.name,
               Provenance.kind, Provenance.score, Provenance.article_coverage,
               Provenance.original_coverage, Provenance.attributed, Provenance.engine_version,
               Provenance.id)
        .select_from(Article)
        .outerjoin(Provenance, Provenance.article_id == Article.id)
        .outerjoin(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .where(*article_filter(period, source))
        .order_by(Article.id, Provenance.score.desc())
    )
    rows = []
    for (url, title, claimed, original_url, publisher, kind, score, article_coverage,
         original_coverage, attributed, engine_version, prov_id) in matched:
        row = {"article_url": url, "article_title": title, "claimed_source": claimed,
               "original_url": None, "publisher": None, "kind": "none", "score": 0.0,
               "article_coverage": 0.0, "original_coverage": 0.0, "attributed": False,
               "engine_version": None}
        if prov_id is not None:
            row.update(original_url=original_url, publisher=publisher, kind=kind, score=score,
                       article_coverage=article_coverage, original_coverage=original_coverage,
                       attributed=attributed, engine_version=engine_version)
        rows.append(row)
    return rows


def _copies(period: Period | None, source: str | None):
    """Provenance rows that are real copies, of the articles the filters keep."""
    return (select(Provenance.id).join(Article, Article.id == Provenance.article_id)
            .where(Provenance.established(), *article_filter(period, source)))


def publisher_notices(session: Session):
    """A subquery: per publisher, the cases ever opened about its originals."""
    return (select(Original.publisher_id.label("publisher_id"),
                   func.count(func.distinct(CaseTarget.case_id)).label("notices"))
            .join(CaseTarget, CaseTarget.original_id == Original.id)
            .where(Original.publisher_id.is_not(None))
            .group_by(Original.publisher_id).subquery())


def summary(session: Session, period: Period | None, source: str | None) -> dict:
    where = article_filter(period, source)
    articles = session.exec(select(func.count()).select_from(Article).where(*where)).one()
    copies = session.exec(
        select(func.count(), func.count(func.distinct(Provenance.article_id)),
               func.sum(sa.case((Provenance.attributed.is_(False), 1), else_=0)))
        .join(Article, Article.id == Provenance.article_id)
        .where(Provenance.established(), *where)).one()
    uncredited_articles = session.exec(
        select(func.count(func.distinct(Provenance.article_id)))
        .join(Article, Article.id == Provenance.article_id)
        .where(Provenance.established(), Provenance.attributed.is_(False), *where)).one()
    kinds = dict(session.exec(
        select(Provenance.kind, func.count()).join(Article, Article.id == Provenance.article_id)
        .where(Provenance.established(), *where).group_by(Provenance.kind)).all())
    return {"articles": articles, "matched": copies[1], "unmatched": articles - copies[1],
            "copies": copies[0], "uncredited_copies": int(copies[2] or 0),
            "uncredited_articles": uncredited_articles,
            "kinds": {kind: kinds.get(kind, 0) for kind in COPY_KINDS}}


def publishers(session: Session, period: Period | None, source: str | None) -> list[dict]:
    """Per publisher copied from: articles taken, share credited, text volume, notices, strikes."""
    per_kind = [func.sum(sa.case((Provenance.kind == kind, 1), else_=0)) for kind in COPY_KINDS]
    rows = session.exec(
        select(Original.publisher_id, func.count(func.distinct(Provenance.article_id)),
               func.count(func.distinct(sa.case((Provenance.attributed.is_(True),
                                                 Provenance.article_id)))),
               func.sum(func.length(Original.text) * Provenance.original_coverage), *per_kind)
        .join(Original, Original.id == Provenance.original_id)
        .where(Provenance.id.in_(_copies(period, source)))
        .group_by(Original.publisher_id)).all()
    ids = {row[0] for row in rows if row[0] is not None}
    names = dict(session.exec(select(Publisher.id, Publisher.name)
                              .where(Publisher.id.in_(ids))).all()) if ids else {}
    domains = dict(session.exec(
        select(PublisherDomain.publisher_id, func.count()).where(
            PublisherDomain.publisher_id.in_(ids)).group_by(PublisherDomain.publisher_id)
    ).all()) if ids else {}
    notices_sub = publisher_notices(session)
    notices = dict(session.exec(select(notices_sub.c.publisher_id, notices_sub.c.notices)
                                .where(notices_sub.c.publisher_id.in_(ids))).all()) if ids else {}
    strikes = publisher_strikes(session, ids)
    licensed = licensed_publishers(session)
    result = []
    for publisher_id, taken, credited, characters, *kinds in rows:
        name = names.get(publisher_id)
        result.append({
            "publisher": name, "domains": domains.get(publisher_id, 0), "articles_taken": taken,
            "credited": credited, "share_credited": round(credited / taken, 4) if taken else 0.0,
            "characters": int(round(characters or 0)),
            **{kind: int(n or 0) for kind, n in zip(COPY_KINDS, kinds, strict=True)},
            "notices": notices.get(publisher_id, 0),
            "strikes": strikes.get(name, 0) if name else 0,
            "licence": licensed.get(publisher_id),
        })
    result.sort(key=lambda row: (-row["articles_taken"], row["publisher"] or "\uffff"))
    return result


def licensed_publishers(session: Session, on: date | None = None) -> dict[int, str]:
    """Publishers with a licence in force on this day, and its kind (licences.py's rule)."""
    on = on or utcnow().date()
    found: dict[int, str] = {}
    for licence in session.exec(select(Licence).where(Licence.revoked_at.is_(None))
                                .order_by(Licence.id.desc())):
        if licences.is_valid(licence, on):
            found.setdefault(licence.publisher_id, licence.kind)
    return found


def _row(article: Article, prov: Provenance, publisher: Publisher | None, **extra) -> dict:
    return {"article_url": article.url, "article_title": article.title,
            "claimed_source": article.claimed_source,
            "publisher": publisher.name if publisher else None, "kind": prov.kind,
            "score": round(prov.score, 4), "article_coverage": round(prov.article_coverage, 4),
            **extra}


def uncredited(session: Session, period: Period | None, source: str | None,
               limit: int = LIST_LIMIT) -> list[dict]:
    """Copies whose publisher we did not credit, best evidence first."""
    rows = session.exec(
        select(Article, Provenance, Publisher).join(Article, Article.id == Provenance.article_id)
        .join(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .where(Provenance.established(), Provenance.attributed.is_(False),
               *article_filter(period, source))
        .order_by(Provenance.score.desc(), Article.id).limit(limit)).all()
    return [_row(article, prov, publisher) for article, prov, publisher in rows]


def at_risk(session: Session, period: Period | None, source: str | None,
            limit: int = LIST_LIMIT) -> tuple[int, list[dict]]:
    """Articles still online that copy, uncredited, a publisher who has sent notices before.

    Ranked by that publisher's notices, then by the strength of the match. Publishers with a
    licence in force are left out (its limits are checked per article on review items and by
    the pre-publication check).
    """
    notices = publisher_notices(session)
    licensed = list(licensed_publishers(session))
    query = (select(Article, Provenance, Publisher, notices.c.notices)
             .join(Article, Article.id == Provenance.article_id)
             .join(Original, Original.id == Provenance.original_id)
             .join(Publisher, Publisher.id == Original.publisher_id)
             .join(notices, notices.c.publisher_id == Publisher.id)
             .where(Provenance.established(), Provenance.attributed.is_(False),
                    Article.status != "removed", Publisher.id.not_in(licensed),
                    *article_filter(period, source)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(notices.c.notices.desc(), Provenance.score.desc(),
                                       Article.id).limit(limit)).all()
    return total, [_row(article, prov, publisher, publisher_notices=n)
                   for article, prov, publisher, n in rows]


def unmatched(session: Session, period: Period | None, source: str | None,
              limit: int = LIST_LIMIT) -> list[dict]:
    """Articles with no known original, newest first."""
    copied = select(Provenance.article_id).where(Provenance.established())
    rows = session.exec(
        select(Article).where(Article.id.not_in(copied), *article_filter(period, source))
        .order_by(article_date().desc(), Article.id.desc()).limit(limit)).all()
    return [{"article_url": a.url, "article_title": a.title, "claimed_source": a.claimed_source,
             "published_at": a.published_at.isoformat() if a.published_at else None}
            for a in rows]


def provenance_report(session: Session, period: Period | None = None,
                      source: str | None = None) -> dict:
    """Every figure of the provenance report, as plain values (also its JSON form)."""
    period = period or Period()
    risky_total, risky = at_risk(session, period, source)
    return {"report": "provenance", "period": period.as_dict(), "source": source or None,
            "summary": summary(session, period, source) | {"at_risk": risky_total},
            "publishers": publishers(session, period, source),
            "uncredited": uncredited(session, period, source), "at_risk": risky,
            "unmatched": unmatched(session, period, source)}


def sources(session: Session, limit: int = 200) -> list[str]:
    """Credited sources to filter by, most frequent first."""
    return list(session.exec(
        select(Article.claimed_source).where(Article.claimed_source.is_not(None))
        .group_by(Article.claimed_source).order_by(func.count().desc(), Article.claimed_source)
        .limit(limit)).all())
