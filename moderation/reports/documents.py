"""A report as a file: JSON, CSV or a self-contained HTML page with its charts."""

from pathlib import Path

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlmodel import Session

from ..plumbing import labels
from ..replies import reasons
from . import charts, redacted
from .exports import as_csv, as_json
from .period import Period
from .photos import PHOTO_FIELDS, photo_agencies, photo_rows, photos_report
from .provenance import COPY_KINDS, PROVENANCE_FIELDS, provenance_report, provenance_rows
from .transparency import TRANSPARENCY_FIELDS, transparency_report, transparency_table

REPORTS = ("provenance", "transparency", "photos")
FORMATS = ("json", "csv", "html")
CHART_PUBLISHERS = 15
REJECTION = {"incomplete": _l("Incomplete notice"), "abusive": _l("Manifestly unfounded or abusive"),
             "not_our_content": _l("Not our content"), "not_infringing": _l("No infringement found"),
             "licensed": _l("Published under a licence"), "spam": _l("Spam"),
             "other": _l("Other reason")}
OUTCOME = {"counter_notices": _l("Counter-notices received"),
           "restorations": _l("Removals put back"), "upheld": _l("Removals upheld"),
           "withdrawn": _l("Notices withdrawn")}


def terms() -> dict:
    """Names for the report's codes in the reader's language, for the templates."""
    language = "zh" if str(get_locale()).startswith("zh") else "en"
    return {"rejection": lambda code: labels.label(REJECTION, code),
            "outcome": lambda code: labels.label(OUTCOME, code),
            "reason": lambda code: reasons.reason_label(code, language),
            "jurisdiction": lambda code: _("Unknown") if code == "unknown"
            else labels.label(labels.JURISDICTION, code)}


def provenance_charts(report: dict) -> dict[str, Markup | None]:
    """Copies per publisher by kind, and the kinds of copy overall."""
    top = report["publishers"][:CHART_PUBLISHERS]
    names = [row["publisher"] or _("Unknown publisher") for row in top]
    kinds = report["summary"]["kinds"]
    return photo_charts(report) | {
        "publishers": charts.bars(_("Copies per publisher"), names, {
            labels.label(labels.KIND, kind): [row[kind] for row in top] for kind in COPY_KINDS}),
        "kinds": charts.bars(_("Verbatim, excerpt, edited, rewritten, translation"),
                             [labels.label(labels.KIND, kind) for kind in COPY_KINDS],
                             {_("Copies"): [kinds[kind] for kind in COPY_KINDS]},
                             stacked=False),
    }


def photo_charts(report: dict) -> dict[str, Markup | None]:
    """Photos per agency: credited, licensed, neither."""
    agencies = report.get("photo_agencies", report.get("agencies", []))[:CHART_PUBLISHERS]
    return {"photos": charts.bars(
        _("Photos per agency"), [row["publisher"] for row in agencies],
        {_("Credited"): [row["credited"] for row in agencies],
         _("Licensed"): [row["licensed"] for row in agencies],
         _("Neither credited nor licensed"): [row["neither"] for row in agencies]},
        stacked=False)}


def transparency_charts(report: dict) -> dict[str, Markup | None]:
    """Notices and decisions month by month."""
    months = report["months"]
    return {"months": charts.timeline(
        _("Notices and decisions over time"), [row["month"] for row in months],
        {_("Notices received"): [row["notices"] for row in months],
         _("Decisions"): [row["decisions"] for row in months]})}


def build(session: Session, name: str, period: Period | None = None,
          source: str | None = None) -> dict:
    """The figures of one report."""
    if name == "provenance":
        report = provenance_report(session, period, source)
        report["photo_agencies"] = photo_agencies(photo_rows(session))
        return report
    if name == "photos":
        return photos_report(session)
    return transparency_report(session, period)


def chart_set(name: str, report: dict) -> dict[str, Markup | None]:
    if name == "photos":
        return photo_charts(report)
    return provenance_charts(report) if name == "provenance" else transparency_charts(report)


def render(session: Session, name: str, fmt: str, period: Period | None = None,
           source: str | None = None, redact: bool = True) -> str:
    """The report as text in the asked format (call inside an application context).

    The transparency report's files leave private claimants' addresses out unless ``redact``
    is false (reports/redacted.py); the provenance report holds no personal data.
    """
    if name not in REPORTS or fmt not in FORMATS:
        raise ValueError(f"unknown report {name!r} or format {fmt!r}")
    if name == "provenance" and fmt != "html":
        # The per-article table: the command's JSON and CSV form, kept stable for scripts.
        rows = provenance_rows(session, period, source)
        return as_json(rows) if fmt == "json" else as_csv(rows, PROVENANCE_FIELDS)
    if name == "photos" and fmt != "html":
        rows = [{key: row[key] for key in PHOTO_FIELDS} for row in photo_rows(session)]
        return as_json(rows) if fmt == "json" else as_csv(rows, PHOTO_FIELDS)
    report = build(session, name, period, source)
    if redact and name == "transparency":
        report = redacted.transparency(session, report, current_app.config)
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(transparency_table(report), TRANSPARENCY_FIELDS)
    css = (Path(current_app.static_folder) / "desk.css").read_text(encoding="utf-8")
    with current_app.test_request_context("/reports/"):
        return render_template("reports/standalone.html", name=name, report=report,
                               charts=chart_set(name, report), css=Markup(css), terms=terms())
