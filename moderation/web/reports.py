"""Reports: an overview of what the desk holds (full reports build on it)."""

from flask import Blueprint, render_template
from sqlmodel import func, select

from ..db import get_session
from ..models import Article, Case, MailMessage, Notice, Original, Provenance

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/")
def index():
    session = get_session()

    def count(model, *where):
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    figures = {
        "articles": count(Article),
        "articles_removed": count(Article, Article.status == "removed"),
        "originals": count(Original),
        "matches": count(Provenance, Provenance.kind != "none"),
        "uncredited": count(Provenance, Provenance.kind != "none", Provenance.attributed.is_(False)),
        "messages": count(MailMessage),
        "notices": count(Notice, Notice.kind.is_not(None)),
        "cases": count(Case),
    }
    by_status = session.exec(select(Case.status, func.count()).group_by(Case.status)).all()
    return render_template("reports/index.html", figures=figures, by_status=by_status)
