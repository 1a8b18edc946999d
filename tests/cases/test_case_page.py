"""What a case page shows, on both databases, and what it costs to gather."""

import pytest
import sqlalchemy as sa
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlmodel import select

from moderation import accounts
from moderation.models import (
    Article,
    AuditEvent,
    Case,
    CaseTarget,
    Decision,
    Original,
    Provenance,
    Publisher,
    User,
)
from moderation.plumbing.db import get_engine, get_session, reads_only, transaction

from ..conftest import PG_URL, Auth, add_user


@pytest.fixture
def app(any_app):
    return any_app


def _seed(app, pages: int = 2) -> dict:
    """A takedown case naming ``pages`` of our pages and one unknown URL, an earlier case of
    the same claimant upheld against a copy of the same publisher, another claimant's case."""
    with app.app_context(), transaction() as session:
        harbor, northwind = Publisher(name="Harbor Times"), Publisher(name="Northwind Daily")
        session.add_all([harbor, northwind])
        session.flush()
        originals = [Original(url=f"https://harbor.example/{i}", title=f"Harbor story {i}",
                              publisher_id=harbor.id, text="x") for i in range(3)]
        originals.append(Original(url="https://northwind.example/1", title="Northwind story",
                                  publisher_id=northwind.id, text="x"))
        originals.append(Original(url="https://nobody.example/1", title="", text="x"))
        articles = [Article(url=f"https://www.uscntv.com/a/{i}.html", title=f"Our page {i}")
                    for i in range(pages + 1)]
        session.add_all(originals + articles)
        session.flush()
        h0, h1, h2, north, nobody = originals
        first = articles[0]
        # Five recorded matches of the first page: the page shows the best three that match.
        for original, score, kind, credited in ((h0, 0.95, "verbatim", False),
                                                (north, 0.80, "excerpt", True),
                                                (h1, 0.60, "edited", False),
                                                (nobody, 0.50, "translation", False),
                                                (h2, 0.99, "none", False)):
            session.add(Provenance(article_id=first.id, original_id=original.id, score=score,
                                   kind=kind, attributed=credited))
        for article in articles[1:pages]:
            session.add(Provenance(article_id=article.id, original_id=north.id, score=0.7,
                                   kind="excerpt"))
        earlier = Case(subject="Earlier notice", claimant_email="rights@harbor.example",
                       status="resolved_removed", target_count=1)
        other = Case(subject="Other claimant", claimant_email="legal@northwind.example",
                     status="resolved_kept", target_count=1)
        case = Case(subject="Current notice", claimant_email="rights@harbor.example",
                    claimant_name="Harbor Rights", jurisdiction="US", target_count=pages + 1)
        session.add_all([earlier, other, case])
        session.flush()
        last = articles[pages]
        session.add(CaseTarget(case_id=earlier.id, url=last.url, article_id=last.id,
                               original_id=h1.id, verdict="supported", decision="remove"))
        session.add(Decision(case_id=earlier.id, article_id=last.id, target_url=last.url,
                             action="remove", reason_code="copyright"))
        session.add(CaseTarget(case_id=other.id, url="https://www.uscntv.com/x.html",
                               original_id=north.id, verdict="not_supported"))
        session.add(CaseTarget(case_id=case.id, url=first.url, article_id=first.id,
                               original_id=h0.id, verdict="supported", kind="verbatim",
                               score=0.95))
        for article in articles[1:pages]:
            session.add(CaseTarget(case_id=case.id, url=article.url, article_id=article.id,
                                   original_id=north.id, verdict="supported", kind="excerpt",
                                   score=0.7))
        session.add(CaseTarget(case_id=case.id, url="https://www.uscntv.com/gone.html",
                               verdict="article_not_found"))
        return {"case": case.id, "earlier": earlier.id, "other": other.id}


def _statements(app, client, path: str) -> tuple[int, str]:
    """SQL statements the request ran, and the page."""
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    engine = get_engine(app)
    sa.event.listen(engine, "after_cursor_execute", counted)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(engine, "after_cursor_execute", counted)
    assert response.status_code == 200
    return count, response.get_data(as_text=True)


def _cards(page: str) -> dict[str, str]:
    tree = HTMLParser(page)
    return {card.css_first("h2").text(strip=True): " ".join(card.text(separator=" ").split())
            for card in tree.css("section.card") if card.css_first("h2")}


def test_pages_originals_provenance_and_record(app):
    ids = _seed(app)
    client = app.test_client()
    Auth(client, app).login()
    page = client.get(f"/cases/{ids['case']}").get_data(as_text=True)
    tree = HTMLParser(page)
    rows = tree.css_first("section.card table.list").css("tbody tr")
    cells = [[" ".join(td.text(separator=" ").split()) for td in row.css("td")] for row in rows]
    assert [row[0].split()[0:3] for row in cells] == [
        ["Our", "page", "0"], ["Our", "page", "1"], ["https://www.uscntv.com/gone.html"]]
    # The best three real matches of the first page, highest first; "none" rows are not shown.
    assert cells[0][3] == ("Harbor Times: Verbatim copy 0.95 not credited "
                          "Northwind Daily: Excerpt 0.80 credited "
                          "Harbor Times: Edited copy 0.60 not credited")
    assert cells[0][2].startswith("Harbor story 0") and "Side-by-side evidence" in cells[0][2]
    assert cells[1][3] == "Northwind Daily: Excerpt 0.70 not credited"
    assert cells[2][2] == "—" and cells[2][3] == "none known"
    record = _cards(page)["Track record"]
    assert "This claimant sent 2 notice(s): 1 led to removal, 0 were rejected." in record
    assert "Harbor Times: 1 upheld removal(s)" in record
    assert "Northwind Daily: 0 upheld removal(s)" in record
    claimant_part, publisher_part = record.split("Other cases about the same publisher")
    assert f"#{ids['earlier']} Earlier notice" in claimant_part
    assert f"#{ids['other']}" not in claimant_part
    assert f"#{ids['earlier']} Earlier notice" in publisher_part
    assert f"#{ids['other']} Other claimant" in publisher_part


