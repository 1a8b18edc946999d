"""Outgoing mail: replies queued in the database, sent over SMTP, retried with backoff."""

import re
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from sqlmodel import Session, select

from ..models import Case, Reply, User, utcnow
from ..plumbing import audit

CASE_TAG = "[Case #{id}]"
CASE_TAG_PATTERN = re.compile(r"\[Case #(\d+)\]", re.IGNORECASE)
MAX_ATTEMPTS = 8
_HEADER_BREAK = re.compile(r"[\r\n\x00]")


class OutboxError(ValueError):
    """A reply that cannot be queued as given (e.g. an address or subject with line breaks)."""


@dataclass
class SMTPSettings:
    """Where replies go out; passwords come from the environment only."""

    host: str
    port: int = 587
    security: str = "starttls"  # "ssl", "starttls" or "none"
    user: str = ""
    password: str = ""
    sender: str = "desk@localhost"
    timeout: float = 20.0

    @classmethod
    def from_config(cls, config: dict) -> "SMTPSettings | None":
        if not config.get("SMTP_HOST"):
            return None
        return cls(host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]),
                   security=str(config["SMTP_SECURITY"]).lower(), user=config["SMTP_USER"],
                   password=config["SMTP_PASSWORD"], sender=config["MAIL_FROM"])


def loop_id(sender: str) -> str:
    """The X-Loop value we stamp on our mail and refuse to answer: our own address."""
    return (parseaddr(sender)[1] or sender).lower()


def tagged_subject(case_id: int, subject: str) -> str:
    """Our subject tag first, once, so replies find their case again."""
    subject = " ".join(CASE_TAG_PATTERN.sub("", subject or "").split())
    return f"{CASE_TAG.format(id=case_id)} {subject}".strip()


def _clean_header(value: str, what: str) -> str:
    if _HEADER_BREAK.search(value or ""):
        raise OutboxError(f"the {what} contains a line break, which could forge mail headers")
    return value


def queue_reply(
    session: Session, *, case: Case, to_addr: str, subject: str, body: str, template: str,
    sender: str, in_reply_to: str | None = None, references: list[str] | None = None,
    actor: User | str | None = None,
) -> Reply:
    """Queue one reply to a case's correspondent; the caller commits."""
    name, address = parseaddr(_clean_header(to_addr, "recipient"))
    if "@" not in address:
        raise OutboxError(f"{to_addr!r} is not an e-mail address")
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    reply = Reply(
        case_id=case.id, template=template, to_addr=formataddr((name, address)),
        subject=tagged_subject(case.id, _clean_header(subject, "subject"))[:998],
        body=body, message_id=f"<{uuid.uuid4().hex}@{domain}>", in_reply_to=in_reply_to,
        references=[r for r in (references or []) if not _HEADER_BREAK.search(r)][-20:],
        status="queued", next_attempt_at=utcnow(),
        created_by_id=actor.id if isinstance(actor, User) else None,
    )
    if in_reply_to and in_reply_to not in reply.references:
        reply.references.append(_clean_header(in_reply_to, "In-Reply-To"))
    session.add(reply)
    session.flush()
    audit.record(session, "reply.queue", actor=actor, object_type="reply", object_id=reply.id,
                 after={"case_id": case.id, "to": reply.to_addr, "template": template,
                        "subject": reply.subject})
    return reply


def build_message(reply: Reply, sender: str, *, automatic: bool = False) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = reply.to_addr
    message["Subject"] = reply.subject
    message["Message-ID"] = reply.message_id
    message["Date"] = format_datetime(reply.created_at)
    if reply.in_reply_to:
        message["In-Reply-To"] = reply.in_reply_to
    if reply.references:
        message["References"] = " ".join(reply.references)
    message["X-Loop"] = loop_id(sender)
    # RFC 3834: automatic mail says so, so that well-behaved responders stay quiet.
    message["Auto-Submitted"] = "auto-replied" if automatic else "no"
    message.set_content(reply.body)
    return message


