"""Cases: the state machine (the only code that changes a case, each change audited in its
transaction), decisions and their takedown effect (webhook, restoration), the queue's queries
and search, the case file, bulk writes, and the replies a case drafts and sends on its own.

The case state machine: the only code that changes a case, each change audited in its
transaction.

May import: plumbing, models, notices, accounts, replies. Imported by: photos, provenance,
mailroom, reports, web, commands.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..models import Case, CaseTarget, Notice, User, utcnow
from ..plumbing import audit

# Which status may follow which (DESIGN.md, "Case lifecycle").
TRANSITIONS: dict[str, set[str]] = {
    "new": {"open", "in_review", "needs_info", "resolved_removed", "resolved_kept", "duplicate",
            "withdrawn"},
    "open": {"in_review", "needs_info", "resolved_removed", "resolved_kept", "duplicate",
             "withdrawn"},
    "in_review": {"open", "needs_info", "resolved_removed", "resolved_kept", "duplicate",
                  "withdrawn"},
    "needs_info": {"open", "in_review", "resolved_kept", "duplicate", "withdrawn"},
    "resolved_removed": {"counter_notice", "withdrawn"},
    "resolved_kept": set(),
    "duplicate": set(),
    "withdrawn": set(),
    "counter_notice": {"restored", "upheld"},
    "restored": set(),
    "upheld": set(),
}
CLOSED = {"resolved_kept", "duplicate", "withdrawn", "restored", "upheld"}
# A decision taken back within its grace period returns the case to review.
UNDOABLE = {"resolved_removed", "resolved_kept"}
# Statuses in which the SLA clock stands still.
PAUSED = {"needs_info", "counter_notice"}
# Hours to handle a notice, by jurisdiction; configurable as SLA_HOURS_<US|EU|CN|DEFAULT>.
DEFAULT_SLA_HOURS = {"US": 48, "EU": 72, "CN": 24, "DEFAULT": 72}


class CaseError(ValueError):
    """A change that is not allowed in the case's current state; the message says why."""


class CaseConflict(Exception):
    """The case changed since the form was shown (its version moved on)."""


def sla_hours(config: dict, jurisdiction: str | None) -> int:
    key = jurisdiction if jurisdiction in ("US", "EU", "CN") else "DEFAULT"
    return int(config.get(f"SLA_HOURS_{key}", DEFAULT_SLA_HOURS[key]))


def snapshot(case: Case) -> dict:
    return {"status": case.status, "assignee_id": case.assignee_id, "due_at": case.due_at,
            "paused_at": case.paused_at, "version": case.version,
            "duplicate_of_id": case.duplicate_of_id, "priority": case.priority}


def open_case(
    session: Session, *, actor: User | str | None, subject: str, kind: str = "takedown",
    claimant_name: str = "", claimant_email: str | None = None, jurisdiction: str | None = None,
    due_at: datetime | None = None, priority: int = 0, status: str = "new",
) -> Case:
    """Create a queue item and record it; the caller commits."""
    case = Case(kind=kind, status=status, subject=subject[:1000], claimant_name=claimant_name[:500],
                claimant_email=claimant_email, jurisdiction=jurisdiction, due_at=due_at,
                priority=priority)
    session.add(case)
    session.flush()
    audit.record(session, "case.open", actor=actor, object_type="case", object_id=case.id,
                 after=snapshot(case))
    return case


KEEP = object()  # "leave this field as it is" (None would mean "clear it")


@dataclass
class Change:
    """What an action sets on a case, besides bumping its version."""

    status: str | None = None
    assignee_id: object = KEEP
    duplicate_of_id: object = KEEP
    priority: int | None = None


