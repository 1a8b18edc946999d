"""Replies: threading headers, header injection refused, delivery and retries over real SMTP."""

from datetime import timedelta

import pytest
import sqlalchemy
from sqlmodel import select

from moderation import cases
from moderation.models import AuditEvent, Reply, utcnow
from moderation.plumbing.db import get_session
from moderation.replies import outbox

from ..support.smtp import free_port

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


def test_database_lost_after_sending_marks_the_reply_later_without_resending(any_app,
                                                                             smtp_server):
    """The SMTP server took the reply, then the commit marking it sent failed (a database
    restart): the next pass marks it sent and does not send it again; another sender keeps
    off it meanwhile."""
    with any_app.app_context():
        session = get_session()
        reply = outbox.queue_reply(session, case=_case(session), to_addr="a@abc.example",
                                   subject="Decision", body="x", template="decision", sender=SENDER)
        session.commit()
        failures = []

        def lose_database(session_, _transaction=None):
            marked = [r for r in session_.identity_map.values()
                      if isinstance(r, Reply) and r.status == "sent"]
            if marked and not failures:
                failures.append(marked[0].id)
                raise sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("server closed"))

        sqlalchemy.event.listen(session, "before_commit", lose_database)
        with pytest.raises(sqlalchemy.exc.OperationalError):
            outbox.send_pending(session, _settings(smtp_server.port))
        sqlalchemy.event.remove(session, "before_commit", lose_database)
        session.rollback()
        assert failures == [reply.id] and len(smtp_server.messages) == 1
        session.expire_all()
        assert session.get(Reply, reply.id).status == "queued"
        # Another sender (another process: it does not know what this one sent) keeps off
        # the claimed reply until its lease has passed.
        with any_app.app_context():
            other = get_session()
            remembered = outbox._unrecorded.pop(str(other.get_bind().url))
            assert outbox.send_pending(other, _settings(smtp_server.port)).sent == 0
            outbox._unrecorded[str(other.get_bind().url)] = remembered
        assert len(smtp_server.messages) == 1
        # This process's next pass records it: sent once, one audit event.
        report = outbox.send_pending(session, _settings(smtp_server.port))
        assert report.sent == 1 and len(smtp_server.messages) == 1
        assert session.get(Reply, reply.id).status == "sent"
        actions = session.exec(select(AuditEvent.action)).all()
        assert actions.count("reply.sent") == 1


def test_sender_killed_while_sending_leaves_the_reply_to_the_next_after_the_lease(
        app, smtp_server):
    with app.app_context():
        session = get_session()
        reply = outbox.queue_reply(session, case=_case(session), to_addr="a@abc.example",
                                   subject="Decision", body="x", template="decision", sender=SENDER)
        session.commit()
        claimed = outbox._claim_next(session, utcnow(), 0)  # then the sender dies
        assert claimed.id == reply.id and claimed.attempts == 1
        assert outbox.send_pending(session, _settings(smtp_server.port)).sent == 0
        later = utcnow() + outbox.SEND_LEASE + timedelta(seconds=1)
        assert outbox.send_pending(session, _settings(smtp_server.port), now=later).sent == 1
        assert len(smtp_server.messages) == 1
        assert session.get(Reply, reply.id).attempts == 2
