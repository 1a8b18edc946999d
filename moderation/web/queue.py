"""The review queue: the home page after sign-in."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import queueing
from ..db import get_session
from ..models import CASE_KINDS, CASE_STATUSES, utcnow
from .forms import EmptyForm

bp = Blueprint("queue", __name__)
BULK_ACTIONS = ("assign_me", "spam", "duplicate", "reject_incomplete")


def _filter_from_args(args) -> queueing.QueueFilter:
    flag = lambda name: args.get(name) in ("1", "on", "true")  # noqa: E731
    sort = args.get("sort", "due")
    return queueing.QueueFilter(
        status=args.get("status", "open")[:20], kind=args.get("kind", "")[:20],
        mine=flag("mine"), unassigned=flag("unassigned"),
        verdict=args.get("verdict", "") if args.get("verdict") in queueing.VERDICTS else "",
        jurisdiction=args.get("jurisdiction", "")[:4], overdue=flag("overdue"),
        claimant=args.get("claimant", "").strip()[:200], q=args.get("q", "").strip()[:200],
        sort=sort if sort in queueing.SORTS else "due", after=args.get("after", "")[:80],
        user_id=current_user.id,
    )


@bp.route("/")
def index():
    session = get_session()
    spec = _filter_from_args(request.args)
    now = utcnow()
    try:
        rows, next_cursor = queueing.page(session, spec, now)
    except ValueError:  # a hand-edited cursor
        abort(400)
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template(
        "queue/index.html", rows=rows, next_cursor=next_cursor, spec=spec, args=args,
        counts=queueing.counts_by_status(session), statuses=CASE_STATUSES, kinds=CASE_KINDS,
        verdicts=queueing.VERDICTS, now=now, bulk_form=EmptyForm(),
    )


@bp.route("/queue/bulk", methods=["POST"])
def bulk():
    from .. import decisions

    form = EmptyForm()
    action = request.form.get("action")
    ids = [int(i) for i in request.form.getlist("case") if i.isdigit()][:200]
    back = url_for("queue.index", **{k: v for k, v in request.args.items()})
    if not form.validate_on_submit() or action not in BULK_ACTIONS or not ids:
        flash(_("Choose one or more cases and an action."), "error")
        return redirect(back)
    done, refused = decisions.bulk(get_session(), ids, action=action,
                                   user=current_user._get_current_object(),
                                   config=current_app.config)
    flash(_("%(done)s case(s) updated.", done=done), "success" if done else "info")
    for case_id, reason in refused:
        flash(_("Case %(id)s was not changed: %(reason)s", id=case_id, reason=reason), "error")
    return redirect(back)
