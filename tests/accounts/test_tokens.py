"""API tokens: shown once, stored as a hash, checked, revoked, audited; and their commands."""

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from moderation.accounts import tokens
from moderation.models import ApiToken, AuditEvent, utcnow
from moderation.plumbing.db import get_session


def test_token_is_stored_only_as_its_hash_and_found_again(app):
    with app.app_context():
        session = get_session()
        token, plain = tokens.create_token(session, name="  CMS   sync ", actor="test")
        session.commit()
        assert token.name == "CMS sync"
        assert len(plain) >= 43  # 32 random bytes, URL-safe base64
        assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        stored = session.exec(select(ApiToken)).one()
        assert plain not in (stored.name, stored.token_hash)
        assert tokens.check_token(session, plain).id == token.id
        assert tokens.check_token(session, plain + "x") is None
        assert tokens.check_token(session, "") is None
        assert tokens.check_token(session, None) is None


def test_two_tokens_never_share_a_value(app):
    with app.app_context():
        session = get_session()
        _, first = tokens.create_token(session, name="a", actor="test")
        _, second = tokens.create_token(session, name="b", actor="test")
        assert first != second


@pytest.mark.parametrize(("name", "words"), [("   ", "needs a name"), ("x" * 101, "at most 100")])
def test_token_name_is_required_and_bounded(app, name, words):
    with app.app_context(), pytest.raises(tokens.TokenError, match=words):
        tokens.create_token(get_session(), name=name, actor="test")


def test_revoked_token_is_refused_and_both_steps_are_audited(app):
    with app.app_context():
        session = get_session()
        token, plain = tokens.create_token(session, name="cms", actor="test")
        session.commit()
        assert tokens.revoke_token(session, token, actor="test") is True
        session.commit()
        assert tokens.check_token(session, plain) is None
        assert tokens.revoke_token(session, token, actor="test") is False  # nothing to do again
        events = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [(e.action, e.object_type, e.object_id) for e in events] == [
            ("token.create", "api_token", str(token.id)),
            ("token.revoke", "api_token", str(token.id)),
        ]
        assert events[0].after == {"name": "cms"}  # never the token itself


def test_last_use_is_written_at_most_once_a_minute(app):
    with app.app_context():
        session = get_session()
        _, plain = tokens.create_token(session, name="cms", actor="test")
        session.commit()
        start = utcnow()
        assert tokens.check_token(session, plain, now=start).last_used_at == start
        later = start + timedelta(seconds=30)
        assert tokens.check_token(session, plain, now=later).last_used_at == start
        minute = start + timedelta(minutes=1)
        assert tokens.check_token(session, plain, now=minute).last_used_at == minute


def test_tokens_commands_create_list_and_revoke(app, runner):
    created = runner.invoke(args=["tokens", "create", "CMS sync"])
    assert created.exit_code == 0, created.output
    plain = created.stdout.strip()
    assert "\n" not in plain  # standard output holds the token alone, for scripts
    assert "will not be shown again" in created.output
    with app.app_context():
        token = tokens.check_token(get_session(), plain)
        assert token is not None and token.name == "CMS sync"
        token_id = token.id

    listing = runner.invoke(args=["tokens", "list"])
    assert listing.exit_code == 0
    assert listing.output.startswith(f"{token_id}\tCMS sync\tactive\t")
    assert plain not in listing.output

    revoked = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert revoked.exit_code == 0 and f"Revoked API token {token_id}" in revoked.output
    assert f"{token_id}\tCMS sync\trevoked\t" in runner.invoke(args=["tokens", "list"]).output
    again = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert again.exit_code == 0 and "already revoked" in again.output
    with app.app_context():
        assert tokens.check_token(get_session(), plain) is None

    unknown = runner.invoke(args=["tokens", "revoke", "999"])
    assert unknown.exit_code == 1 and "no API token with id 999" in unknown.output
    empty = runner.invoke(args=["tokens", "create", " "])
    assert empty.exit_code == 1 and "needs a name" in empty.output
