"""Administration pages: adding users, changing roles, deactivating, the audit log."""

from sqlmodel import select

from moderation.models import AuditEvent, User
from moderation.plumbing.db import get_session, make_engine

from ..conftest import PASSWORD, Auth, add_user, make_test_app


def _user(app, email):
    with app.app_context():
        return get_session().exec(select(User).where(User.email == email)).one()


def test_admin_adds_a_user_who_can_then_sign_in(client, auth, app):
    auth.login("boss@example.org", "admin")
    response = client.post("/admin/users", data={
        "email": "new@example.org", "role": "reviewer", "password": "a long enough password"})
    assert response.status_code == 302
    assert _user(app, "new@example.org").role == "reviewer"
    other = app.test_client()
    signed_in = other.post("/login", data={"email": "new@example.org",
                                           "password": "a long enough password"})
    assert signed_in.headers["Location"] == "/"


def test_adding_a_user_with_a_short_password_shows_the_error(client, auth, app):
    auth.login("boss@example.org", "admin")
    response = client.post("/admin/users", data={
        "email": "new@example.org", "role": "reviewer", "password": "short"})
    assert response.status_code == 200
    assert b"Field must be between 12 and 1000 characters long." in response.data
    with app.app_context():
        assert get_session().exec(select(User).where(User.email == "new@example.org")).first() is None


def test_admin_changes_a_role_and_it_is_audited(client, auth, app):
    auth.login("boss@example.org", "admin")
    target = add_user(app, "r@example.org")
    client.post(f"/admin/users/{target}", data={f"u{target}-role": "admin", f"u{target}-active": "y"})
    assert _user(app, "r@example.org").role == "admin"
    with app.app_context():
        event = get_session().exec(
            select(AuditEvent).where(AuditEvent.action == "user.update")).one()
    assert event.before == {"role": "reviewer", "active": True}
    assert event.after == {"role": "admin", "active": True}
    assert event.actor == "boss@example.org"


def test_deactivating_a_user_signs_them_out(app):
    boss, victim = app.test_client(), app.test_client()
    Auth(boss, app).login("boss@example.org", "admin")
    Auth(victim, app).login("victim@example.org", "reviewer")
    assert victim.get("/").status_code == 200
    victim_id = _user(app, "victim@example.org").id
    boss.post(f"/admin/users/{victim_id}", data={f"u{victim_id}-role": "reviewer"})
    assert _user(app, "victim@example.org").active is False
    assert victim.get("/").status_code == 302


def test_the_last_admin_cannot_be_demoted(client, auth, app):
    auth.login("boss@example.org", "admin")
    me = _user(app, "boss@example.org").id
    response = client.post(f"/admin/users/{me}", data={f"u{me}-role": "reviewer",
                                                      f"u{me}-active": "y"},
                           follow_redirects=True)
    assert b"The desk needs at least one active administrator." in response.data
    assert _user(app, "boss@example.org").role == "admin"


def test_audit_page_checks_the_chain(client, auth):
    auth.login("boss@example.org", "admin")
    page = client.get("/admin/audit?verify=1")
    assert b"Chain intact" in page.data and b"login.success" in page.data


def test_own_settings_change_language_and_time_zone(client, auth, app):
    auth.login()
    response = client.post("/account/", data={
        "prefs-locale": "en", "prefs-timezone": "America/New_York", "prefs-submit": "Save"})
    assert response.status_code == 302
    user = _user(app, "reviewer@example.org")
    assert (user.locale, user.timezone) == ("en", "America/New_York")


def test_password_change_keeps_this_session_and_ends_others(app):
    here, elsewhere = app.test_client(), app.test_client()
    Auth(here, app).login()
    elsewhere.post("/login", data={"email": "reviewer@example.org", "password": PASSWORD})
    response = here.post("/account/", data={
        "pw-current": PASSWORD, "pw-password": "a brand new password",
        "pw-confirm": "a brand new password", "pw-submit": "Change password"})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_unreachable_database_gives_a_clear_page(tmp_path):
    app = make_test_app(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/login")
    assert response.status_code == 200  # the sign-in page needs no database
    response = app.test_client().post("/login", data={"email": "a@b.c", "password": "x" * 12})
    assert response.status_code == 503
    assert b"cannot reach its database" in response.data
    assert b"Traceback" not in response.data


def test_database_lost_while_signed_in_gives_the_clear_page(app):
    """A signed-in reviewer whose database goes away mid-session gets the 503 page, not a
    bare 500: the page must not need the database to say who is signed in."""
    client = app.test_client()
    Auth(client, app).login()
    assert client.get("/").status_code == 200
    working = app.extensions["moderation.engine"]
    app.extensions["moderation.engine"] = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        for path in ("/", "/articles/", "/account/"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert b"cannot reach its database" in response.data
            assert b"Traceback" not in response.data
    finally:
        app.extensions["moderation.engine"].dispose()
        app.extensions["moderation.engine"] = working
    assert client.get("/").status_code == 200  # the session survives the outage
