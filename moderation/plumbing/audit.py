"""The one helper that writes audit events, and the check of the hash chain."""

import hashlib
import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import AuditEvent, User, utcnow

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


class Entry(NamedTuple):
    """One event to append with ``record_many``; the fields mean what ``record``'s arguments do."""

    action: str
    actor: User | str | None = None
    object_type: str = ""
    object_id: object = None
    before: dict | None = None
    after: dict | None = None
    address: str | None = None


def _chain_end(session: Session) -> tuple[int, str]:
    """The last (seq, hash), read under the lock that serialises chain writers.

    On PostgreSQL the advisory lock is held until the transaction ends, so nobody else can
    extend the chain between this read and our inserts; SQLite has a single writer anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def _values(entry: Entry, seq: int, prev_hash: str) -> dict:
    """The columns of the event that follows ``prev_hash`` at ``seq``, its hash included."""
    if isinstance(entry.actor, User):
        actor_id, actor_label = entry.actor.id, entry.actor.email
    else:
        actor_id, actor_label = None, entry.actor or "system"
    values = {
        "seq": seq,
        "at": utcnow(),
        "actor_id": actor_id,
        "actor": actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": None if entry.object_id is None else str(entry.object_id),
        "before": _plain(entry.before),
        "after": _plain(entry.after),
        "address": entry.address,
        "prev_hash": prev_hash,
    }
    values["hash"] = event_hash(SimpleNamespace(**values))
    return values


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
    seq, prev_hash = _chain_end(session)
    event = AuditEvent(**_values(Entry(action, actor, object_type, object_id, before, after,
                                       address), seq + 1, prev_hash))
    session.add(event)
    session.flush()
    return event


def record_many(session: Session, entries: list[Entry]) -> int:
    """Append events in the given order with one lock, one read and one insert.

    Each event links to the one before it exactly as if ``record`` had been called for each
    in turn; they commit or roll back with the caller's transaction. Returns how many.
    """
    if not entries:
        return 0
    seq, prev_hash = _chain_end(session)
    rows = []
    for entry in entries:
        seq += 1
        rows.append(_values(entry, seq, prev_hash))
        prev_hash = rows[-1]["hash"]
    # A plain multi-row insert: the events are not needed as objects in the session.
    session.execute(sa.insert(AuditEvent), rows)
    return len(rows)


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
