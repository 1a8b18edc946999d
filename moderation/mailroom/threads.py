"""Which case an incoming message belongs to: the one it answers, repeats, disputes or
withdraws (asked of the database; mailsenders answers the same for a batch from memory)."""

from datetime import timedelta

from sqlmodel import Session, select

from ..mailbox import ParsedMessage
from ..models import Case, MailMessage, Notice, Reply
from ..notices.classify import CASE_TAG_PATTERN, case_number_from

# The same request sent again within this many days joins the first case as a duplicate.
DUPLICATE_WINDOW = timedelta(days=14)


def our_message_id_lookup(session: Session):
    def is_ours(message_id: str) -> bool:
        return session.exec(select(Reply.id).where(Reply.message_id == message_id)).first() is not None
    return is_ours


def thread_case(session: Session, parsed: ParsedMessage) -> Case | None:
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


def case_for_counter_notice(session: Session, notice: Notice) -> Case | None:
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


def case_for_retraction(session: Session, notice: Notice, sender: str) -> Case | None:
    """The claimant's own earlier case that a retraction withdraws."""
    wanted = set(notice.target_urls)
    for earlier, case in reversed(_notices_from(session, sender, kind="takedown")):
        if not wanted or wanted & set(earlier.target_urls):
            return case
    return None
