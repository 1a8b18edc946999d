"""Replies: threading headers, header injection refused, delivery and retries over real SMTP."""

from datetime import timedelta

import pytest
from sqlmodel import select

from moderation import cases, outbox
from moderation.db import get_session
from moderation.models import AuditEvent, Reply, utcnow

from .smtp import free_port

SENDER = "Moderation Desk <desk@uscntv.com>"


def _case(session):
    return cases.open_case(session, actor="test", subject="Copyright notice")


def _settings(port):
    return outbox.SMTPSettings(host="127.0.0.1", port=port, security="none", sender=SENDER,
                               timeout=5)


def test_reply_is_delivered_with_threading_headers(app, smtp_server):
    with app.app_context():
        session = get_session()
        case = _case(session)
        reply = outbox.queue_reply(
            session, case=case, to_addr="Legal <legal@abc.example>", subject="Re: Copyright notice",
            body="我们已收到您的通知。\nWe received your notice.", template="acknowledgement",
            sender=SENDER, in_reply_to="<n1@abc.example>", references=["<n0@abc.example>"],
        )
        session.commit()
        report = outbox.send_pending(session, _settings(smtp_server.port))
        assert report.sent == 1
        delivered = smtp_server.messages[0]
        assert delivered["Subject"] == f"[Case #{case.id}] Re: Copyright notice"
        assert delivered["Message-ID"] == reply.message_id
        assert delivered["In-Reply-To"] == "<n1@abc.example>"
        assert delivered["References"] == "<n0@abc.example> <n1@abc.example>"
        assert delivered["X-Loop"] == "desk@uscntv.com"
        assert delivered["Auto-Submitted"] == "auto-replied"
        assert "我们已收到您的通知。" in delivered.get_content()
        assert session.get(Reply, reply.id).status == "sent"


def test_case_tag_is_not_repeated(app):
    assert outbox.tagged_subject(7, "Re: [Case #7] Notice") == "[Case #7] Re: Notice"


@pytest.mark.parametrize(
    ("field", "value"),
    [("to_addr", "legal@abc.example\r\nBcc: everyone@example.org"),
     ("subject", "Hello\nBcc: everyone@example.org")],
)
def test_header_injection_is_refused(app, field, value):
    with app.app_context():
        session = get_session()
        kwargs = {"to_addr": "legal@abc.example", "subject": "Notice"} | {field: value}
        with pytest.raises(outbox.OutboxError, match="line break"):
            outbox.queue_reply(session, case=_case(session), body="x", template="decision",
                               sender=SENDER, **kwargs)


def test_server_down_keeps_the_reply_and_retries_later(app, smtp_server):
    with app.app_context():
        session = get_session()
        reply = outbox.queue_reply(session, case=_case(session), to_addr="a@abc.example",
                                   subject="Decision", body="x", template="decision", sender=SENDER)
        session.commit()
        dead = _settings(free_port())
        report = outbox.send_pending(session, dead)
        assert (report.sent, report.waiting) == (0, 1)
        stored = session.get(Reply, reply.id)
        assert stored.status == "queued" and stored.attempts == 1
        assert "cannot reach the mail server" in stored.last_error
        # Not due yet: nothing is tried again before the backoff has passed.
        assert outbox.send_pending(session, _settings(smtp_server.port)).sent == 0
        later = utcnow() + timedelta(minutes=2)
        assert outbox.send_pending(session, _settings(smtp_server.port), now=later).sent == 1
        assert len(smtp_server.messages) == 1
        assert session.get(Reply, reply.id).last_error is None


def test_reply_is_marked_failed_after_the_last_attempt(app):
    with app.app_context():
        session = get_session()
        reply = outbox.queue_reply(session, case=_case(session), to_addr="a@abc.example",
                                   subject="Decision", body="x", template="decision", sender=SENDER)
        session.commit()
        dead, now = _settings(free_port()), utcnow()
        for _ in range(outbox.MAX_ATTEMPTS):
            outbox.send_pending(session, dead, now=now)
            now += timedelta(hours=3)
        assert session.get(Reply, reply.id).status == "failed"
        actions = session.exec(select(AuditEvent.action)).all()
        assert actions.count("reply.failed") == 1
