"""Reviewer actions on a case page: each one transaction, audited, with its effects."""

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from moderation import demo
from moderation.cases import decisions, restoration
from moderation.mailroom.batch import ingest
from moderation.models import (
    Article,
    AuditEvent,
    Case,
    CaseTarget,
    Decision,
    Reply,
    WebhookDelivery,
    utcnow,
)
from moderation.plumbing.db import get_session

from ..conftest import Auth

NOTICES = Path(__file__).parents[1] / "fixtures" / "mail" / "notices"


def _seed_case(app):
    """The demo article and a DMCA notice about it, as the mailbox would open it."""
    demo.load(app, with_mail=False)
    app.config["MAIL_FROM"] = "Desk <desk@uscntv.com>"
    with app.app_context():
        result = ingest(get_session(), (NOTICES / "dmca_abc_news.eml").read_bytes(),
                        config=app.config)
    return result.case_id


def _case(app, case_id):
    with app.app_context():
        return get_session().get(Case, case_id)


def _claim(client, app, case_id):
    client.post(f"/cases/{case_id}/claim", data={"version": _case(app, case_id).version})


def _decide_form(app, case_id, action="remove", statement="The page copies ABC News."):
    with app.app_context():
        target = get_session().exec(select(CaseTarget).where(CaseTarget.case_id == case_id)).one()
    return {"version": _case(app, case_id).version, f"action-{target.id}": action,
            f"reason-{target.id}": "copyright" if action == "remove" else "not_supported",
            "statement": statement, "subject": "Your notice", "body": "We removed the page."}


def test_a_new_notice_is_acknowledged_once(client, auth, app):
    case_id = _seed_case(app)
    with app.app_context():
        replies = get_session().exec(select(Reply).where(Reply.case_id == case_id)).all()
    assert [r.template for r in replies] == ["acknowledgement"]
    assert replies[0].to_addr == "copyright@disney.example"
    assert str(case_id) in replies[0].subject


