"""Receiving one e-mail: store it raw, parse, classify, understand, verify, open or join a case."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import audit, autoreplies, cases, restoration, verification
from .mailbox import (
    CASE_TAG_PATTERN,
    MailParseError,
    ParsedMessage,
    case_number_from,
    classify,
    normalise_message_id,
    parse_message,
)
from .models import Case, MailMessage, Notice, Reply, utcnow
from .notices import extract_notice, to_json
from .outbox import loop_id

log = logging.getLogger(__name__)
# The same request sent again within this many days joins the first case as a duplicate.
DUPLICATE_WINDOW = timedelta(days=14)


@dataclass
class IngestResult:
    """What became of one message."""

    message_id: int | None
    outcome: str  # "stored", "duplicate" or "quarantined"
    classification: str | None = None
    case_id: int | None = None
    new_case: bool = False


def _fill(message: MailMessage, parsed: ParsedMessage) -> None:
    message.message_id = parsed.message_id
    message.in_reply_to = parsed.in_reply_to
    message.references = parsed.references[-50:]
    message.subject = parsed.subject
    message.from_name = (parsed.from_.name if parsed.from_ else "")[:500]
    message.from_addr = (parsed.from_.address if parsed.from_ else "")[:500].lower()
    message.recipients = [a.address for a in parsed.to[:50]]
    message.sent_at = parsed.date
    message.headers = {k: v[:5] for k, v in parsed.headers.items()}
    message.text = parsed.text
    message.html = parsed.html or ""
    message.attachments = [
        {"name": a.filename, "type": a.content_type, "size": a.size} for a in parsed.attachments
    ]
    message.authentication = {"badge": parsed.auth.badge, "spf": parsed.auth.spf,
                              "dkim": parsed.auth.dkim, "dmarc": parsed.auth.dmarc}
    message.warnings = list(parsed.warnings)


def _our_message_id_lookup(session: Session):
    def is_ours(message_id: str) -> bool:
        return session.exec(select(Reply.id).where(Reply.message_id == message_id)).first() is not None
    return is_ours


def _thread_case(session: Session, parsed: ParsedMessage) -> Case | None:
    """The case a reply belongs to: by our subject tag, else by the messages it answers."""
    number = case_number_from(parsed, CASE_TAG_PATTERN)
    if number is not None:
        case = session.get(Case, number)
        if case is not None:
            return case
    ids = [i for i in [parsed.in_reply_to, *parsed.references] if i]
    if not ids:
        return None
    reply = session.exec(select(Reply).where(Reply.message_id.in_(ids))).first()
    if reply is not None:
        return session.get(Case, reply.case_id)
    earlier = session.exec(
        select(MailMessage).where(MailMessage.message_id.in_(ids), MailMessage.case_id.is_not(None))
    ).first()
    return session.get(Case, earlier.case_id) if earlier else None


def _notices_from(session: Session, sender: str, **where) -> list[tuple[Notice, Case]]:
    """Earlier notices sent by this address, found through the two indexed columns."""
    by_claimant = select(Notice.id).where(Notice.claimant_email == sender)
    by_sender = select(Notice.id).join(MailMessage, MailMessage.id == Notice.message_id).where(
        MailMessage.from_addr == sender)
    ids = set(session.exec(by_claimant).all()) | set(session.exec(by_sender).all())
    if not ids:
        return []
    query = select(Notice, Case).join(Case, Case.id == Notice.case_id).where(Notice.id.in_(ids))
    for name, value in where.items():
        query = query.where(getattr(Notice, name) == value)
    return list(session.exec(query.order_by(Notice.id)).all())


def _duplicate_case(session: Session, notice: Notice, sender: str, now: datetime) -> Case | None:
    """An earlier case from the same sender about the same pages, within the window."""
    if not notice.target_urls or not sender:
        return None
    since = now - DUPLICATE_WINDOW
    wanted = set(notice.target_urls)
    for earlier, case in _notices_from(session, sender, kind=notice.kind):
        if earlier.created_at >= since and set(earlier.target_urls) == wanted:
            return case
    return None


def _case_for_counter_notice(session: Session, notice: Notice) -> Case | None:
    """The removal a counter-notice disputes: a resolved case about the same pages."""
    wanted = set(notice.target_urls)
    rows = session.exec(
        select(Notice, Case).join(Case, Case.id == Notice.case_id)
        .where(Case.status == "resolved_removed").order_by(Case.id.desc())
    ).all()
    for earlier, case in rows:
        if wanted & set(earlier.target_urls):
            return case
    return None


def _case_for_retraction(session: Session, notice: Notice, sender: str) -> Case | None:
    """The claimant's own earlier case that a retraction withdraws."""
    wanted = set(notice.target_urls)
    for earlier, case in reversed(_notices_from(session, sender, kind="takedown")):
        if not wanted or wanted & set(earlier.target_urls):
            return case
    return None


def _notice_from(parsed: ParsedMessage, message: MailMessage, config: dict) -> Notice:
    fields = extract_notice(parsed, site_domains=list(config["SITE_DOMAINS"]))
    data = to_json(fields)
    claimant = data["claimant"]
    return Notice(
        message_id=message.id, kind=data["kind"], claimant=claimant,
        claimant_email=(claimant.get("email") or message.from_addr or None),
        works=data["works"], target_urls=data["target_urls"],
        original_urls=data["original_urls"],
        statements=data["statements"] | {"evidence": data["evidence"]},
        signature=data["signature"], jurisdiction=data["jurisdiction"],
        missing_elements=data["missing_elements"],
    )


