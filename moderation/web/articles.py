"""Our articles: list and detail."""

from flask import Blueprint, abort, render_template, request
from sqlmodel import func, or_, select

from ..models import ARTICLE_STATUSES, Article, Original, Provenance, Publisher
from ..plumbing.db import get_session
from .library import handle_import, raw_source
from .security import admin_required

bp = Blueprint("articles", __name__, url_prefix="/articles")
PAGE_SIZE = 50


@bp.route("/")
def index():
    session = get_session()
    q = request.args.get("q", "").strip()[:200]
    status = request.args.get("status", "")
    source = request.args.get("source", "").strip()[:300]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(Article)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Article.title.ilike(like), Article.url.ilike(like)))
    if status in ARTICLE_STATUSES:
        query = query.where(Article.status == status)
    if source:
        query = query.where(Article.claimed_source == source)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    articles = session.exec(
        query.order_by(Article.published_at.desc(), Article.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    sources = session.exec(
        select(Article.claimed_source).where(Article.claimed_source.is_not(None))
        .group_by(Article.claimed_source).order_by(func.count().desc()).limit(200)
    ).all()
    return render_template(
        "articles/index.html", articles=articles, q=q, status=status, page=page,
        total=total, page_size=PAGE_SIZE, statuses=ARTICLE_STATUSES, source=source,
        sources=sources,
    )


@bp.route("/<int:article_id>")
def detail(article_id: int):
    session = get_session()
    article = session.get(Article, article_id) or abort(404)
    matches = session.exec(
        select(Provenance, Original, Publisher)
        .join(Original, Original.id == Provenance.original_id)
        .outerjoin(Publisher, Publisher.id == Original.publisher_id)
        .where(Provenance.article_id == article.id)
        .order_by(Provenance.score.desc())
    ).all()
    return render_template("articles/detail.html", article=article, matches=matches)


@bp.route("/<int:article_id>/evidence/<int:original_id>")
def evidence(article_id: int, original_id: int):
    from ..provenance import evidence as layout

    session = get_session()
    article = session.get(Article, article_id) or abort(404)
    original = session.get(Original, original_id) or abort(404)
    publisher = session.get(Publisher, original.publisher_id) if original.publisher_id else None
    return render_template("articles/evidence.html", article=article, original=original,
                           publisher=publisher, evidence=layout.build(article, original))


@bp.route("/<int:article_id>/raw")
def raw(article_id: int):
    article = get_session().get(Article, article_id) or abort(404)
    source = raw_source(article.raw_id) or abort(404)
    return render_template("library/raw.html", item=article, source=source,
                           back="articles.detail", back_args={"article_id": article.id})


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def upload():
    return handle_import("article")
