"""The queue page: filters, search, keyset pages, bulk actions."""

from datetime import timedelta

from sqlmodel import select

from moderation import cases
from moderation.db import get_session, transaction
from moderation.models import Case, CaseTarget, utcnow

from .conftest import Auth


def _make(app, n=1, **fields):
    ids = []
    with app.app_context(), transaction() as session:
        for number in range(n):
            values = {"subject": f"Notice {number}", "claimant_name": "ABC News",
                      "claimant_email": "legal@abc.example", "jurisdiction": "US",
                      "due_at": utcnow() + timedelta(hours=number + 1)} | fields
            case = cases.open_case(session, actor="test", **values)
            ids.append(case.id)
    return ids


def _ids(page: str) -> list[int]:
    return [int(chunk.split('"')[0]) for chunk in page.split('data-case="')[1:]]


def test_queue_lists_open_cases_soonest_deadline_first(client, auth, app):
    later = _make(app, subject="later", due_at=utcnow() + timedelta(days=3))
    sooner = _make(app, subject="sooner", due_at=utcnow() + timedelta(hours=2))
    auth.login()
    assert _ids(client.get("/").get_data(as_text=True)) == sooner + later


def test_filters_by_jurisdiction_claimant_overdue_and_mine(client, auth, app):
    us = _make(app, jurisdiction="US")
    cn = _make(app, jurisdiction="CN", claimant_name="星河传媒", claimant_email="legal@xinghe.example")
    late = _make(app, jurisdiction="EU", due_at=utcnow() - timedelta(hours=1))
    auth.login()
    assert _ids(client.get("/?jurisdiction=CN").get_data(as_text=True)) == cn
    assert _ids(client.get("/?claimant=星河").get_data(as_text=True)) == cn
    overdue = client.get("/?overdue=1").get_data(as_text=True)
    assert _ids(overdue) == late and "overdue by" in overdue
    client.post("/queue/bulk", data={"action": "assign_me", "case": us})
    assert _ids(client.get("/?mine=1").get_data(as_text=True)) == us
    assert set(_ids(client.get("/?unassigned=1").get_data(as_text=True))) == set(cn + late)


def test_search_finds_a_case_by_one_of_its_urls(client, auth, app):
    target, other = _make(app, 2)
    with app.app_context(), transaction() as session:
        session.add(CaseTarget(case_id=target, url="https://uscntv.com/toutiao/2021/1231/12345.html"))
    auth.login()
    assert _ids(client.get("/?q=1231/12345").get_data(as_text=True)) == [target]


def test_verdict_filter_uses_the_verification_summary(client, auth, app):
    full = _make(app)
    with app.app_context(), transaction() as session:
        case = session.get(Case, full[0])
        case.target_count, case.supported_count = 3, 3
        partial = cases.open_case(session, actor="t", subject="partial")
        partial.target_count, partial.supported_count = 3, 1
        session.flush()
        partial_id = partial.id
    auth.login()
    assert _ids(client.get("/?verdict=all_supported").get_data(as_text=True)) == full
    page = client.get("/?verdict=some_supported").get_data(as_text=True)
    assert _ids(page) == [partial_id] and "1/3 supported" in page


def test_keyset_pages_walk_every_case_once(client, auth, app):
    made = _make(app, 120)
    auth.login()
    seen, url = [], "/?sort=received"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += _ids(page)
        url = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace(
            "&amp;", "&") if 'rel="next"' in page else None
    assert seen == made


def test_a_hand_edited_cursor_is_a_bad_request(client, auth):
    auth.login()
    assert client.get("/?after=not-a-date|5").status_code == 400


def test_bulk_actions_close_cases_and_report_refusals(client, auth, app):
    first, second, third = _make(app, 3)
    other = Auth(app.test_client(), app)
    other.login("other@example.org")
    other.client.post("/queue/bulk", data={"action": "assign_me", "case": [third]})
    auth.login()
    client.post("/queue/bulk", data={"action": "spam", "case": [first]})
    client.post("/queue/bulk", data={"action": "duplicate", "case": [second]})
    response = client.post("/queue/bulk", data={"action": "assign_me", "case": [third]},
                           follow_redirects=True)
    assert f"Case {third} was not changed: this case is assigned to someone else" in (
        response.get_data(as_text=True))
    with app.app_context():
        session = get_session()
        statuses = {c.id: c.status for c in session.exec(select(Case))}
    assert statuses[first] == "resolved_kept" and statuses[second] == "duplicate"


def test_bulk_reject_as_incomplete_sends_the_rejection_template(client, auth, app):
    from moderation.models import Reply

    [case_id] = _make(app)
    auth.login()
    client.post("/queue/bulk", data={"action": "reject_incomplete", "case": [case_id]})
    with app.app_context():
        session = get_session()
        reply = session.exec(select(Reply)).one()
        assert session.get(Case, case_id).status == "resolved_kept"
    assert reply.template == "rejected" and reply.to_addr == "legal@abc.example"
    assert "your notice lacks elements that the law requires" in reply.body
