"""Signing in and out: messages, throttling, replayed cookies, safe redirects, CSRF."""

import pytest
from sqlmodel import select

from moderation.models import AuditEvent, LoginAttempt
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user, make_test_app

GENERIC = b"The e-mail address or the password is not right."


def test_login_succeeds_and_lands_on_the_queue(client, auth):
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and b"reviewer@example.org" in page.data


def test_wrong_password_and_unknown_user_get_the_same_message(client, app):
    add_user(app, "known@example.org")
    wrong = client.post("/login", data={"email": "known@example.org", "password": "nope" * 4})
    unknown = client.post("/login", data={"email": "ghost@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in wrong.data and GENERIC in unknown.data
    strip = lambda body: body.replace(b"known@example.org", b"").replace(b"ghost@example.org", b"")  # noqa: E731
    assert strip(wrong.data) == strip(unknown.data)


def test_deactivated_user_cannot_sign_in(client, app):
    from moderation.models import User

    add_user(app, "gone@example.org")
    with app.app_context():
        session = get_session()
        user = session.exec(select(User).where(User.email == "gone@example.org")).one()
        user.active = False
        session.commit()
    response = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert GENERIC in response.data


def test_repeated_failures_are_throttled_with_429(client, app):
    add_user(app, "target@example.org")
    for _ in range(5):
        client.post("/login", data={"email": "target@example.org", "password": "wrong password!"})
    blocked = client.post("/login", data={"email": "target@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many failed sign-in attempts" in blocked.data
    with app.app_context():
        actions = get_session().exec(select(AuditEvent.action)).all()
        attempts = get_session().exec(select(LoginAttempt)).all()
    assert actions.count("login.failure") == 5 and "login.throttled" in actions
    assert len(attempts) == 5  # the throttled try is refused before any password check


def test_throttling_also_applies_per_address_across_accounts(client, app):
    for n in range(5):
        client.post("/login", data={"email": f"probe{n}@example.org", "password": "x" * 12})
    add_user(app, "innocent@example.org")
    response = client.post("/login", data={"email": "innocent@example.org", "password": PASSWORD})
    assert response.status_code == 429


def test_cookie_replayed_after_logout_is_refused(client, auth):
    auth.login()
    cookie = client.get_cookie("session")
    assert client.get("/").status_code == 200
    auth.logout()
    client.set_cookie("session", cookie.value)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_needs_post(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_pages_redirect_to_login_with_next(client):
    response = client.get("/articles/?q=x")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/articles/?q%3Dx"


@pytest.mark.parametrize(
    "hostile",
    ["//evil.com", "/\\evil.com", "https://evil.com", "javascript:alert(1)", "\\\\evil.com",
     "/\r\nLocation: https://evil.com", "http:/evil.com", " //evil.com"],
)
def test_hostile_next_lands_on_a_local_page(client, app, hostile):
    add_user(app, "nav@example.org")
    response = client.post(
        "/login", data={"email": "nav@example.org", "password": PASSWORD, "next": hostile}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_local_next_is_followed(client, app):
    add_user(app, "nav@example.org")
    response = client.post(
        "/login", data={"email": "nav@example.org", "password": PASSWORD, "next": "/reports/"}
    )
    assert response.headers["Location"] == "/reports/"


def test_post_without_csrf_token_is_refused(tmp_path, database_url):
    app = make_test_app(tmp_path, database_url, WTF_CSRF_ENABLED=True)
    add_user(app, "csrf@example.org")
    client = app.test_client()
    refused = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    assert b"The form had expired or was sent from elsewhere" in refused.data
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post(
        "/login", data={"email": "csrf@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302


def test_login_and_failure_are_audited(client, app):
    add_user(app, "audited@example.org")
    client.post("/login", data={"email": "audited@example.org", "password": "wrong password"})
    client.post("/login", data={"email": "audited@example.org", "password": PASSWORD})
    with app.app_context():
        events = get_session().exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.action for e in events][-2:] == ["login.failure", "login.success"]
    assert events[-1].actor == "audited@example.org" and events[-1].address == "127.0.0.1"


def test_password_hash_is_argon2id(app):
    from moderation.models import User

    add_user(app, "hash@example.org")
    with app.app_context():
        user = get_session().exec(select(User).where(User.email == "hash@example.org")).one()
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
