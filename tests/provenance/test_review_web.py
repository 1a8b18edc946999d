"""Review items on the case page: reasons, evidence, the decision form; licences on takedowns."""

from datetime import date
from pathlib import Path

from sqlmodel import select

from moderation import demo
from moderation.library import licences
from moderation.mailroom.batch import ingest
from moderation.models import Case, MatchFeedback, Publisher, WebhookDelivery
from moderation.plumbing.db import get_session, transaction

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"


def _item(app) -> Case:
    demo.load(app, with_mail=False)
    with app.app_context():
        return get_session().exec(select(Case).where(Case.kind == "review")).one()


def test_the_review_page_says_why_and_links_the_evidence(client, auth, app):
    item = _item(app)
    auth.login()
    page = client.get(f"/cases/{item.id}").get_data(as_text=True)
    assert "Why this was raised" in page and "Copy without credit" in page
    assert "/evidence/" in page or "evidence" in page
    assert 'value="来源:ABC News / Source: ABC News"' in page
    assert f'action="/cases/{item.id}/review"' in page
    assert "Pages named in the notice" not in page


def test_the_queue_tells_review_items_from_takedowns(client, auth, app):
    item = _item(app)
    auth.login()
    only_review = client.get("/?kind=review").get_data(as_text=True)
    assert f"/cases/{item.id}" in only_review
    assert "Copy without credit" in only_review  # each item says why it was raised
    assert f"/cases/{item.id}" not in client.get("/?kind=takedown").get_data(as_text=True)


def test_fixing_the_credit_from_the_page(client, auth, app):
    item = _item(app)
    auth.login()
    response = client.post(f"/cases/{item.id}/review", data={
        "version": item.version, "action": "credit", "credit_line": "来源:ABC News"})
    assert response.status_code == 302
    page = client.get(f"/cases/{item.id}").get_data(as_text=True)
    assert "Recorded: Fix the credit." in page
    with app.app_context():
        session = get_session()
        assert session.get(Case, item.id).status == "resolved_kept"
        [delivery] = session.exec(select(WebhookDelivery)).all()
        assert delivery.payload["credit_line"] == "来源:ABC News"


def test_a_refused_decision_says_why_and_changes_nothing(client, auth, app):
    item = _item(app)
    auth.login()
    client.post(f"/cases/{item.id}/review", data={"version": item.version, "action": "licensed"})
    page = client.get(f"/cases/{item.id}").get_data(as_text=True)
    assert "Not done: choose a licence of the publisher whose work was copied" in page
    with app.app_context():
        assert get_session().get(Case, item.id).status == "new"
        assert get_session().exec(select(MatchFeedback)).all() == []
    stale = client.post(f"/cases/{item.id}/review", data={"version": item.version + 5,
                                                          "action": "reject"})
    assert stale.status_code == 409


def test_a_takedown_against_a_licensed_copy_shows_the_licence(client, auth, app):
    demo.load(app, with_mail=False)
    with app.app_context(), transaction() as session:
        abc = session.exec(select(Publisher).where(Publisher.name == "ABC News")).one()
        licences.create(session, publisher=abc, actor="test", values={
            "full_repost": True, "translation_allowed": True, "reference": "ABC-2021-7",
            "valid_to": date(2030, 12, 31)})
    with app.app_context():
        case_id = ingest(get_session(), (NOTICES / "dmca_abc_news.eml").read_bytes(),
                         config=app.config).case_id
    auth.login()
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "A licence on record covers this copy" in page and "ABC-2021-7" in page
