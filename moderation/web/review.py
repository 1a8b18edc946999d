"""Decisions on review items raised by matching (a thin POST over review_decisions)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import cases
from ..cases import decisions
from ..models import Case
from ..plumbing import labels
from ..plumbing.db import get_session
from ..provenance import review_decisions
from .forms import EmptyForm

bp = Blueprint("review", __name__, url_prefix="/cases")


@bp.route("/<int:case_id>/review", methods=["POST"])
def decide(case_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    case = session.get(Case, case_id) or abort(404)
    version, licence = request.form.get("version", ""), request.form.get("licence", "")
    if not version.isdigit():
        abort(400)
    action = request.form.get("action", "")
    try:
        review_decisions.decide_review(
            session, case, user=current_user._get_current_object(), version=int(version),
            action=action, note=request.form.get("note", "")[:5000],
            licence_id=int(licence) if licence.isdigit() else None,
            credit_line=request.form.get("credit_line", "")[:300])
        session.commit()
    except cases.CaseConflict:
        session.rollback()
        return render_template("errors/409.html", code=409), 409
    except (cases.CaseError, decisions.DecisionError) as exc:
        session.rollback()
        flash(_("Not done: %(reason)s", reason=str(exc)), "error")
    else:
        flash(_("Recorded: %(action)s.", action=labels.label(labels.REVIEW_ACTION, action)),
              "success")
    return redirect(url_for("cases.detail", case_id=case_id))