def apply(
    session: Session, case: Case, *, expected_version: int, change: Change, action: str,
    actor: User | str | None, details: dict | None = None, now: datetime | None = None,
    undo: bool = False,
) -> Case:
    """Apply one change under optimistic locking and audit it, in the caller's transaction.

    The UPDATE names the version the reviewer saw; if another reviewer changed the case in
    the meantime no row matches and CaseConflict is raised, so nobody overwrites anybody.
    """
    now = now or utcnow()
    before = snapshot(case)
    values: dict = {"version": expected_version + 1, "updated_at": now}
    if change.status and change.status != case.status:
        allowed = TRANSITIONS.get(case.status, set())
        if undo and case.status in UNDOABLE:
            allowed = allowed | {"in_review"}
        if change.status not in allowed:
            raise CaseError(f"a case that is {case.status} cannot become {change.status}")
        values["status"] = change.status
        values.update(_clock(case, change.status, now))
        if change.status in CLOSED:
            values["closed_at"] = now
        elif case.closed_at is not None:
            values["closed_at"] = None
    if change.assignee_id is not KEEP:
        values["assignee_id"] = change.assignee_id
    if change.duplicate_of_id is not KEEP:
        values["duplicate_of_id"] = change.duplicate_of_id
    if change.priority is not None:
        values["priority"] = change.priority
    result = session.execute(
        sa.update(Case).where(Case.id == case.id, Case.version == expected_version).values(**values)
    )
    if result.rowcount != 1:
        session.rollback()
        raise CaseConflict(case.id)
    session.refresh(case)
    payload = snapshot(case) | (details or {})
    audit.record(session, action, actor=actor, object_type="case", object_id=case.id,
                 before=before, after=payload)
    return case


def _clock(case: Case, new_status: str, now: datetime) -> dict:
    """Pause the SLA clock on entering a paused status; on leaving, push the deadline on."""
    entering, leaving = new_status in PAUSED, case.status in PAUSED
    if entering and not leaving:
        return {"paused_at": now}
    if leaving and not entering and case.paused_at is not None:
        paused_for = now - case.paused_at
        due = case.due_at + paused_for if case.due_at else None
        return {"paused_at": None, "due_at": due}
    return {}


def claim(session: Session, case: Case, *, user: User, expected_version: int) -> Case:
    """Take a case: it becomes in_review and the user's; a case held by another is refused."""
    if case.assignee_id not in (None, user.id):
        raise CaseError("this case is assigned to someone else; reassign it first")
    status = "in_review" if case.status in ("new", "open") else None
    return apply(session, case, expected_version=expected_version, actor=user,
                 action="case.claim", change=Change(status=status, assignee_id=user.id))


def release(session: Session, case: Case, *, user: User, expected_version: int) -> Case:
    """Give a case back to the queue."""
    if case.assignee_id != user.id and not user.is_admin:
        raise CaseError("only the assignee or an administrator can release this case")
    status = "open" if case.status == "in_review" else None
    return apply(session, case, expected_version=expected_version, actor=user,
                 action="case.release", change=Change(status=status, assignee_id=None))


def assign(
    session: Session, case: Case, *, actor: User, assignee: User | None, expected_version: int
) -> Case:
    """Give a case to someone (or no one); reassigning someone else's case is audited as such."""
    details = {"reassigned_from": case.assignee_id} if case.assignee_id not in (
        None, getattr(assignee, "id", None)) else None
    return apply(session, case, expected_version=expected_version, actor=actor,
                 action="case.assign", details=details,
                 change=Change(assignee_id=assignee.id if assignee else None))


def due_from(received: datetime, config: dict, jurisdiction: str | None, *,
             deadline: datetime | None = None) -> datetime:
    """When a case is due: the SLA after receipt, or the letter's own deadline if earlier."""
    due = received + timedelta(hours=sla_hours(config, jurisdiction))
    return min(due, deadline) if deadline is not None else due


def record_targets(session: Session, case: Case, notice: Notice) -> None:
    """Keep a case's pages and its queue summary in step with its notice's verification."""
    items = notice.verification or [{"url": url, "verdict": ""} for url in notice.target_urls]
    existing = {t.url: t for t in session.exec(
        sa.select(CaseTarget).where(CaseTarget.case_id == case.id)).scalars()}
    for item in items:
        target = existing.get(item["url"]) or CaseTarget(case_id=case.id, url=item["url"])
        target.article_id = item.get("article_id")
        target.original_id = item.get("original_id")
        target.verdict = item.get("verdict", "")
        target.kind, target.score = item.get("kind"), item.get("score")
        session.add(target)
        existing[item["url"]] = target
    case.target_count = len(existing)
    case.supported_count = sum(1 for t in existing.values() if t.verdict == "supported")
    case.complete = not notice.missing_elements
    session.add(case)