def _attach(session: Session, message: MailMessage, case: Case, action: str) -> None:
    message.case_id = case.id
    audit.record(session, action, actor="mailbox", object_type="case", object_id=case.id,
                 after={"message": message.id, "subject": message.subject[:200]})


def _handle_notice(session: Session, message: MailMessage, parsed: ParsedMessage, config: dict,
                   now: datetime) -> tuple[Case | None, bool]:
    notice = _notice_from(parsed, message, config)
    session.add(notice)
    session.flush()
    if notice.kind == "counter_notice":
        disputed = _case_for_counter_notice(session, notice)
        if disputed is not None:
            notice.case_id = disputed.id
            _attach(session, message, disputed, "case.counter_notice_received")
            cases.apply(session, disputed, expected_version=disputed.version, actor="mailbox",
                        action="case.counter_notice", change=cases.Change(status="counter_notice"))
            restoration.open_putback(session, disputed, now=now)
            autoreplies.forward_counter_notice(session, disputed, message, config=config, now=now)
            return disputed, False
    if notice.kind == "retraction":
        withdrawn = _case_for_retraction(session, notice, message.from_addr)
        if withdrawn is not None:
            notice.case_id = withdrawn.id
            _attach(session, message, withdrawn, "case.retraction_received")
            return withdrawn, False
    duplicate_of = _duplicate_case(session, notice, message.from_addr, now)
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
        due_at=cases.due_from(message.received_at, config, notice.jurisdiction),
    )
    notice.case_id = case.id
    message.case_id = case.id
    cases.record_targets(session, case, notice)
    autoreplies.acknowledge(session, case, message, config=config, now=now)
    return case, True


def _process(session: Session, message: MailMessage, config: dict, now: datetime) -> IngestResult:
    """Parse and act on a stored message; quarantine it with the reason if it cannot be read."""
    try:
        parsed = parse_message(message.raw, now=now)
    except MailParseError as exc:
        message.classification, message.quarantine_reason = "quarantined", exc.reason
        return IngestResult(message.id, "quarantined", "quarantined")
    _fill(message, parsed)
    verdict = classify(parsed, loop_id=loop_id(str(config["MAIL_FROM"])),
                       is_our_message_id=_our_message_id_lookup(session))
    message.classification = verdict.label
    message.classification_reasons = list(verdict.reasons)
    message.quarantine_reason = None
    case, new_case = None, False
    if verdict.label in ("reply", "bounce"):
        case = _thread_case(session, parsed)
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


def _same_message_again(session: Session, raw: bytes) -> int | None:
    """A copy already stored under other transport headers: same Message-ID, same sender."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        message_id = normalise_message_id(str(headers.get("Message-ID") or ""))
        sender = parseaddr(str(headers.get("From") or ""))[1].lower()
    except Exception:  # unreadable headers: the full parse will say why
        return None
    if not message_id or not sender:
        return None
    return session.exec(select(MailMessage.id).where(
        MailMessage.message_id == message_id, MailMessage.from_addr == sender)).first()


def ingest(
    session: Session, raw: bytes, *, config: dict, source: str = "", mailbox_key: str | None = None,
    uidvalidity: int | None = None, uid: int | None = None, now: datetime | None = None,
) -> IngestResult:
    """Store one message exactly once and act on it, in one transaction (committed here)."""
    now = now or utcnow()
    digest = hashlib.sha256(raw).hexdigest()
    existing = session.exec(select(MailMessage.id).where(MailMessage.sha256 == digest)).first()
    if existing is None:
        existing = _same_message_again(session, raw)
    if existing is not None:
        return IngestResult(existing, "duplicate")
    message = MailMessage(sha256=digest, raw=raw, source=source[:500], mailbox_key=mailbox_key,
                          uidvalidity=uidvalidity, uid=uid, received_at=now)
    try:
        session.add(message)
        session.flush()
        try:
            result = _process(session, message, config, now)
        except cases.CaseConflict:
            raise
        except Exception as exc:  # a bug must not lose the mail: keep it, quarantined, say why
            log.exception("message %s could not be processed", digest[:12])
            session.rollback()
            message = MailMessage(sha256=digest, raw=raw, source=source[:500],
                                  mailbox_key=mailbox_key, uidvalidity=uidvalidity, uid=uid,
                                  received_at=now, classification="quarantined",
                                  quarantine_reason=f"the desk failed while reading it ({exc})")
            session.add(message)
            session.flush()
            result = IngestResult(message.id, "quarantined", "quarantined")
        audit.record(session, "mail.receive", actor="mailbox", object_type="mail",
                     object_id=message.id, after={"classification": message.classification,
                                                  "case_id": result.case_id})
        session.commit()
    except IntegrityError:
        # Another importer stored the same bytes first: one copy is enough.
        session.rollback()
        existing = session.exec(select(MailMessage.id).where(MailMessage.sha256 == digest)).first()
        return IngestResult(existing, "duplicate")
    return result


def retry_quarantined(session: Session, *, config: dict) -> list[IngestResult]:
    """Read quarantined messages again (after a fix to the parser, say)."""
    results = []
    ids = session.exec(select(MailMessage.id).where(MailMessage.classification == "quarantined")).all()
    for message_id in ids:
        message = session.get(MailMessage, message_id)
        result = _process(session, message, config, utcnow())
        audit.record(session, "mail.retry", actor="mailbox", object_type="mail",
                     object_id=message.id, after={"classification": message.classification})
        session.commit()
        results.append(result)
    return results
