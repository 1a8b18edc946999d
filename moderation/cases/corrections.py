"""A reviewer correcting what the desk read a notice to ask (its kind), kept as a labelled
example: the notice keeps the kind the desk read and who corrected it when, so `notices export`
gives both (``sources["kind"]``) and the audit trail has the change."""

from sqlmodel import Session, select

from ..models import Case, Notice, User, utcnow
from ..notices.asks import KINDS, NOTICE_KINDS
from ..plumbing import audit
from . import CaseConflict, CaseError


def notice_of(session: Session, case: Case) -> Notice | None:
    """The notice the case was opened for (its first)."""
    return session.exec(select(Notice).where(Notice.case_id == case.id)
                        .order_by(Notice.id)).first()


def correct_kind(session: Session, case: Case, *, user: User, version: int, kind: str) -> Notice:
    """Set the notice's kind to ``kind`` (one of ``asks.KINDS``; inquiry and other clear it)."""
    if version != case.version:
        raise CaseConflict()
    if kind not in KINDS:
        raise CaseError(f"unknown type {kind!r}")
    notice = notice_of(session, case)
    if notice is None:
        raise CaseError("this case has no notice read from mail")
    before = notice.kind
    read_as = (notice.field_sources or {}).get("kind_read", before or "none")
    notice.kind = kind if kind in NOTICE_KINDS else None
    notice.asks_payment = bool(notice.asks_payment or kind == "payment_demand")
    when = utcnow().isoformat(timespec="minutes")
    notice.field_sources = {**(notice.field_sources or {}), "kind_read": read_as,
                            "kind": f"corrected to {kind} by {user.email} at {when} "
                                    f"(the desk read it as {read_as})"}
    notice.kind_reasons = [*(notice.kind_reasons or []),
                           f"A reviewer ({user.email}) corrected the type to {kind}."]
    session.add(notice)
    audit.record(session, "notice.kind_corrected", actor=user, object_type="notice",
                 object_id=notice.id, before={"kind": before, "case_id": case.id},
                 after={"kind": kind, "case_id": case.id})
    return notice
