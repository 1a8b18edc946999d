"""One photo of a page taken down or replaced by a reviewer, the text kept: recorded, audited,
shown on the case page, worded in the reply (en and zh) and counted in the transparency report."""

from datetime import timedelta

import pytest
from sqlmodel import select

from moderation import replies
from moderation.models import (
    Article,
    ArticleImage,
    AuditEvent,
    Case,
    Decision,
    Reply,
    WebhookDelivery,
    utcnow,
)
from moderation.plumbing.db import get_session
from moderation.replies.reasons import ReplyFacts, Target
from moderation.reports.period import Period
from moderation.reports.transparency import actions

from .test_photo_claims import claim_mail, claims  # noqa: F401 (fixtures)
from .test_photos_flow import agency, site  # noqa: F401 (fixtures)


def takedown_case(app) -> Case:
    with app.app_context():
        return get_session().exec(select(Case).where(Case.kind == "takedown")
                                  .order_by(Case.id)).first()


def rocket_picture(app) -> ArticleImage:
    with app.app_context():
        return get_session().exec(select(ArticleImage).where(
            ArticleImage.url.endswith("rocket.jpg"))).one()


def claim_case(client, app, case_id):
    version = takedown_case(app).version
    assert client.post(f"/cases/{case_id}/claim", data={"version": version}).status_code == 302


def photo_form(app, case_id, image_id, action="photo_replaced", replacement="https://uscntv.com/news/img/launch-pad-own.jpg"):
    with app.app_context():
        version = get_session().get(Case, case_id).version
    return {"version": version, f"photo-{image_id}": action,
            f"photo-reason-{image_id}": "copyright",
            f"photo-replacement-{image_id}": replacement,
            "statement": "The photo is Getty's and we hold no licence for it.",
            "subject": "Your notice", "body": "We replaced the photo on our page."}


@pytest.mark.usefixtures("claims")
def test_the_case_page_offers_to_remove_or_replace_the_claimed_photo(client, auth, app):
    auth.login()
    case = takedown_case(app)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Our pictures in this case" in page
    assert "Remove or replace a photo" in page
    picture = rocket_picture(app)
    assert f'name="photo-{picture.id}"' in page
    # The draft reply says what happens to the photo, in the claimant's language.
    assert "The photo removed from the page; the text stays online" in page


@pytest.mark.usefixtures("claims")
def test_replacing_a_photo_is_recorded_audited_shown_and_answered(client, auth, app):
    auth.login()
    case = takedown_case(app)
    picture = rocket_picture(app)
    claim_case(client, app, case.id)
    response = client.post(f"/cases/{case.id}/decide-photo",
                           data=photo_form(app, case.id, picture.id))
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        decision = session.exec(select(Decision).where(Decision.case_id == case.id)).one()
        image = session.get(ArticleImage, picture.id)
        article = session.get(Article, image.article_id)
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "case.decide_photo")).one()
        reply = session.exec(select(Reply).where(Reply.case_id == case.id,
                                                 Reply.template == "decision")).one()
        delivery = session.exec(select(WebhookDelivery)).one()
        decided = session.get(Case, case.id)
    assert decision.action == "photo_replaced" and decision.image_id == picture.id
    assert decision.image_url.endswith("rocket.jpg")
    assert decision.replacement.endswith("launch-pad-own.jpg")
    assert image.status == "replaced" and article.status != "removed"  # the text stays online
    assert event.after["photos"][0]["action"] == "photo_replaced"
    assert reply.body == "We replaced the photo on our page."
    assert delivery.event == "photo.replaced" and delivery.payload["image"] == image.url
    assert decided.status == "resolved_removed"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Photo decisions" in page and "Photo replaced" in page
    assert "launch-pad-own.jpg" in page
    # Counted among the actions of the transparency report.
    now = utcnow()
    with app.app_context():
        counted = actions(get_session(), Period(now - timedelta(days=1), now + timedelta(days=1)))
    assert counted["by_action"]["photo_replaced"] == 1
    assert counted["by_action"]["photo_removed"] == 0


@pytest.mark.usefixtures("claims")
def test_a_replacement_needs_saying_what_replaces_the_photo(client, auth, app):
    auth.login()
    case = takedown_case(app)
    picture = rocket_picture(app)
    claim_case(client, app, case.id)
    response = client.post(f"/cases/{case.id}/decide-photo",
                           data=photo_form(app, case.id, picture.id, replacement=" "),
                           follow_redirects=True)
    assert "say what replaces the photo" in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(ArticleImage, picture.id).status == "shown"
        assert not get_session().exec(select(Decision)).all()


@pytest.mark.usefixtures("claims")
def test_undoing_a_photo_removal_shows_the_photo_again(client, auth, app):
    auth.login()
    case = takedown_case(app)
    picture = rocket_picture(app)
    claim_case(client, app, case.id)
    client.post(f"/cases/{case.id}/decide-photo",
                data=photo_form(app, case.id, picture.id, action="photo_removed", replacement=""))
    with app.app_context():
        assert get_session().get(ArticleImage, picture.id).status == "removed"
        version = get_session().get(Case, case.id).version
    assert client.post(f"/cases/{case.id}/undo", data={"version": version}).status_code == 302
    with app.app_context():
        assert get_session().get(ArticleImage, picture.id).status == "shown"


@pytest.mark.parametrize("language, removed, replaced", [
    ("en", "The photo removed from the page; the text stays online",
     "the photo in question replaced with another"),
    ("zh", "已从网页上删除该图片，文字保留在线", "所涉图片已替换为其他图片"),
])
def test_the_reply_and_statement_word_photo_decisions(language, removed, replaced):
    now = utcnow()
    facts = ReplyFacts(case_id=7, received_at=now, claimant_name="Getty Images",
                       language=language, site_name="USCNTV", decided_at=now,
                       targets=[Target(url="https://uscntv.com/a.html", decision="photo_removed",
                                       reason_code="copyright"),
                                Target(url="https://uscntv.com/b.html",
                                       decision="photo_replaced", reason_code="copyright")])
    _subject, body = replies.render(replies.DECISION, language, facts)
    assert removed in body
    assert replaced in replies.statement_of_reasons(facts, language)


def test_a_review_item_about_an_agency_photo_can_remove_just_the_photo(runner, client, auth,
                                                                       app, site, agency):  # noqa: F811
    from .test_photos_flow import import_all

    import_all(runner, site, agency)
    with app.app_context():
        item = get_session().exec(select(Case).where(Case.kind == "review")).one()
    picture = rocket_picture(app)
    auth.login()
    page = client.get(f"/cases/{item.id}").get_data(as_text=True)
    assert f'name="photo-{picture.id}"' in page
    response = client.post(f"/cases/{item.id}/decide-photo",
                           data=photo_form(app, item.id, picture.id, action="photo_removed",
                                           replacement=""))
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        assert session.get(ArticleImage, picture.id).status == "removed"
        decision = session.exec(select(Decision).where(Decision.case_id == item.id)).one()
        # A review item has no claimant to write to: nothing is queued.
        assert not session.exec(select(Reply).where(Reply.case_id == item.id)).all()
    assert decision.action == "photo_removed" and decision.replacement is None
    assert "Photo removed" in client.get(f"/cases/{item.id}").get_data(as_text=True)
