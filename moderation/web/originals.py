"""Publishers' originals: list and detail."""

from flask import Blueprint, abort, render_template, request
from sqlmodel import func, or_, select

from ..models import Article, Original, Provenance, Publisher
from ..plumbing.db import get_session
from .library import handle_import, raw_source
from .security import admin_required

bp = Blueprint("originals", __name__, url_prefix="/originals")
PAGE_SIZE = 50


@bp.route("/")
def index():
    session = get_session()
    q = request.args.get("q", "").strip()[:200]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(Original, Publisher).outerjoin(Publisher, Publisher.id == Original.publisher_id)
    if q:
        like = f"%{q}%"
        query = query.where(
            or_(Original.title.ilike(like), Original.url.ilike(like), Publisher.name.ilike(like))
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(Original.published_at.desc(), Original.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return render_template(
        "originals/index.html", rows=rows, q=q, page=page, total=total, page_size=PAGE_SIZE
    )


@bp.route("/<int:original_id>")
def detail(original_id: int):
    session = get_session()
    original = session.get(Original, original_id) or abort(404)
    publisher = session.get(Publisher, original.publisher_id) if original.publisher_id else None
    copies = session.exec(
        select(Provenance, Article)
        .join(Article, Article.id == Provenance.article_id)
        .where(Provenance.original_id == original.id)
        .order_by(Provenance.score.desc())
    ).all()
    return render_template(
        "originals/detail.html", original=original, publisher=publisher, copies=copies
    )


@bp.route("/<int:original_id>/raw")
def raw(original_id: int):
    original = get_session().get(Original, original_id) or abort(404)
    source = raw_source(original.raw_id) or abort(404)
    return render_template("library/raw.html", item=original, source=source,
                           back="originals.detail", back_args={"original_id": original.id})


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def upload():
    return handle_import("original")
