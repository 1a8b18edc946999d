"""Admin: what reviewers' verdicts say about score thresholds, and the labelled examples."""

from flask import Blueprint, current_app, render_template, request

from ..plumbing.db import get_session
from ..provenance import feedback, labelled_examples
from .security import admin_required

bp = Blueprint("thresholds", __name__, url_prefix="/admin")


def engine_min_score() -> float | None:
    """The matching engine's floor, if the engine is installed in this build."""
    try:
        from ..matching.comparison import MIN_SCORE
    except ImportError:
        return None
    return float(MIN_SCORE)


@bp.route("/thresholds")
@admin_required
def index():
    asked = request.args.get("target", "").strip()[:20]
    target = feedback.parse_target(asked) if asked else feedback.DEFAULT_TARGET
    bad_target = target is None
    target = target or feedback.DEFAULT_TARGET
    summaries = feedback.summarise(labelled_examples.judged(get_session()), target)
    return render_template(
        "admin/thresholds.html", summaries=summaries, target=target, asked=asked,
        bad_target=bad_target, uncertain_below=current_app.config.get("REVIEW_UNCERTAIN_BELOW"),
        min_score=engine_min_score(), judged=summaries[-1].judged)


@bp.route("/thresholds/feedback.<any(csv, json):fmt>")
@admin_required
def export(fmt: str):
    body = labelled_examples.render(get_session(), fmt)
    media = "application/json" if fmt == "json" else "text/csv"
    return current_app.response_class(body, mimetype=media, headers={
        "Content-Disposition": f'attachment; filename="labelled-examples.{fmt}"'})
