"""Reading one stored e-mail: parse, classify, understand, verify, open or join a case.

The pieces every reading shares (the columns a message fills, the notice it makes,
quarantine), and ``read_message``: the careful reading, in the caller's transaction, of mail
that needs the database as it is read (replies, bounces, counter-notices, retractions,
originals to fetch). Mail comes in only through ``batch.ingest_batch``, which uses both.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

from sqlmodel import Session

from .. import cases
from ..cases import autoreplies, restoration
from ..mailbox import MailParseError, ParsedMessage, normalise_message_id, parse_message
from ..models import Case, MailMessage, Notice, utcnow
from ..notices import extract_notice, stored_columns, to_json
from ..notices.classify import classify
from ..photos.claims import keep_claim_photos
from ..plumbing import audit
from ..plumbing.rows import new_row
from ..provenance import verification
from ..replies.outbox import loop_id
from . import threads as mailthreads
from .senders import Senders
from .threads import DUPLICATE_WINDOW

log = logging.getLogger(__name__)
# Batches store raw mail first, quarantined with this reason until it has been read. If the
# import stops in between, the message stays quarantined, and `mail retry` reads it.
UNREAD = "stored but not read yet (the import stopped before reading it): retry it"
# How long such a message is taken to be still in the hands of a running import.
STILL_READING = timedelta(minutes=10)


@dataclass
class IngestResult:
    """What became of one message."""

    message_id: int | None
    outcome: str  # "stored", "duplicate" or "quarantined"
    classification: str | None = None
    case_id: int | None = None
    new_case: bool = False


def fields_from(parsed: ParsedMessage) -> dict:
    """The columns of a MailMessage that come from reading it."""
    return {
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": parsed.references[-50:],
        "subject": parsed.subject,
        "from_name": (parsed.from_.name if parsed.from_ else "")[:500],
        "from_addr": (parsed.from_.address if parsed.from_ else "")[:500].lower(),
        "recipients": [a.address for a in parsed.to[:50]],
        "sent_at": parsed.date,
        "headers": {k: v[:5] for k, v in parsed.headers.items()},
        "text": parsed.text,
        "html": parsed.html or "",
        "attachments": [{"name": a.filename, "type": a.content_type, "size": a.size}
                        for a in parsed.attachments],
        "authentication": {"badge": parsed.auth.badge, "spf": parsed.auth.spf,
                           "dkim": parsed.auth.dkim, "dmarc": parsed.auth.dmarc},
        "warnings": list(parsed.warnings),
    }


def _fill(message: MailMessage, parsed: ParsedMessage) -> None:
    for name, value in fields_from(parsed).items():
        setattr(message, name, value)


def quarantine(message: MailMessage, reason: str) -> None:
    """Mark a message unreadable, with the reason; it keeps no identity read from it."""
    message.classification, message.quarantine_reason = "quarantined", reason
    # As a message stored fresh: the Message-ID and sender kept while it waited are dropped.
    message.message_id, message.from_addr = None, ""


def notice_from(parsed: ParsedMessage, *, message_id: int, sender: str, config: dict) -> Notice:
    """The notice a message makes (not yet added to the session)."""
    fields = extract_notice(parsed, site_domains=list(config["SITE_DOMAINS"]),
                            home_jurisdiction=config.get("HOME_JURISDICTION"))
    data = to_json(fields)
    claimant = data["claimant"]
    return new_row(
        Notice, message_id=message_id, kind=data["kind"], claimant=claimant,
        claimant_email=(claimant.get("email") or sender or None),
        works=data["works"], target_urls=data["target_urls"],
        original_urls=data["original_urls"],
        statements=data["statements"] | {"evidence": data["evidence"]},
        signature=data["signature"], jurisdiction=data["jurisdiction"],
        missing_elements=data["missing_elements"],
        **stored_columns(fields, parsed.date, utcnow()),
    )


def _attach(session: Session, message: MailMessage, case: Case, action: str) -> None:
    message.case_id = case.id
    audit.record(session, action, actor="mailbox", object_type="case", object_id=case.id,
                 after={"message": message.id, "subject": message.subject[:200]})


def _handle_notice(session: Session, message: MailMessage, parsed: ParsedMessage, config: dict,
                   now: datetime) -> tuple[Case | None, bool]:
    notice = notice_from(parsed, message_id=message.id, sender=message.from_addr, config=config)
    session.add(notice)
    session.flush()
    # Photo claims: pictures attached or named are kept and printed, to match against ours.
    keep_claim_photos(session, message, extra_urls=notice.original_urls or [],
                      fetch=bool(config.get("FETCH_CLAIMED_ORIGINALS")))
    if notice.kind == "counter_notice":
        disputed = mailthreads.case_for_counter_notice(session, notice)
        if disputed is not None:
            notice.case_id = disputed.id
            _attach(session, message, disputed, "case.counter_notice_received")
            cases.apply(session, disputed, expected_version=disputed.version, actor="mailbox",
                        action="case.counter_notice", change=cases.Change(status="counter_notice"))
            restoration.open_putback(session, disputed, now=now)
            autoreplies.forward_counter_notice(session, disputed, message, config=config, now=now)
            return disputed, False
    if notice.kind == "retraction":
        withdrawn = mailthreads.case_for_retraction(session, notice, message.from_addr)
        if withdrawn is not None:
            notice.case_id = withdrawn.id
            _attach(session, message, withdrawn, "case.retraction_received")
            return withdrawn, False
    since = now - DUPLICATE_WINDOW  # the batch reader's rule (plans.Reader), from the database
    senders = Senders(session, {message.from_addr, notice.claimant_email or ""}, since=since)
    duplicate_id = senders.duplicate_case(notice, message.from_addr, since=since)
    duplicate_of = session.get(Case, duplicate_id) if duplicate_id is not None else None
    if duplicate_of is not None:
        notice.case_id = duplicate_of.id
        _attach(session, message, duplicate_of, "notice.duplicate")
        return duplicate_of, False
    fetch = verification.fetch_original if config.get("FETCH_CLAIMED_ORIGINALS") else None
    notice.verification = (
        verification.verify(session, notice, fetch=fetch) if notice.kind == "takedown" else [])
    claimant = notice.claimant or {}
    case = cases.open_case(
        session, actor="mailbox", subject=message.subject or "(no subject)",
        kind="takedown",
        claimant_name=claimant.get("organisation") or claimant.get("name") or message.from_name,
        claimant_email=notice.claimant_email, jurisdiction=notice.jurisdiction,
        due_at=cases.due_from(message.received_at, config, notice.jurisdiction,
                              deadline=notice.deadline_at),
    )
    notice.case_id = case.id
    message.case_id = case.id
    cases.record_targets(session, case, notice)
    autoreplies.acknowledge(session, case, message, config=config, now=now)
    return case, True


def read_message(session: Session, message: MailMessage, config: dict, now: datetime
                 ) -> IngestResult:
    """Parse and act on a stored message; quarantine it with the reason if it cannot be read.

    Works in the caller's transaction, which commits (or rolls back) it."""
    try:
        parsed = parse_message(message.raw, now=now)
    except MailParseError as exc:
        quarantine(message, exc.reason)
        return IngestResult(message.id, "quarantined", "quarantined")
    _fill(message, parsed)
    verdict = classify(parsed, loop_id=loop_id(str(config["MAIL_FROM"])),
                       is_our_message_id=mailthreads.our_message_id_lookup(session))
    message.classification = verdict.label
    message.classification_reasons = list(verdict.reasons)
    message.quarantine_reason = None
    case, new_case = None, False
    if verdict.label in ("reply", "bounce"):
        case = mailthreads.thread_case(session, parsed)
        if case is not None:
            _attach(session, message, case, f"case.{verdict.label}_received")
            if verdict.label == "reply" and case.status == "needs_info":
                cases.apply(session, case, expected_version=case.version, actor="mailbox",
                            action="case.info_received", change=cases.Change(status="open"))
    elif verdict.label == "notice":
        case, new_case = _handle_notice(session, message, parsed, config, now)
    elif verdict.label == "inquiry":
        case = cases.open_case(session, actor="mailbox", kind="inquiry",
                               subject=message.subject or "(no subject)",
                               claimant_name=message.from_name, claimant_email=message.from_addr,
                               due_at=cases.due_from(now, config, None))
        message.case_id, new_case = case.id, True
    return IngestResult(message.id, "stored", verdict.label, case.id if case else None, new_case)


def message_identity(raw: bytes) -> tuple[str | None, str]:
    """Message-ID and sender address as the headers give them, read cheaply (no body)."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        message_id = normalise_message_id(str(headers.get("Message-ID") or ""))
        sender = parseaddr(str(headers.get("From") or ""))[1].lower()
    except Exception:  # unreadable headers: the full parse will say why
        return None, ""
    return message_id, sender
