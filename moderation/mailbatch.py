"""Taking mail in a batch at a time: raw bytes stored and committed first, then read together.

Each message ends up as ``ingest.ingest`` would leave it taken alone, in the same order
(tests/test_mail_batch.py compares both ways). What changes is the work per message:

1. Store: the batch's new messages (unknown by sha256, and by Message-ID with sender) are
   inserted together and committed, quarantined as ``UNREAD``. From then on their bytes are
   safe: if the import stops before step 3, they stay quarantined and ``mail retry`` reads
   them; a source offering them again finds them stored and only acknowledges them.
2. Read: parsing, classification, notice extraction and verification for the whole batch,
   with what the database has to tell loaded in a few queries (``mailplans.Reader``).
3. Write: new cases, notices, targets, acknowledgements, the messages' columns and their
   audit events (one chain, in message order) in a few multi-row statements; one commit.

Mail whose reading needs the database as it goes (replies and bounces looking for their
case, counter-notices, retractions, originals to fetch) is read alone (``read_alone``) in
its place in the order and its own transaction. If writing a batch fails, it is rolled back
and its messages are read alone, so one bad message costs only itself.
"""

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import audit, cases
from .ingest import (
    UNREAD,
    IngestResult,
    ingest,
    message_identity,
    quarantine,
    read_message,
)
from .mailplans import Reader, Stored
from .models import MailMessage, utcnow
from .photos.claims import keep_batch_claim_photos
from .rows import insert_returning_ids, row_values

log = logging.getLogger(__name__)
BATCH_SIZE = 100
# A case changed by a reviewer while a message about it was read: read it again, this often.
CONFLICT_ATTEMPTS = 3


@dataclass
class Incoming:
    """One message offered by a source, with where it came from."""

    key: str
    raw: bytes
    source: str = ""
    uidvalidity: int | None = None
    uid: int | None = None


def ingest_batch(session: Session, incoming: list[Incoming], *, config: dict,
                 comparisons: dict | None = None) -> list[IngestResult]:
    """Store and read the messages; one result per message, in order, all committed."""
    slots = store(session, incoming)
    if slots is None:  # another importer stored some of them meanwhile: one at a time
        return [ingest(session, item.raw, config=config, source=item.source,
                       mailbox_key=item.key, uidvalidity=item.uidvalidity, uid=item.uid)
                for item in incoming]
    fresh = [slot for slot in slots if isinstance(slot, Stored)]
    reader = Reader(session, config=config, comparisons={} if comparisons is None else comparisons,
                    alone=lambda s, message_id: read_alone(s, message_id, config=config))
    read = dict(zip([m.id for m in fresh], reader.read(fresh), strict=True)) if fresh else {}
    # Photo claims: the pictures each new notice carries or names, kept and printed.
    keep_batch_claim_photos(session, [result.message_id for result in read.values()
                                      if result.classification in ("notice", "inquiry")])
    return [read[slot.id] if isinstance(slot, Stored) else slot for slot in slots]


def store(session: Session, incoming: list[Incoming]) -> list[Stored | IngestResult] | None:
    """Insert and commit the new messages; duplicates come back as IngestResults.

    None if the insert collided with another importer's (nothing stored then).
    """
    digests = [hashlib.sha256(item.raw).hexdigest() for item in incoming]
    identities = [message_identity(item.raw) for item in incoming]
    # The first copy of each: an id, or the position of a new row of this batch.
    known: dict[str, int | list] = dict(session.exec(
        select(MailMessage.sha256, MailMessage.id).where(MailMessage.sha256.in_(set(digests)))
    ).all())
    wanted = {mid for mid, sender in identities if mid and sender}
    same: dict[tuple[str, str], int | list] = {}
    if wanted:
        for message_id, mid, sender in session.exec(
            select(MailMessage.id, MailMessage.message_id, MailMessage.from_addr)
            .where(MailMessage.message_id.in_(wanted))
        ):
            same.setdefault((mid, sender), message_id)
    rows, slots = [], []
    for item, digest, (mid, sender) in zip(incoming, digests, identities, strict=True):
        first = known.get(digest) or (same.get((mid, sender)) if mid and sender else None)
        if first is not None:
            slots.append(first)
            continue
        rows.append(row_values(
            MailMessage, sha256=digest, raw=item.raw, source=item.source[:500],
            mailbox_key=item.key, uidvalidity=item.uidvalidity, uid=item.uid,
            received_at=utcnow(), classification="quarantined", quarantine_reason=UNREAD,
            # Kept while it waits, so that a copy under other headers is known meanwhile.
            message_id=mid if mid and len(mid) <= 998 else None, from_addr=sender[:500]))
        slot = [len(rows) - 1]  # becomes the id once inserted
        known[digest] = slot
        if mid and sender:
            same.setdefault((mid, sender), slot)
        slots.append(slot)
    session.commit()  # a fresh transaction for the insert (see mailplans.Reader._write)
    try:
        ids = insert_returning_ids(session, MailMessage, rows)
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    out: list[Stored | IngestResult] = []
    seen: set[int] = set()
    for slot in slots:
        if isinstance(slot, int):
            out.append(IngestResult(slot, "duplicate"))
        elif id(slot) in seen:  # a second copy within the batch
            out.append(IngestResult(ids[slot[0]], "duplicate"))
        else:
            seen.add(id(slot))
            row = rows[slot[0]]
            out.append(Stored(ids[slot[0]], row["sha256"], row["raw"], row["received_at"]))
    return out


def read_alone(session: Session, message_id: int, *, config: dict) -> IngestResult:
    """Read one stored message in its own transaction, as ``ingest`` reads a new one."""
    for _attempt in range(CONFLICT_ATTEMPTS):
        message = session.get(MailMessage, message_id)
        try:
            result = read_message(session, message, config, message.received_at)
            break
        except cases.CaseConflict:
            continue  # cases.apply rolled back: read it again against the case as it is now
        except Exception as exc:  # a bug must not lose the mail: keep it, quarantined, say why
            log.exception("message %s could not be processed", message.sha256[:12])
            session.rollback()
            message = session.get(MailMessage, message_id)
            quarantine(message, f"the desk failed while reading it ({exc})")
            result = IngestResult(message.id, "quarantined", "quarantined")
            break
    else:
        message = session.get(MailMessage, message_id)
        quarantine(message, "a case it concerns kept changing while it was read: retry it")
        result = IngestResult(message.id, "quarantined", "quarantined")
    audit.record(session, "mail.receive", actor="mailbox", object_type="mail",
                 object_id=message.id, after={"classification": message.classification,
                                              "case_id": result.case_id})
    session.commit()
    return result
