"""The mailroom: mail taken in from a source in batches (a single message is a batch of one),
stored raw first, read, turned into notices and cases, and acknowledged; threads, senders, the
one-reader-per-mailbox lock and raw mail retention.

Taking mail in from a source: messages ingested and committed in batches, then acknowledged.

May import: plumbing, models, mailbox, notices, library, replies, cases, provenance, photos.
Imported by: commands, demo.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from ..mailbox import ImapSource, MailSource, SourceError, parse_imap_key
from ..models import MailMessage
from .batch import BATCH_SIZE, Incoming, ingest_batch


@dataclass
class Receipt:
    """What one pass over a source did."""

    outcomes: Counter = field(default_factory=Counter)
    classifications: Counter = field(default_factory=Counter)
    cases_opened: int = 0
    resynced: bool = False
    more: bool = False  # stopped at the pass's limit with mail still on offer

    def summary(self) -> str:
        text = _("%(stored)s stored, %(duplicates)s duplicates, %(quarantined)s quarantined, "
                 "%(cases)s cases opened", stored=self.outcomes["stored"],
                 duplicates=self.outcomes["duplicate"],
                 quarantined=self.outcomes["quarantined"], cases=self.cases_opened)
        kinds = ", ".join(f"{n} {label}" for label, n in sorted(self.classifications.items()))
        return text + (f" ({kinds})" if kinds else "")


def receive(session: Session, source: MailSource, *, config: dict, source_name: str,
            batch_size: int = BATCH_SIZE, limit: int | None = None) -> Receipt:
    """Ingest every message the source offers (at most ``limit``); acknowledge each only
    after its commit.

    A crash between the commit and the acknowledgement leaves the message on offer; the
    next pass finds its bytes already stored (sha256) and only acknowledges it. Messages are
    taken ``batch_size`` at a time (see batch.py; 1 makes every message a batch of its own).
    """
    receipt = Receipt()
    comparisons: dict = {}  # engine results, shared by the batches of this pass
    waiting: list[Incoming] = []

    def take() -> None:
        results = ingest_batch(session, waiting, config=config, comparisons=comparisons)
        for item, result in zip(waiting, results, strict=True):
            receipt.outcomes[result.outcome] += 1
            if result.classification:
                receipt.classifications[result.classification] += 1
            receipt.cases_opened += int(result.new_case)
            source.acknowledge(item.key)
        waiting.clear()

    taken = 0
    for key, raw in source:
        if limit is not None and taken >= limit:
            receipt.more = True  # the rest waits for the next pass
            break
        taken += 1
        uidvalidity = uid = None
        if key.startswith("imap:"):
            parsed_key = parse_imap_key(key)
            uidvalidity, uid = parsed_key.uidvalidity, parsed_key.uid
        waiting.append(Incoming(key, raw, source_name, uidvalidity, uid))
        if len(waiting) >= batch_size:
            take()
    if waiting:
        take()
    receipt.resynced = bool(getattr(source, "uidvalidity_changed", False))
    return receipt


def imap_position(session: Session, source_name: str) -> tuple[int | None, int | None]:
    """The newest (uidvalidity, highest uid) stored from this IMAP folder."""
    row = session.exec(
        select(MailMessage.uidvalidity, func.max(MailMessage.uid))
        .where(MailMessage.source == source_name, MailMessage.uidvalidity.is_not(None))
        .group_by(MailMessage.uidvalidity).order_by(func.max(MailMessage.id).desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def imap_source(session: Session, config: dict) -> ImapSource:
    """The configured contact mailbox, positioned after the last message stored from it."""
    if not config.get("IMAP_HOST"):
        raise SourceError("No IMAP mailbox is configured (MODERATION_IMAP_HOST).")
    security = str(config.get("IMAP_SECURITY") or "ssl").lower()
    security = "plain" if security in ("none", "plain") else security
    source = ImapSource(
        config["IMAP_HOST"], username=config["IMAP_USER"], password=config["IMAP_PASSWORD"],
        port=int(config["IMAP_PORT"]) if config.get("IMAP_PORT") else None,
        folder=config.get("IMAP_FOLDER") or "INBOX", security=security,
        processed_folder=config.get("IMAP_PROCESSED_FOLDER") or None,
    )
    # Only the UIDVALIDITY is carried over (to notice a renumbered folder). No UID position:
    # a message stored just before a crash but never flagged must be offered again, so that
    # it is flagged now; its bytes are already stored, so it counts as a duplicate.
    source.uidvalidity = imap_position(session, source.key_prefix)[0]
    return source
