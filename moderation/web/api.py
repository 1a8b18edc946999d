"""The machine API for the site's CMS: token auth, JSON only (no cookies, no CSRF)."""

from datetime import UTC, datetime

from flask import Blueprint, jsonify, request
from sqlmodel import select

from ..accounts.tokens import check_token
from ..models import Article, Decision, utcnow
from ..plumbing.db import get_session

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(status: int, message: str, *, challenge: str | None = None):
    response = jsonify(error=message)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if challenge is not None:
        response.headers["WWW-Authenticate"] = challenge
    return response


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def parse_since(value: str) -> datetime:
    """An ISO-8601 time or date; without a zone it is read as UTC."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        # An unencoded "+01:00" arrives as " 01:00" in a query string.
        moment = datetime.fromisoformat(value.replace(" ", "+"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _removing_cases(session, article_ids: list[int]) -> dict[int, int]:
    """For each article, the case of its latest standing decision to remove it."""
    if not article_ids:
        return {}
    rows = session.exec(
        select(Decision.article_id, Decision.case_id)
        .where(Decision.article_id.in_(article_ids), Decision.action.in_(("remove", "partial")),
               Decision.superseded.is_(False))
        .order_by(Decision.decided_at, Decision.id)
    )
    return dict(rows.all())  # later decisions overwrite earlier ones


@bp.get("/removed.json")
def removed():
    """Articles the desk has taken down, for the site to hide; `?since=` for the recent ones."""
    session = get_session()
    plain = _bearer()
    if plain is None:
        return _error(401, "an API token is required: send 'Authorization: Bearer <token>'",
                      challenge='Bearer realm="moderation desk"')
    if check_token(session, plain) is None:
        session.rollback()
        return _error(401, "this API token is unknown or has been revoked",
                      challenge='Bearer realm="moderation desk", error="invalid_token"')
    session.commit()
    query = select(Article).where(Article.status == "removed")
    since = request.args.get("since")
    if since is not None:
        try:
            query = query.where(Article.removed_at >= parse_since(since))
        except ValueError:
            return _error(400, f"since must be an ISO-8601 time such as "
                               f"2024-05-01T00:00:00Z, not {since!r}")
    articles = session.exec(query.order_by(Article.removed_at, Article.id)).all()
    cases = _removing_cases(session, [a.id for a in articles])
    response = jsonify(
        generated_at=utcnow().isoformat(),
        articles=[{"url": a.url, "article_id": a.id, "status": a.status,
                   "removed_at": a.removed_at.isoformat() if a.removed_at else None,
                   "case_id": cases.get(a.id)} for a in articles],
    )
    response.headers["Cache-Control"] = "no-store"
    return response
