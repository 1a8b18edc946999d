"""Reports: an overview, the provenance and transparency reports, exports and stored runs."""

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from sqlmodel import func, select

from .. import reports
from ..models import Article, Case, MailMessage, Notice, Original, Provenance
from ..plumbing.db import get_session
from ..reports import documents, runs
from ..reports.provenance import PUBLISHER_FIELDS, publishers, sources

bp = Blueprint("reports", __name__, url_prefix="/reports")
EXPORTS = ("provenance", "publishers", "transparency")


@bp.route("/")
def index():
    session = get_session()

    def count(model, *where):
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    figures = {
        "articles": count(Article),
        "articles_removed": count(Article, Article.status == "removed"),
        "originals": count(Original),
        "matches": count(Provenance, Provenance.established()),
        "uncredited": count(Provenance, Provenance.established(), Provenance.attributed.is_(False)),
        "messages": count(MailMessage),
        "notices": count(Notice, Notice.kind.is_not(None)),
        "cases": count(Case),
    }
    by_status = session.exec(select(Case.status, func.count()).group_by(Case.status)).all()
    return render_template("reports/index.html", figures=figures, by_status=by_status,
                           runs=runs.latest(session))


def _filters() -> tuple[reports.Period, dict]:
    """The period and credited source asked for; a bad date is said and left out."""
    args = {key: request.args.get(key, "").strip()[:40] for key in ("since", "until")}
    args["source"] = request.args.get("source", "").strip()[:300]
    try:
        return reports.Period.from_dates(args["since"], args["until"]), args
    except ValueError:
        flash(_("The period was not understood; give dates like 2024-01-31."), "error")
        return reports.Period(), {**args, "since": "", "until": ""}


@bp.route("/provenance")
def provenance():
    session = get_session()
    period, args = _filters()
    report = reports.build(session, "provenance", period, args["source"] or None)
    return render_template("reports/provenance.html", report=report, args=args,
                           charts=reports.chart_set("provenance", report),
                           sources=sources(session), terms=documents.terms())


@bp.route("/transparency")
def transparency():
    period, args = _filters()
    report = reports.build(get_session(), "transparency", period)
    return render_template("reports/transparency.html", report=report, args=args,
                           charts=reports.chart_set("transparency", report),
                           terms=documents.terms())


@bp.route("/<any(provenance, publishers, transparency):name>.<any(csv, json):fmt>")
def export(name: str, fmt: str):
    """A report as CSV or JSON, with the filters of the page it was asked from."""
    session = get_session()
    period, args = _filters()
    source = args["source"] or None
    if name == "publishers":
        rows = publishers(session, period, source)
        body = reports.as_json(rows) if fmt == "json" else reports.as_csv(rows, PUBLISHER_FIELDS)
    else:
        body = reports.render(session, name, fmt, period, source)
    media = "application/json" if fmt == "json" else "text/csv"
    return current_app.response_class(body, mimetype=media, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.route("/runs/<name>")
def run_file(name: str):
    """A stored report, by the name its run recorded; nothing else in the folder is served."""
    if not runs.SAFE_NAME.match(name):
        abort(404)
    path = runs.folder(current_app.instance_path) / name
    if not path.is_file():
        abort(404)
    fmt = path.suffix[1:]
    disposition = "inline" if fmt == "html" else "attachment"
    response = current_app.response_class(path.read_bytes(), mimetype=runs.MEDIA_TYPES[fmt],
                                          headers={"Content-Disposition":
                                                   f'{disposition}; filename="{name}"'})
    # A stored HTML report is our own markup, but it is shown with nothing allowed to run.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    return response