def _connect(settings: SMTPSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        client.starttls(context=ssl.create_default_context())
    return client


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most two hours between tries."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.waiting


# A claimed reply is held this long: a sender that dies while sending it leaves it to the
# next sender after that, not at once (it may have gone out).
SEND_LEASE = timedelta(minutes=10)
# Replies this process handed to the SMTP server but could not mark as sent (the database
# went away at that moment), per database: marked on the next pass instead of sent again.
_unrecorded: dict[str, dict[int, datetime]] = {}


def _claim_next(session: Session, now: datetime, after_id: int) -> Reply | None:
    """The next due reply, leased to this sender and committed before anything is sent.

    FOR UPDATE SKIP LOCKED keeps two senders off one reply while it is claimed; the lease
    (``next_attempt_at`` moved on) keeps the others off it while it is being sent.
    """
    reply = session.exec(
        select(Reply).where(Reply.status == "queued", Reply.next_attempt_at <= now,
                            Reply.id > after_id)
        .order_by(Reply.id).limit(1).with_for_update(skip_locked=True)
    ).first()
    if reply is not None:
        reply.attempts += 1
        reply.next_attempt_at = now + SEND_LEASE
        session.add(reply)
        session.commit()
    return reply


def _mark_sent(session: Session, reply_id: int, when: datetime) -> bool:
    """Record a delivered reply (unless someone already did); the caller commits."""
    reply = session.get(Reply, reply_id)
    if reply is None or reply.status != "queued":
        return False
    reply.status, reply.sent_at, reply.last_error = "sent", when, None
    session.add(reply)
    audit.record(session, "reply.sent", actor="outbox", object_type="reply",
                 object_id=reply.id, after={"case_id": reply.case_id})
    return True


def _record_unrecorded(session: Session, key: str, report: "SendReport") -> None:
    """Mark replies an earlier pass delivered while the database was away."""
    pending = _unrecorded.get(key, {})
    for reply_id, when in sorted(pending.items()):
        report.sent += _mark_sent(session, reply_id, when)
        session.commit()
        del pending[reply_id]


def send_pending(
    session: Session, settings: SMTPSettings, *, now: datetime | None = None, limit: int = 100
) -> SendReport:
    """Send queued replies that are due; failures are kept with their reason and retried later.

    Each reply is claimed (committed), sent, then marked in a transaction of its own. A sender
    killed between sending and marking leaves one reply that goes out again after the lease;
    a database lost at that moment is remembered by this process, and the reply is marked on
    the next pass rather than sent twice. Database errors propagate (the caller waits and
    calls again).
    """
    now = now or utcnow()
    report = SendReport()
    key = str(session.get_bind().url)
    _record_unrecorded(session, key, report)
    client, connect_error, connected, last_id = None, None, False, 0
    try:
        for _ in range(limit):
            reply = _claim_next(session, now, last_id)
            if reply is None:
                break
            last_id = reply.id
            if not connected:
                connected = True
                try:
                    client = _connect(settings)
                    if settings.user:
                        client.login(settings.user, settings.password)
                except (OSError, smtplib.SMTPException) as exc:
                    client = None
                    connect_error = (f"cannot reach the mail server {settings.host}:"
                                     f"{settings.port}: {exc}")
            error = connect_error
            if client is not None and error is None:
                try:
                    client.send_message(build_message(
                        reply, settings.sender, automatic=reply.template == "acknowledgement"))
                except (OSError, smtplib.SMTPException) as exc:
                    error = f"the mail server refused the message: {exc}"
            if error is None:
                _unrecorded.setdefault(key, {})[reply.id] = now
                report.sent += _mark_sent(session, reply.id, now)
                session.commit()
                del _unrecorded[key][reply.id]
                continue
            reply.last_error = error[:2000]
            if reply.attempts >= MAX_ATTEMPTS:
                reply.status = "failed"
                report.failed += 1
                audit.record(session, "reply.failed", actor="outbox", object_type="reply",
                             object_id=reply.id, after={"error": reply.last_error})
            else:
                reply.next_attempt_at = now + backoff(reply.attempts)
                report.waiting += 1
            session.add(reply)
            session.commit()
    finally:
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return report


def send_due(session: Session, settings: SMTPSettings, *, now: datetime | None = None,
             step: int = 100) -> SendReport:
    """Every due reply, ``step`` per SMTP connection (``send_pending``), until none is left."""
    report = SendReport()
    while True:
        part = send_pending(session, settings, now=now, limit=step)
        report.sent += part.sent
        report.failed += part.failed
        report.waiting += part.waiting
        if part.handled < step:
            return report
