"""Raw mail retention: drop the RFC 822 bytes of old mail whose case is over, keep the rest.

What stays: the sha256 (so the same mail fetched again is still recognised), every parsed
field (sender, subject, text, sanitised HTML, headers), the notice and the case. What goes:
MailMessage.raw, replaced by empty bytes, and the message is marked with the date (see
MailMessage.raw_removed_at) so the case page says so instead of pretending it has the original.

Never purged: mail of a case that is not closed (open, awaiting a counter-notice, pages
removed), mail of a case closed less than the limit ago, quarantined or unread mail (its raw
bytes are all there is to read it again), and mail younger than the limit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from ..cases import CLOSED
from ..models import Case, MailMessage, Notice, utcnow
from ..models.mail import RAW_REMOVED
from ..plumbing import audit

BATCH = 500


@dataclass
class PurgeReport:
    messages: int
    bytes: int
    older_than_days: int
    cutoff: datetime
    dry_run: bool


def _closed_before(cutoff: datetime):
    """Cases closed for good, and closed before the cutoff."""
    return select(Case.id).where(Case.status.in_(sorted(CLOSED)),
                                 func.coalesce(Case.closed_at, Case.updated_at) < cutoff)


def purgeable(cutoff: datetime):
    """The messages whose raw bytes the policy lets go (a query of their ids)."""
    closed = _closed_before(cutoff)
    notice_elsewhere = (select(Notice.id).where(Notice.message_id == MailMessage.id,
                                                Notice.case_id.is_not(None),
                                                Notice.case_id.not_in(closed)).exists())
    return select(MailMessage.id).where(
        MailMessage.received_at < cutoff,
        func.length(MailMessage.raw) > 0,
        MailMessage.classification.is_not(None),
        MailMessage.classification != "quarantined",
        sa.or_(MailMessage.case_id.is_(None), MailMessage.case_id.in_(closed)),
        ~notice_elsewhere,
    ).order_by(MailMessage.id)


def purge(session: Session, older_than_days: int, *, dry_run: bool = False,
          actor: str = "retention", now: datetime | None = None) -> PurgeReport:
    """Drop the raw bytes of purgeable mail older than the limit; one audit event per run."""
    if older_than_days < 1:
        raise ValueError("the retention period must be at least one day")
    now = now or utcnow()
    cutoff = now - timedelta(days=older_than_days)
    ids = list(session.exec(purgeable(cutoff)).all())
    total = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        total += int(session.exec(select(func.coalesce(func.sum(func.length(MailMessage.raw)), 0))
                                  .where(MailMessage.id.in_(chunk))).one())
        if dry_run:
            continue
        for message in session.exec(select(MailMessage).where(MailMessage.id.in_(chunk))):
            message.raw = b""
            message.warnings = [*(message.warnings or []), RAW_REMOVED + now.isoformat()]
            session.add(message)
        session.flush()
        session.expunge_all()
    report = PurgeReport(len(ids), total, older_than_days, cutoff, dry_run)
    if dry_run:
        session.rollback()
        return report
    audit.record(session, "mail.purge_raw", actor=actor, object_type="mail",
                 after={"messages": report.messages, "bytes": report.bytes,
                        "older_than_days": older_than_days, "cutoff": cutoff.isoformat(),
                        "first_id": ids[0] if ids else None, "last_id": ids[-1] if ids else None})
    session.commit()
    return report
