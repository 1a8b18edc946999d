"""The one helper that writes audit events, and the check of the hash chain."""

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import AuditEvent, User, utcnow

GENESIS = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises chain writes.
_CHAIN_LOCK = 724_163_001


def _plain(value):
    """JSON-safe copy of a payload (datetimes and other objects become strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_hash(event: AuditEvent) -> str:
    """The hash of an event's content and its predecessor's hash."""
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "address": event.address,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor: User | str | None = None,
    object_type: str = "",
    object_id: object = None,
    before: dict | None = None,
    after: dict | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction; it commits or rolls back with the change."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    if isinstance(actor, User):
        actor_id, actor_label = actor.id, actor.email
    else:
        actor_id, actor_label = None, actor or "system"
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor_id=actor_id,
        actor=actor_label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=_plain(before),
        after=_plain(after),
        address=address,
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass
class ChainReport:
    """The outcome of checking the chain: how many rows, and the first bad one if any."""

    checked: int
    first_bad_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify(session: Session, batch: int = 2000) -> ChainReport:
    """Walk the chain in order and name the first row whose hash or link is wrong."""
    previous_hash, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked)
        for event in rows:
            checked += 1
            if event.seq != expected_seq:
                return ChainReport(
                    checked, event.id, f"sequence jumps to {event.seq}, expected {expected_seq}"
                )
            if event.prev_hash != previous_hash:
                return ChainReport(checked, event.id, "does not link to the row before it")
            if event_hash(event) != event.hash:
                return ChainReport(checked, event.id, "content does not match its hash")
            previous_hash, expected_seq, last_seq = event.hash, expected_seq + 1, event.seq
            session.expunge(event)
