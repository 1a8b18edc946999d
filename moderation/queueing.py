"""The queue's query: filters, search, sorting and keyset pages over cases (no Flask)."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select

from .models import OPEN_STATUSES, Case, CaseTarget, User

SORTS = ("due", "received", "newest")
VERDICTS = ("all_supported", "some_supported", "none_supported")
PAGE_SIZE = 50


@dataclass
class QueueFilter:
    """What the reviewer asked the queue to show."""

    status: str = "open"
    kind: str = ""
    mine: bool = False
    unassigned: bool = False
    verdict: str = ""
    jurisdiction: str = ""
    overdue: bool = False
    claimant: str = ""
    q: str = ""
    sort: str = "due"
    after: str = ""
    user_id: int | None = None
    extra: dict = field(default_factory=dict)


def _filtered(query, spec: QueueFilter, now: datetime):
    if spec.status == "open":
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif spec.status and spec.status != "all":
        query = query.where(Case.status == spec.status)
    if spec.kind:
        query = query.where(Case.kind == spec.kind)
    if spec.mine and spec.user_id:
        query = query.where(Case.assignee_id == spec.user_id)
    if spec.unassigned:
        query = query.where(Case.assignee_id.is_(None))
    if spec.verdict == "all_supported":
        query = query.where(Case.target_count > 0, Case.supported_count == Case.target_count)
    elif spec.verdict == "some_supported":
        query = query.where(Case.supported_count > 0, Case.supported_count < Case.target_count)
    elif spec.verdict == "none_supported":
        query = query.where(Case.supported_count == 0)
    if spec.jurisdiction in ("US", "EU", "CN"):
        query = query.where(Case.jurisdiction == spec.jurisdiction)
    elif spec.jurisdiction == "none":
        query = query.where(Case.jurisdiction.is_(None))
    if spec.overdue:
        query = query.where(Case.due_at < now, Case.paused_at.is_(None))
    if spec.claimant:
        like = f"%{spec.claimant}%"
        query = query.where(or_(Case.claimant_name.ilike(like), Case.claimant_email.ilike(like)))
    if spec.q:
        like = f"%{spec.q}%"
        by_url = select(CaseTarget.case_id).where(CaseTarget.url.ilike(like))
        query = query.where(or_(Case.subject.ilike(like), Case.claimant_name.ilike(like),
                                Case.claimant_email.ilike(like), Case.id.in_(by_url)))
    return query


def _ordered(query, spec: QueueFilter):
    """Sort, and start after the cursor "<sort value>|<id>" of the previous page's last row."""
    value, _, last_id = spec.after.partition("|")
    cursor_id = int(last_id) if last_id.isdigit() else None
    if spec.sort == "received":
        if cursor_id is not None and value:
            moment = datetime.fromisoformat(value)
            query = query.where(sa.tuple_(Case.created_at, Case.id) > (moment, cursor_id))
        return query.order_by(Case.created_at, Case.id)
    if spec.sort == "newest":
        if cursor_id is not None and value:
            moment = datetime.fromisoformat(value)
            query = query.where(sa.tuple_(Case.created_at, Case.id) < (moment, cursor_id))
        return query.order_by(Case.created_at.desc(), Case.id.desc())
    # By deadline, soonest first; cases without one come last.
    if cursor_id is not None:
        if value:
            moment = datetime.fromisoformat(value)
            query = query.where(or_(sa.tuple_(Case.due_at, Case.id) > (moment, cursor_id),
                                    Case.due_at.is_(None)))
        else:
            query = query.where(Case.due_at.is_(None), Case.id > cursor_id)
    return query.order_by(Case.due_at.is_(None), Case.due_at, Case.id)


def cursor_of(case: Case, sort: str) -> str:
    moment = case.created_at if sort in ("received", "newest") else case.due_at
    return f"{moment.isoformat() if moment else ''}|{case.id}"


def page(session: Session, spec: QueueFilter, now: datetime, size: int = PAGE_SIZE):
    """One page of (case, assignee) rows and the cursor of the next page (None at the end)."""
    query = select(Case, User).outerjoin(User, User.id == Case.assignee_id)
    query = _ordered(_filtered(query, spec, now), spec).limit(size + 1)
    rows = session.exec(query).all()
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1][0], spec.sort) if more and rows else None)


def counts_by_status(session: Session) -> dict[str, int]:
    return dict(session.exec(select(Case.status, func.count()).group_by(Case.status)).all())
