"""The one way mail comes in: a batch at a time, raw bytes stored and committed first, then
read together. One message is a batch of one (``ingest``), and quarantined mail is read
again the same way (``retry_quarantined``).

Each message ends up as it would taken in a batch of its own, in the same order
(tests/mailroom/test_mail_batch.py compares both ways). The steps:

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
and its messages are read alone, so one bad message costs only itself. If another importer
stored some of the same messages at the same moment, the store is tried again and finds
them as duplicates.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from .. import cases
from ..models import MailMessage, utcnow
from ..photos.claims import keep_batch_claim_photos
from ..plumbing import audit
from ..plumbing.rows import insert_returning_ids, row_values
from .plans import Reader, Stored
from .reading import (
    STILL_READING,
    UNREAD,
    IngestResult,
    message_identity,
    quarantine,
    read_message,
)

log = logging.getLogger(__name__)
BATCH_SIZE = 100
# A case changed by a reviewer while a message about it was read: read it again, this often.
CONFLICT_ATTEMPTS = 3
# Another importer storing the same messages at the same moment: store again, this often.
STORE_ATTEMPTS = 3


@dataclass
class Incoming:
    """One message offered by a source, with where it came from."""

    key: str
    raw: bytes
    source: str = ""
    uidvalidity: int | None = None
    uid: int | None = None
    received_at: datetime | None = None  # now, unless told


def ingest_batch(session: Session, incoming: list[Incoming], *, config: dict,
                 comparisons: dict | None = None) -> list[IngestResult]:
    """Store and read the messages; one result per message, in order, all committed."""
    for _attempt in range(STORE_ATTEMPTS):
        slots = store(session, incoming)
        if slots is not None:
            break
    else:
        raise RuntimeError("other importers kept storing the same messages; try again")
    fresh = [slot for slot in slots if isinstance(slot, Stored)]
    read = dict(zip([m.id for m in fresh], _read(_reader(session, config, comparisons), fresh),
                    strict=True)) if fresh else {}
    return [read[slot.id] if isinstance(slot, Stored) else slot for slot in slots]


def ingest(session: Session, raw: bytes, *, config: dict, source: str = "",
           mailbox_key: str | None = None, uidvalidity: int | None = None,
           uid: int | None = None, now: datetime | None = None) -> IngestResult:
    """Store one message exactly once and act on it: a batch of one."""
    return ingest_batch(session, [Incoming(mailbox_key or "", raw, source, uidvalidity, uid,
                                           now)], config=config)[0]


def retry_quarantined(session: Session, *, config: dict,
                      interrupted_only: bool = False) -> list[IngestResult]:
    """Read quarantined messages again (after a fix to the parser, say), a batch at a time.

    Messages an import stored moments ago and is still reading are left to it. With
    ``interrupted_only`` just the messages an import stored but never read (it was killed)
    are read: `mail fetch --watch` does that on each pass, so nothing waits for a person.
    A message that then fails to read gets its own reason and is not tried again.
    """
    unread = func.coalesce(MailMessage.quarantine_reason, "") == UNREAD
    busy = unread & (MailMessage.received_at > utcnow() - STILL_READING)
    wanted = [MailMessage.classification == "quarantined", ~busy]
    if interrupted_only:
        wanted.append(unread)
    ids = session.exec(select(MailMessage.id).where(*wanted).order_by(MailMessage.id)).all()
    results: list[IngestResult] = []
    reader = _reader(session, config, None, event="mail.retry")
    for start in range(0, len(ids), BATCH_SIZE):
        rows = session.exec(select(MailMessage.id, MailMessage.sha256, MailMessage.raw,
                                   MailMessage.received_at)
                            .where(MailMessage.id.in_(ids[start:start + BATCH_SIZE]))
                            .order_by(MailMessage.id)).all()
        now = utcnow()  # read now: replies and new inquiries date from the retry
        results += _read(reader, [Stored(*row, now=now) for row in rows])
    return results


def _read(reader: Reader, stored: list[Stored]) -> list[IngestResult]:
    """Read stored messages; the pictures new notices carry or name are kept and printed."""
    results = reader.read(stored)
    keep_batch_claim_photos(reader.session, [r.message_id for r in results
                                             if r.classification in ("notice", "inquiry")],
                            fetch=reader.fetch)
    return results


def _reader(session: Session, config: dict, comparisons: dict | None, *,
            event: str = "mail.receive") -> Reader:
    return Reader(session, config=config, comparisons={} if comparisons is None else comparisons,
                  event=event,
                  alone=lambda s, stored: read_alone(s, stored, config=config, event=event))


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
            received_at=item.received_at or utcnow(), classification="quarantined",
            quarantine_reason=UNREAD,
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


def read_alone(session: Session, stored: Stored, *, config: dict,
               event: str = "mail.receive") -> IngestResult:
    """Read one stored message in its own transaction, with the database as it goes."""
    message_id = stored.id
    for _attempt in range(CONFLICT_ATTEMPTS):
        message = session.get(MailMessage, message_id)
        try:
            result = read_message(session, message, config, stored.now)
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
    audit.record(session, event, actor="mailbox", object_type="mail",
                 object_id=message.id, after={"classification": message.classification,
                                              "case_id": result.case_id})
    session.commit()
    return result
