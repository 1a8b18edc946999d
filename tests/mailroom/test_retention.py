"""Raw mail retention: what `mail purge` drops, what it keeps, and how the case page says so."""

import hashlib
from datetime import timedelta

from sqlmodel import select

from moderation.mailroom import retention
from moderation.mailroom.batch import ingest
from moderation.models import AuditEvent, Case, MailMessage, Notice, utcnow
from moderation.plumbing import audit
from moderation.plumbing.db import get_session, transaction

from ..conftest import dispose, make_test_app

NOW = utcnow()
OLD = NOW - timedelta(days=400)


def _message(session, name: str, *, received=OLD, case=None, classification="notice",
             notice_case=None) -> int:
    raw = f"From: {name}@example.org\r\nSubject: {name}\r\n\r\nbody of {name}\r\n".encode()
    message = MailMessage(sha256=hashlib.sha256(raw).hexdigest(), raw=raw, subject=name,
                          text=f"body of {name}", from_addr=f"{name}@example.org",
                          received_at=received, classification=classification,
                          case_id=case.id if case else None)
    session.add(message)
    session.flush()
    if notice_case is not None:
        session.add(Notice(message_id=message.id, kind="takedown", case_id=notice_case.id))
    return message.id


def _case(session, status: str, closed=OLD) -> Case:
    case = Case(subject=status, status=status, created_at=OLD, updated_at=closed,
                closed_at=closed if status in ("resolved_kept", "withdrawn", "upheld") else None)
    session.add(case)
    session.flush()
    return case


def _mailbox(app) -> dict[str, int]:
    """One message for each rule; the names say whether the policy lets its raw bytes go."""
    with app.app_context(), transaction() as session:
        kept, removed, open_ = (_case(session, "resolved_kept"), _case(session, "resolved_removed"),
                                _case(session, "in_review"))
        recently = _case(session, "withdrawn", closed=NOW - timedelta(days=2))
        return {
            "purge_closed": _message(session, "closed", case=kept, notice_case=kept),
            "purge_spam": _message(session, "spam", classification="spam"),
            "keep_open": _message(session, "open", case=open_),
            "keep_removed_pages": _message(session, "removed", case=removed),
            "keep_recently_closed": _message(session, "recent", case=recently),
            "keep_quarantined": _message(session, "quarantined", classification="quarantined"),
            "keep_young": _message(session, "young", received=NOW - timedelta(days=3),
                                   classification="spam"),
            "keep_notice_open": _message(session, "elsewhere", notice_case=open_),
        }


def _raw(app) -> dict[int, bytes]:
    with app.app_context():
        return dict(get_session().exec(select(MailMessage.id, MailMessage.raw)).all())


def test_purge_drops_only_what_the_policy_allows(any_app):
    ids = _mailbox(any_app)
    before = _raw(any_app)
    runner = any_app.test_cli_runner()
    dry = runner.invoke(args=["mail", "purge", "--older-than", "30", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would drop the raw bytes of 2 message(s)" in dry.output
    assert _raw(any_app) == before
    with any_app.app_context():
        assert not get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "mail.purge_raw")).all()

    started = utcnow()
    done = runner.invoke(args=["mail", "purge", "--older-than", "30"])
    assert done.exit_code == 0, done.output
    assert "Dropped the raw bytes of 2 message(s)" in done.output
    after = _raw(any_app)
    for name, message_id in ids.items():
        assert (after[message_id] == b"") == name.startswith("purge"), name
        if name.startswith("keep"):
            assert after[message_id] == before[message_id]
    with any_app.app_context():
        session = get_session()
        purged = session.get(MailMessage, ids["purge_closed"])
        assert purged.sha256 == hashlib.sha256(before[purged.id]).hexdigest()
        assert purged.text == "body of closed" and purged.from_addr == "closed@example.org"
        # Stamped by the purge itself (the module's NOW is from collection time, minutes ago
        # on a busy machine).
        assert started <= purged.raw_removed_at.replace(tzinfo=started.tzinfo) <= utcnow()
        assert session.get(MailMessage, ids["keep_open"]).raw_removed_at is None
        assert session.exec(select(Notice).where(Notice.message_id == purged.id)).one()
        [event] = session.exec(select(AuditEvent).where(
            AuditEvent.action == "mail.purge_raw")).all()
        assert event.after["messages"] == 2 and event.after["older_than_days"] == 30
        assert event.after["bytes"] == len(before[ids["purge_closed"]]) + len(
            before[ids["purge_spam"]])
        assert audit.verify(session).ok

    again = runner.invoke(args=["mail", "purge", "--older-than", "30"])
    assert "Dropped the raw bytes of 0 message(s)" in again.output


def test_the_same_mail_fetched_again_after_a_purge_is_still_known(any_app):
    ids = _mailbox(any_app)
    raw = _raw(any_app)[ids["purge_spam"]]
    with any_app.app_context():
        retention.purge(get_session(), 30)
        result = ingest(get_session(), raw, config=any_app.config)
    assert result.outcome == "duplicate" and result.message_id == ids["purge_spam"]


def test_the_setting_gives_the_default_and_zero_keeps_everything(tmp_path, database_url):
    forever = make_test_app(tmp_path, database_url)
    ids = _mailbox(forever)
    result = forever.test_cli_runner().invoke(args=["mail", "purge"])
    assert result.exit_code == 0 and "kept for ever" in result.output
    assert all(_raw(forever).values())
    dispose(forever)
    limited = make_test_app(tmp_path, database_url, RAW_MAIL_RETENTION_DAYS=30)
    result = limited.test_cli_runner().invoke(args=["mail", "purge"])
    assert result.exit_code == 0 and "2 message(s)" in result.output
    assert _raw(limited)[ids["purge_spam"]] == b""
    refused = limited.test_cli_runner().invoke(args=["mail", "purge", "--older-than", "0"])
    assert refused.exit_code == 2 and "--older-than" in refused.output
    dispose(limited)


def test_the_case_page_says_the_raw_message_was_removed(app, client, auth):
    ids = _mailbox(app)
    with app.app_context():
        case_id = get_session().get(MailMessage, ids["purge_closed"]).case_id
        retention.purge(get_session(), 30)
    auth.login()
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Raw message removed under the retention policy on" in text
    assert "body of closed" in text  # the parsed text is still there
