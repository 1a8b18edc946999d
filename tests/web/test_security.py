"""Security headers, session cookies and lifetimes, proxies, and no unescaped content in pages."""

import re
import time
from pathlib import Path

import pytest
from sqlmodel import select

from moderation.models import AuditEvent
from moderation.plumbing.db import get_session

from ..conftest import PASSWORD, add_user, make_test_app

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)

TEMPLATES = Path(__file__).resolve().parents[2] / "moderation" / "templates"
EXPIRED = b"Your session has expired; sign in again."

# Template lines allowed to render markup unescaped, as "relative/path.html: line text".
# Only server-made markup (never mail, articles or originals) may ever be listed here.
SAFE_ALLOWED: set[str] = set()


@pytest.mark.parametrize("path", ["/login", "/healthz", "/no/such/page", "/static/queue.js"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:  # closing lets the static file go
        headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(policy.split(", "))


def test_pages_behind_the_login_are_not_stored_by_caches(client, auth):
    assert client.get("/").headers["Cache-Control"] == "no-store"  # the redirect to /login
    auth.login()
    page = client.get("/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/healthz").headers.get("Cache-Control", "")


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_forwarded_headers_are_ignored_without_proxy_fix(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_proxy_fix_trusts_the_proxy_for_scheme_and_client_address(tmp_path, database_url):
    app = make_test_app(tmp_path, database_url, PROXY_FIX=True)
    add_user(app, "proxied@example.org")
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    assert "Strict-Transport-Security" in client.get("/login", headers=forwarded).headers
    client.post("/login", headers=forwarded,
                data={"email": "proxied@example.org", "password": PASSWORD})
    with app.app_context():
        event = get_session().exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "login.success" and event.address == "203.0.113.7"


def session_cookie_header(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    cookie = session_cookie_header(auth.login())
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured_in_the_environment(
        tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("MODERATION_SESSION_COOKIE_SECURE", "true")
    app = make_test_app(tmp_path, database_url)
    add_user(app, "secure@example.org")
    response = app.test_client().post(
        "/login", data={"email": "secure@example.org", "password": PASSWORD},
        base_url="https://localhost")
    assert "; Secure" in session_cookie_header(response)


def test_sign_in_records_its_time_in_the_session(client, auth):
    before = time.time()
    auth.login()
    with client.session_transaction() as session:
        assert before - 1 <= session["signed_in_at"] <= time.time()


def age_session(client, **seconds_ago: float) -> None:
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = time.time() - ago


def assert_sent_to_login(client, response) -> None:
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert EXPIRED in client.get(response.headers["Location"]).data
    assert client.get("/").status_code == 302  # signed out, not just turned away once


def test_session_ends_after_session_hours_even_when_active(client, auth, app):
    auth.login()
    hours = app.config["SESSION_HOURS"]
    age_session(client, signed_in_at=hours * 3600 + 60, last_seen_at=1)
    assert_sent_to_login(client, client.get("/"))


def test_session_within_its_hours_stays_signed_in(client, auth, app):
    auth.login()
    age_session(client, signed_in_at=app.config["SESSION_HOURS"] * 3600 - 60, last_seen_at=1)
    assert client.get("/").status_code == 200


def test_idle_session_ends_after_idle_minutes(client, auth, app):
    auth.login()
    assert app.config["SESSION_IDLE_MINUTES"] == 120
    age_session(client, signed_in_at=3 * 3600, last_seen_at=121 * 60)
    assert_sent_to_login(client, client.get("/articles/"))


def test_each_request_refreshes_the_idle_clock(client, auth):
    auth.login()
    age_session(client, signed_in_at=3 * 3600, last_seen_at=119 * 60)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen_at"] < 5


def test_session_without_a_sign_in_time_is_refused(client, auth):
    auth.login()
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert_sent_to_login(client, client.get("/"))


def test_expired_session_message_is_translated(client, auth):
    auth.login()
    age_session(client, signed_in_at=100 * 3600)
    with client.session_transaction() as session:
        session["locale"] = "zh_Hans"
    page = client.get(client.get("/").headers["Location"])
    assert "您的会话已过期" in page.get_data(as_text=True)


def template_lines():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield path.relative_to(TEMPLATES).as_posix(), number, line


def test_templates_do_not_mark_content_safe():
    unescaped = re.compile(r"\|\s*safe\b|\bMarkup\s*\(|autoescape\s+false", re.IGNORECASE)
    found = [f"{name}:{number}: {line.strip()}" for name, number, line in template_lines()
             if unescaped.search(line) and f"{name}: {line.strip()}" not in SAFE_ALLOWED]
    assert found == [], "unescaped output in templates (mail and articles must be escaped)"
    assert sum(1 for _ in template_lines()) > 100  # the scan really read the templates


def test_templates_have_no_inline_scripts_the_policy_would_block():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    found = [f"{name}:{number}" for name, number, line in template_lines()
             if inline_script.search(line) or handler.search(line) or "javascript:" in line]
    assert found == []
