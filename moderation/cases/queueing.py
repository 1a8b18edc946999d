"""The queue's query: filters, search, sorting and keyset pages over cases (no Flask)."""

import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from ..models import Case, Notice, User
from ..models.cases import OPEN_WHERE
from . import search as casesearch

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
    payment: bool = False  # only cases whose notice demands a licence fee or settlement
    claimant: str = ""
    q: str = ""
    sort: str = "due"
    after: str = ""
    user_id: int | None = None
    extra: dict = field(default_factory=dict)


def _filtered(session: Session, query, spec: QueueFilter, now: datetime):
    if spec.status == "open":
        query = query.where(sa.text(OPEN_WHERE.replace("status", '"case".status')))
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
    if spec.payment:
        query = query.where(Case.id.in_(
            select(Notice.case_id).where(Notice.asks_payment, Notice.case_id.is_not(None))))
    if spec.claimant:
        query = query.where(casesearch.condition(session, spec.claimant,
                                                 casesearch.CLAIMANT_FIELDS))
    if spec.q:
        query = query.where(casesearch.condition(session, spec.q))
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
    raise ValueError(f"unknown sort {spec.sort!r}")


def _by_deadline(session: Session, query, spec: QueueFilter, size: int) -> list:
    """Soonest deadline first, cases without one last, in two index-ordered reads.

    One ORDER BY over "no deadline last" cannot use an index and sorts every open case on
    each page; reading the dated cases in (due_at, id) order, then the undated ones by id,
    walks the index and stops after a page.
    """
    value, _, last_id = spec.after.partition("|")
    cursor_id = int(last_id) if last_id.isdigit() else None
    rows: list = []
    if cursor_id is None or value:
        dated = query.where(Case.due_at.is_not(None))
        if cursor_id is not None:
            moment = datetime.fromisoformat(value)
            dated = dated.where(sa.tuple_(Case.due_at, Case.id) > (moment, cursor_id))
        rows = list(session.exec(dated.order_by(Case.due_at, Case.id).limit(size)).all())
        cursor_id = None
    if len(rows) < size:
        undated = query.where(Case.due_at.is_(None))
        if cursor_id is not None:
            undated = undated.where(Case.id > cursor_id)
        rows += session.exec(undated.order_by(Case.id).limit(size - len(rows))).all()
    return rows


def cursor_of(case: Case, sort: str) -> str:
    moment = case.created_at if sort in ("received", "newest") else case.due_at
    return f"{moment.isoformat() if moment else ''}|{case.id}"


def page(session: Session, spec: QueueFilter, now: datetime, size: int = PAGE_SIZE):
    """One page of (case, assignee) rows and the cursor of the next page (None at the end)."""
    query = _filtered(session, select(Case, User).outerjoin(User, User.id == Case.assignee_id),
                      spec, now)
    if spec.sort == "due":
        rows = _by_deadline(session, query, spec, size + 1)
    else:
        rows = session.exec(_ordered(query, spec).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1][0], spec.sort) if more and rows else None)


_COUNTS: dict[str, tuple[float, dict[str, int]]] = {}
COUNTS_TTL = 5.0  # seconds; the tab counts may lag a moment, the rows never do


def counts_by_status(session: Session) -> dict[str, int]:
    """Cases per status for the tabs, counted at most every few seconds per process."""
    key, now = str(session.get_bind().url), time.monotonic()
    at, counts = _COUNTS.get(key, (0.0, {}))
    if now - at > COUNTS_TTL:
        rows = session.exec(select(Case.status, func.count()).group_by(Case.status)).all()
        counts = dict(rows)
        _COUNTS[key] = (now, counts)
    return dict(counts)
