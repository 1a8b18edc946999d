"""Admin settings: saved in the database, applied to every request, the environment wins."""

from pathlib import Path

from sqlmodel import select

from moderation import cases, demo
from moderation.mailroom.batch import ingest
from moderation.models import AuditEvent
from moderation.plumbing import site_settings
from moderation.plumbing.db import get_session

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"


def test_saved_settings_apply_to_later_requests_and_are_audited(client, auth, app):
    auth.login("boss@example.org", "admin")
    response = client.post("/admin/settings", data={
        "SITE_DOMAINS": "uscntv.com, news.uscntv.com", "SLA_HOURS_US": "36",
        "SMTP_HOST": "smtp.example.org", "SMTP_PORT": "2525"})
    assert response.status_code == 302
    client.get("/")  # any request applies the saved settings
    assert app.config["SITE_DOMAINS"] == ["uscntv.com", "news.uscntv.com"]
    assert cases.sla_hours(app.config, "US") == 36 and app.config["SMTP_PORT"] == 2525
    with app.app_context():
        event = get_session().exec(select(AuditEvent).where(
            AuditEvent.action == "settings.change")).one()
    assert event.after["SLA_HOURS_US"] == 36 and event.actor == "boss@example.org"


def test_a_bad_number_is_refused_with_a_message(client, auth, app):
    auth.login("boss@example.org", "admin")
    page = client.post("/admin/settings", data={"SLA_HOURS_EU": "soon"}).get_data(as_text=True)
    assert "SLA_HOURS_EU must be a whole number" in page


def test_settings_from_the_environment_cannot_be_changed_here(client, auth, app, monkeypatch):
    monkeypatch.setenv("MODERATION_SMTP_HOST", "mail.internal")
    app.config["SMTP_HOST"] = "mail.internal"
    auth.login("boss@example.org", "admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Set by the environment (MODERATION_SMTP_HOST)" in page
    client.post("/admin/settings", data={"SMTP_HOST": "attacker.example"})
    client.get("/")
    assert app.config["SMTP_HOST"] == "mail.internal"


def test_secrets_are_never_shown(client, auth, app):
    app.config["SMTP_PASSWORD"] = "hunter2-very-secret"
    auth.login("boss@example.org", "admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "hunter2-very-secret" not in page and "MODERATION_SMTP_PASSWORD" in page


def test_edited_reply_wording_is_used_for_new_acknowledgements(client, auth, app):
    auth.login("boss@example.org", "admin")
    client.post("/admin/templates", data={
        "key": "acknowledgement.en", "subject": "Notice received",
        "body": "Thanks. Your case number is $case_id.\n\nWe answer by $due."})
    demo.load(app, with_mail=False)
    with app.app_context():
        session = get_session()
        site_settings.apply(app, session)  # as the mail fetcher does before each pass
        ingest(session, (NOTICES / "dmca_abc_news.eml").read_bytes(), config=app.config)
        from moderation.models import Reply

        reply = session.exec(select(Reply)).one()
    assert reply.subject.endswith("Notice received")
    assert "Thanks. Your case number is" in reply.body


def test_reply_wording_with_unknown_names_is_refused(client, auth, app):
    auth.login("boss@example.org", "admin")
    response = client.post("/admin/templates", data={
        "key": "decision.zh", "subject": "决定", "body": "您好 $nonexistent"},
        follow_redirects=True)
    assert "nonexistent" in response.get_data(as_text=True)
    with app.app_context():
        assert site_settings.saved(get_session(), site_settings.TEMPLATES_KEY) == {}
