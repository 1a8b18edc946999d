"""Replies the desk writes by itself: acknowledgements, counter-notices passed on, restorations."""

from datetime import datetime

from sqlmodel import Session, select

from . import outbox
from .models import Case, MailMessage, Reply, User, utcnow


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
    from . import drafts, replies

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
    from .replies import ACKNOWLEDGEMENT, should_acknowledge

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


def forward_counter_notice(
    session: Session, case: Case, message: MailMessage, *, config: dict, now: datetime | None = None
) -> Reply | None:
    """Tell the original claimant that a counter-notice disputes the removal."""
    from .replies import COUNTER_NOTICE_FORWARDED

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
    from .replies import RESTORED

    return draft_and_queue(session, case, RESTORED, config=config, actor="putback", restored_at=now)