def test_the_number_of_queries_does_not_grow_with_the_pages_named(tmp_path, app):
    small, large = _seed(app, pages=1), None
    client = app.test_client()
    Auth(client, app).login()
    with app.app_context(), transaction() as session:  # a second case naming five pages
        case = Case(subject="Many pages", claimant_email="rights@harbor.example")
        session.add(case)
        session.flush()
        north = session.exec(select(Original).where(Original.title == "Northwind story")).one()
        for article in session.exec(select(Article)).all():
            session.add(CaseTarget(case_id=case.id, url=article.url, article_id=article.id,
                                   original_id=north.id, verdict="supported"))
        for i in range(3):
            session.add(CaseTarget(case_id=case.id, url=f"https://www.uscntv.com/n/{i}.html",
                                   verdict="article_not_found"))
        large = case.id
    client.get(f"/cases/{small['case']}")  # the staff list and settings, read once
    few, _ = _statements(app, client, f"/cases/{small['case']}")
    many, page = _statements(app, client, f"/cases/{large}")
    assert page.count("<code>https://www.uscntv.com/") >= 2 * 5  # each page, twice
    assert many == few, (few, many)
    assert few <= 16


def _assign_menu(client, case_id: int) -> list[str]:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    menu = HTMLParser(page).css_first('select[name="assignee"]')
    return [option.text(strip=True) for option in menu.css("option")][1:]


def test_the_assign_menu_follows_staff_changes(app):
    app.config["SETTINGS_MAX_AGE_SECONDS"] = 3600  # what another process changes waits this long
    case_id = _seed(app)["case"]
    client = app.test_client()
    Auth(client, app).login("lead@example.org")
    assert _assign_menu(client, case_id) == ["lead@example.org"]
    # Created or changed through the accounts module in this process: listed at once.
    second = add_user(app, "second@example.org")
    assert _assign_menu(client, case_id) == ["lead@example.org", "second@example.org"]
    with app.app_context(), transaction() as session:
        lead = session.exec(select(User).where(User.email == "lead@example.org")).one()
        accounts.update_user(session=session, user=session.get(User, second), actor=lead,
                             active=False)
    assert _assign_menu(client, case_id) == ["lead@example.org"]
    # Changed behind this process's back (another worker, a script): seen after max_age.
    with app.app_context(), transaction() as session:
        session.execute(sa.update(User).where(User.id == second).values(active=True))
    assert _assign_menu(client, case_id) == ["lead@example.org"]
    app.config["SETTINGS_MAX_AGE_SECONDS"] = 0
    assert _assign_menu(client, case_id) == ["lead@example.org", "second@example.org"]


def test_a_case_held_by_a_former_reviewer_still_names_them(app):
    case_id = _seed(app)["case"]
    former = add_user(app, "former@example.org")
    client = app.test_client()
    Auth(client, app).login("lead@example.org", role="admin")
    with app.app_context(), transaction() as session:
        session.get(Case, case_id).assignee_id = former
        lead = session.exec(select(User).where(User.email == "lead@example.org")).one()
        accounts.update_user(session=session, user=session.get(User, former), actor=lead,
                             active=False)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    holder = " ".join(HTMLParser(page).css_first(".holder p").text(separator=" ").split())
    assert holder == "Assignee: former@example.org"
    assert _assign_menu(client, case_id) == ["lead@example.org"]


def test_history_lists_the_case_events_in_order(app):
    case_id = _seed(app)["case"]
    client = app.test_client()
    Auth(client, app).login()
    client.post(f"/cases/{case_id}/claim", data={"version": 1})
    with app.app_context():
        events = get_session().exec(select(AuditEvent.action).where(
            AuditEvent.object_type == "case", AuditEvent.object_id == str(case_id))).all()
    assert events == ["case.claim"]
    history = _cards(client.get(f"/cases/{case_id}").get_data(as_text=True))["History"]
    assert "reviewer@example.org case.claim In review" in history


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MODERATION_TEST_DATABASE_URL)")
def test_pages_that_only_read_run_without_a_surrounding_transaction(postgresql_app):
    """On PostgreSQL the queue and case pages send no BEGIN and ROLLBACK: each statement is
    its own transaction, so now() (the transaction's start) is the statement's own start."""
    def probe():
        session = get_session()
        session.execute(sa.text("SELECT pg_sleep(0.01)"))
        same = session.execute(sa.text("SELECT now() = statement_timestamp()")).scalar_one()
        return "alone" if same else "in a transaction"

    postgresql_app.add_url_rule("/probe/read", "probe_read", reads_only(probe))
    postgresql_app.add_url_rule("/probe/plain", "probe_plain", lambda: probe())
    assert postgresql_app.view_functions["cases.detail"].reads_only
    assert postgresql_app.view_functions["queue.index"].reads_only
    client = postgresql_app.test_client()
    Auth(client, postgresql_app).login()
    assert client.get("/probe/read").get_data(as_text=True) == "alone"
    reader = postgresql_app.extensions["moderation.reader"]
    assert client.get("/probe/plain").get_data(as_text=True) == "in a transaction"
    assert client.get("/").status_code == 200
    assert client.get("/probe/read").get_data(as_text=True) == "alone"
    assert postgresql_app.extensions["moderation.reader"] is reader  # made once, same pool
