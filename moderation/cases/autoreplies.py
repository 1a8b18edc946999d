"""Replies the desk writes by itself: acknowledgements, counter-notices passed on, restorations."""

import uuid
from datetime import datetime
from email.utils import formataddr, parseaddr

from sqlmodel import Session, select

from ..models import Case, MailMessage, Notice, Reply, User, utcnow
from ..plumbing.rows import row_values
from ..replies import outbox


def correspondent(session: Session, case: Case) -> tuple[str | None, str | None, list[str]]:
    """Whom to answer: address, the Message-ID to answer, and the References chain."""
    last = session.exec(
        select(MailMessage)
        .where(
            MailMessage.case_id == case.id,
            MailMessage.classification.in_(("notice", "reply", "inquiry")),
        )
        .order_by(MailMessage.id.desc())
    ).first()
    if last is None:
        return case.claimant_email, None, []
    return (
        case.claimant_email or last.from_addr or None,
        last.message_id,
        [*last.references, *([last.message_id] if last.message_id else [])],
    )


def queue_to_claimant(
    session: Session,
    case: Case,
    *,
    user: User | str,
    template: str,
    subject: str,
    body: str,
    sender: str,
) -> Reply | None:
    address, in_reply_to, references = correspondent(session, case)
    if not address or not body.strip():
        return None
    return outbox.queue_reply(
        session,
        case=case,
        to_addr=address,
        subject=subject,
        body=body,
        template=template,
        sender=sender,
        in_reply_to=in_reply_to,
        references=references,
        actor=user,
    )


def draft_and_queue(
    session: Session, case: Case, template: str, *, config: dict, actor: str, **extra
) -> Reply | None:
    """Render one of the reply templates for the case and queue it (no reviewer involved)."""
    from .. import replies
    from . import drafts

    facts = drafts.quick_facts(session, case, site_name=str(config["SITE_NAME"]))
    if extra:
        facts = replies.ReplyFacts.coerce({**facts.__dict__, **extra})
    try:
        subject, body = replies.render(
            template, replies.language_for(facts.language), facts, config.get("REPLY_TEMPLATES")
        )
    except replies.ReplyError:
        return None
    return queue_to_claimant(
        session,
        case,
        user=actor,
        template=template,
        subject=subject,
        body=body,
        sender=str(config["MAIL_FROM"]),
    )


def acknowledge(
    session: Session, case: Case, message: MailMessage, *, config: dict, now: datetime | None = None
) -> Reply | None:
    """Acknowledge a new notice: never to automatic mail, at most once a day per sender."""
    from ..replies import ACKNOWLEDGEMENT, should_acknowledge

    now = now or utcnow()
    sender = message.from_addr
    last = (
        session.exec(
            select(Reply.created_at)
            .where(Reply.template == ACKNOWLEDGEMENT, Reply.to_addr == sender)
            .order_by(Reply.created_at.desc())
        ).first()
        if sender
        else None
    )
    if not should_acknowledge(
        classification=message.classification, sender=sender, last_ack_to_sender_at=last, now=now
    ):
        return None
    return draft_and_queue(session, case, ACKNOWLEDGEMENT, config=config, actor="mailbox")


def acknowledgement_for_new_case(
    case, message, notice: Notice, targets: list, *, config: dict,
    last_ack_to_sender_at: datetime | None, now: datetime,
) -> dict | None:
    """The acknowledgement ``acknowledge`` queues for a case just opened from ``message``,
    built from the values in hand instead of read back from the database: the Reply row's
    values, or None when no acknowledgement is due.

    For the batch importer, which writes many at once; ``case`` and ``message`` are read
    like a Case and a MailMessage (they need not be in the session). Each step mirrors the
    one it stands for: ``drafts.quick_facts`` (``targets`` are its ``Target`` rows),
    ``queue_to_claimant`` with ``correspondent`` (the message is the case's only one) and
    ``outbox.queue_reply`` (minus the insert and the audit event, which the caller writes).
    tests/test_mail_batch.py checks that both ways give the same reply.
    """
    from .. import replies
    from ..replies.reasons import ReplyFacts
    from .drafts import language_of

    sender = message.from_addr
    if not replies.should_acknowledge(
        classification=message.classification, sender=sender,
        last_ack_to_sender_at=last_ack_to_sender_at if sender else None, now=now,
    ):
        return None
    claimant = notice.claimant or {}
    facts = ReplyFacts(
        case_id=case.id, received_at=message.received_at,
        claimant_name=claimant.get("name") or claimant.get("organisation") or case.claimant_name,
        language=language_of(message.text or ""),
        jurisdiction=case.jurisdiction if case.jurisdiction in ("US", "EU", "CN") else None,
        due_at=case.due_at, site_name=str(config["SITE_NAME"]), targets=list(targets),
        missing_elements=list(notice.missing_elements),
        notice_kind="counter_notice" if notice.kind == "counter_notice" else "takedown",
        decided_at=case.decided_at,
    )
    try:
        subject, body = replies.render(replies.ACKNOWLEDGEMENT,
                                       replies.language_for(facts.language), facts,
                                       config.get("REPLY_TEMPLATES"))
    except replies.ReplyError:
        return None
    address = case.claimant_email or message.from_addr or None
    if not address or not body.strip():
        return None
    references = [*message.references, *([message.message_id] if message.message_id else [])]
    return _queued_reply(case.id, to_addr=address, subject=subject, body=body,
                         template=replies.ACKNOWLEDGEMENT, sender=str(config["MAIL_FROM"]),
                         in_reply_to=message.message_id, references=references)


def _queued_reply(case_id: int, *, to_addr: str, subject: str, body: str, template: str,
                  sender: str, in_reply_to: str | None, references: list[str]) -> dict:
    """The Reply row ``outbox.queue_reply`` makes (same checks, same fields), as values."""
    clean = outbox._clean_header  # the very check queue_reply makes, so both refuse alike
    name, address = parseaddr(clean(to_addr, "recipient"))
    if "@" not in address:
        raise outbox.OutboxError(f"{to_addr!r} is not an e-mail address")
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    reply = row_values(
        Reply, case_id=case_id, template=template, to_addr=formataddr((name, address)),
        subject=outbox.tagged_subject(case_id, clean(subject, "subject"))[:998],
        body=body, message_id=f"<{uuid.uuid4().hex}@{domain}>", in_reply_to=in_reply_to,
        references=[r for r in references if not outbox._HEADER_BREAK.search(r)][-20:],
        status="queued", next_attempt_at=utcnow(), created_by_id=None,
    )
    if in_reply_to and in_reply_to not in reply["references"]:
        reply["references"].append(clean(in_reply_to, "In-Reply-To"))
    return reply


def forward_counter_notice(
    session: Session, case: Case, message: MailMessage, *, config: dict, now: datetime | None = None
) -> Reply | None:
    """Tell the original claimant that a counter-notice disputes the removal."""
    from ..replies import COUNTER_NOTICE_FORWARDED

    return draft_and_queue(
        session,
        case,
        COUNTER_NOTICE_FORWARDED,
        config=config,
        actor="mailbox",
        counter_notice_at=now or utcnow(),
        counter_notice_text=(message.text or "")[:4000],
    )


def notify_restored(session: Session, case: Case, *, config: dict, now: datetime) -> Reply | None:
    """Tell the claimant the disputed pages are back."""
    from ..replies import RESTORED

    return draft_and_queue(session, case, RESTORED, config=config, actor="putback", restored_at=now)
