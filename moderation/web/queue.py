"""The review queue: the home page after sign-in."""

from dataclasses import dataclass
from datetime import datetime

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

from ..cases import queueing
from ..models import CASE_KINDS, CASE_STATUSES, Case, User, utcnow
from ..plumbing.db import get_session, reads_only
from ..plumbing.labels import CASE_KIND, JURISDICTION, REVIEW_REASON, STATUS
from .forms import EmptyForm
from .pageformat import PageFormat

bp = Blueprint("queue", __name__)
BULK_ACTIONS = ("assign_me", "spam", "duplicate", "reject_incomplete")


def _text(args, name: str) -> str:
    """A search text: at most 200 characters, without NUL (PostgreSQL refuses it in text)."""
    return args.get(name, "").replace("\x00", "").strip()[:200]


def _filter_from_args(args) -> queueing.QueueFilter:
    flag = lambda name: args.get(name) in ("1", "on", "true")  # noqa: E731
    sort = args.get("sort", "due")
    return queueing.QueueFilter(
        status=args.get("status", "open")[:20], kind=args.get("kind", "")[:20],
        mine=flag("mine"), unassigned=flag("unassigned"),
        verdict=args.get("verdict", "") if args.get("verdict") in queueing.VERDICTS else "",
        jurisdiction=args.get("jurisdiction", "")[:4], overdue=flag("overdue"),
        payment=flag("payment"),
        claimant=_text(args, "claimant"), q=_text(args, "q"),
        sort=sort if sort in queueing.SORTS else "due", after=args.get("after", "")[:80],
        user_id=current_user.id,
    )


@dataclass(slots=True)
class Row:
    """One case as its queue row shows it, formatted in Python once per page."""

    id: int
    url: str
    choose: str
    received: str
    claimant: str
    subject: str
    kind: str  # empty for takedown requests, the usual kind
    reasons: list[str]  # review items: why matching raised them
    target_count: int
    supported: str  # empty when the case names no page
    supported_class: str
    jurisdiction: str
    complete: str
    complete_class: str
    time_left: str
    due: str
    overdue: bool
    status: str
    status_label: str
    assignee: str


def _rows(rows: list[tuple[Case, User | None]], now: datetime) -> list[Row]:
    fmt, shown = PageFormat.current(), []  # the same one the template filters use
    # The case page's address, built once: the id is its last part.
    head, _, tail = url_for("cases.detail", case_id=987654321).rpartition("987654321")
    for case, assignee in rows:
        supported = case.supported_count
        shown.append(Row(
            id=case.id, url=f"{head}{case.id}{tail}",
            choose=fmt.gettext("Choose case %(id)s", id=case.id),
            received=fmt.local_time(case.created_at, "MM-dd HH:mm"),
            claimant=case.claimant_name or case.claimant_email or "—", subject=case.subject,
            kind=fmt.label(CASE_KIND, case.kind) if case.kind != "takedown" else "",
            reasons=sorted({fmt.label(REVIEW_REASON, r.get("code")) for r in case.reasons or []}),
            target_count=case.target_count,
            supported=fmt.gettext("%(n)s/%(total)s supported", n=supported,
                                  total=case.target_count) if case.target_count else "",
            supported_class="ok" if supported == case.target_count else (
                "warn" if supported else "bad"),
            jurisdiction=fmt.label(JURISDICTION, case.jurisdiction),
            complete=fmt.gettext("Complete") if case.complete else fmt.gettext("Incomplete"),
            complete_class="ok" if case.complete else "warn",
            time_left=fmt.gettext("paused") if case.paused_at else fmt.time_left(case.due_at, now),
            due=fmt.local_time(case.due_at),
            overdue=bool(case.due_at and case.due_at < now and not case.paused_at),
            status=case.status, status_label=fmt.label(STATUS, case.status),
            assignee=assignee.email if assignee else fmt.gettext("Unassigned"),
        ))
    return shown


@bp.route("/")
@reads_only
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
        "queue/index.html", rows=_rows(rows, now), next_cursor=next_cursor, spec=spec, args=args,
        counts=queueing.counts_by_status(session), statuses=CASE_STATUSES, kinds=CASE_KINDS,
        verdicts=queueing.VERDICTS, now=now, bulk_form=EmptyForm(),
    )


@bp.route("/queue/bulk", methods=["POST"])
def bulk():
    from ..cases import decisions

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