def test_the_case_page_shows_verification_evidence_and_drafts(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Supported" in page and "Side-by-side evidence" in page
    assert "Statement of reasons" in page and "17 U.S.C." in page
    assert "Disney Legal" in page


def test_removing_a_page_takes_it_down_and_queues_reply_and_webhook(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    _claim(client, app, case_id)
    response = client.post(f"/cases/{case_id}/decide", data=_decide_form(app, case_id))
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        case = session.get(Case, case_id)
        article = session.exec(select(Article)).one()
        decision = session.exec(select(Decision)).one()
        replies = session.exec(select(Reply).where(Reply.template == "decision")).all()
        delivery = session.exec(select(WebhookDelivery)).one()
        actions = session.exec(select(AuditEvent.action)).all()
    assert case.status == "resolved_removed" and case.decided_at is not None
    assert article.status == "removed" and article.removed_at is not None
    assert decision.action == "remove" and decision.statement_of_reasons.startswith("The page")
    assert len(replies) == 1 and replies[0].body == "We removed the page."
    assert delivery.event == "article.removed" and delivery.payload["article_url"] == article.url
    assert "case.decide" in actions


def test_an_empty_statement_of_reasons_is_refused_and_nothing_changes(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    _claim(client, app, case_id)
    response = client.post(f"/cases/{case_id}/decide",
                           data=_decide_form(app, case_id, statement="  "), follow_redirects=True)
    assert "the statement of reasons is empty" in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().exec(select(Article)).one().status == "published"
        assert get_session().exec(select(Decision)).all() == []
    assert _case(app, case_id).status == "in_review"


def test_a_stale_form_gets_409(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    stale = _decide_form(app, case_id)
    _claim(client, app, case_id)
    response = client.post(f"/cases/{case_id}/decide", data=stale)
    assert response.status_code == 409
    assert b"Someone changed this while you were working on it" in response.data
    with app.app_context():
        assert get_session().exec(select(Decision)).all() == []


def test_a_case_held_by_another_reviewer_cannot_be_decided(client, auth, app):
    case_id = _seed_case(app)
    holder = Auth(app.test_client(), app)
    holder.login("holder@example.org")
    _claim(holder.client, app, case_id)
    auth.login()
    response = client.post(f"/cases/{case_id}/decide", data=_decide_form(app, case_id),
                           follow_redirects=True)
    assert "assigned to someone else" in response.get_data(as_text=True)
    assert _case(app, case_id).status == "in_review"


def test_asking_for_information_pauses_the_clock(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    client.post(f"/cases/{case_id}/request-info", data={
        "version": _case(app, case_id).version, "subject": "More please",
        "body": "Please send your signature."})
    case = _case(app, case_id)
    assert case.status == "needs_info" and case.paused_at is not None
    with app.app_context():
        assert get_session().exec(select(Reply.template).where(
            Reply.template == "need_info")).one() == "need_info"


def test_rejecting_as_incomplete_closes_the_case_with_a_reply(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    client.post(f"/cases/{case_id}/reject", data={
        "version": _case(app, case_id).version, "reason": "incomplete",
        "subject": "Incomplete", "body": "Your notice lacks a signature."})
    assert _case(app, case_id).status == "resolved_kept"


def test_merge_and_withdraw(client, auth, app):
    case_id = _seed_case(app)
    with app.app_context():
        other = ingest(get_session(), (NOTICES / "eu_dsa.eml").read_bytes(),
                       config=app.config).case_id
    auth.login()
    client.post(f"/cases/{other}/merge", data={"version": _case(app, other).version,
                                                "into": f"#{case_id}"})
    assert _case(app, other).status == "duplicate" and _case(app, other).duplicate_of_id == case_id
    client.post(f"/cases/{case_id}/withdraw", data={"version": _case(app, case_id).version})
    assert _case(app, case_id).status == "withdrawn"


def test_undo_within_the_grace_period_puts_everything_back(client, auth, app):
    case_id = _seed_case(app)
    auth.login()
    _claim(client, app, case_id)
    client.post(f"/cases/{case_id}/decide", data=_decide_form(app, case_id))
    client.post(f"/cases/{case_id}/undo", data={"version": _case(app, case_id).version})
    with app.app_context():
        session = get_session()
        assert session.exec(select(Article)).one().status == "published"
        assert session.exec(select(Decision)).one().superseded is True
        assert session.exec(select(Reply.status).where(Reply.template == "decision")).one() == (
            "cancelled")
        events = session.exec(select(WebhookDelivery.event).order_by(WebhookDelivery.id)).all()
    assert events == ["article.removed", "article.restored"]
    assert _case(app, case_id).status == "in_review"


def test_undo_after_the_grace_period_is_refused(app):
    case_id = _seed_case(app)
    with app.app_context():
        session = get_session()
        from moderation.models import User

        from ..conftest import add_user

        user = session.get(User, add_user(app, "r@example.org"))
        case = session.get(Case, case_id)
        target = session.exec(select(CaseTarget).where(CaseTarget.case_id == case_id)).one()
        past = utcnow() - timedelta(hours=1)
        decisions.decide(session, case, user=user, version=case.version, now=past,
                         choices=[decisions.TargetChoice(target.id, "remove", "copyright")],
                         statement="copied", reply_subject="s", reply_body="b", sender="d@x.org")
        session.commit()
        try:
            decisions.undo(session, case, user=user, version=case.version)
        except decisions.DecisionError as exc:
            assert "the time to undo this decision has passed" in str(exc)
        else:
            raise AssertionError("undo after the grace period was accepted")


def test_counter_notice_then_putback_after_the_window(app, tmp_path):
    case_id = _seed_case(app)
    with app.app_context():
        session = get_session()
        from moderation.models import User

        from ..conftest import add_user

        user = session.get(User, add_user(app, "r@example.org"))
        case = session.get(Case, case_id)
        target = session.exec(select(CaseTarget).where(CaseTarget.case_id == case_id)).one()
        decisions.decide(session, case, user=user, version=case.version,
                         choices=[decisions.TargetChoice(target.id, "remove", "copyright")],
                         statement="copied", reply_subject="s", reply_body="b", sender="d@x.org")
        session.commit()
        counter = (NOTICES / "counter_notice.eml").read_bytes().replace(
            b"https://www.uscntv.com/wenhua/2022/0115/35555.html",
            b"https://www.uscntv.com/toutiao/2021/1231/12345.html")
        result = ingest(session, counter, config=app.config)
        case = session.get(Case, case_id)
        assert result.case_id == case_id and case.status == "counter_notice"
        assert case.putback_at - utcnow() >= timedelta(days=13)  # 10 business days
        assert restoration.due_putbacks(session, config=app.config) == []
        later = case.putback_at + timedelta(minutes=1)
        assert restoration.due_putbacks(session, config=app.config, now=later) == [case_id]
        assert session.get(Case, case_id).status == "restored"
        assert session.exec(select(Article)).one().status == "restored"
        templates = session.exec(select(Reply.template).order_by(Reply.id)).all()
    assert "counter_notice_forwarded" in templates and templates[-1] == "restored"
