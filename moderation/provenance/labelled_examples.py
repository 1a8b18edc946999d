"""Reviewers' verdicts on article-original pairs, read out as labelled examples.

The same rows feed the admin download and `moderation feedback export`, so a tuning script
gets identical data from either.
"""

from sqlmodel import Session, select

from ..models import Article, MatchFeedback, Original, Publisher
from ..reports.exports import as_csv, as_json
from . import feedback

FIELDS = ("article_url", "original_url", "publisher", "verdict", "kind", "score",
          "article_coverage", "engine_version", "decided_at", "case_id")
FORMATS = ("csv", "json")


def rows(session: Session) -> list[dict]:
    """Every verdict, oldest first, with the pages' addresses rather than internal ids."""
    found = session.exec(
        select(MatchFeedback, Article.url, Original.url, Publisher.name)
        .join(Article, Article.id == MatchFeedback.article_id)
        .join(Original, Original.id == MatchFeedback.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .order_by(MatchFeedback.decided_at, MatchFeedback.id)).all()
    return [{
        "article_url": article_url, "original_url": original_url, "publisher": publisher or "",
        "verdict": row.verdict, "kind": row.kind, "score": row.score,
        "article_coverage": row.article_coverage, "engine_version": row.engine_version,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "case_id": row.case_id,
    } for row, article_url, original_url, publisher in found]


def render(session: Session, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use csv or json")
    found = rows(session)
    return as_json(found) if fmt == "json" else as_csv(found, FIELDS)


def judged(session: Session) -> list[feedback.Judged]:
    """Just what the threshold arithmetic needs, without reading the pages."""
    return [feedback.Judged(verdict, kind, score) for verdict, kind, score in session.exec(
        select(MatchFeedback.verdict, MatchFeedback.kind, MatchFeedback.score))]
