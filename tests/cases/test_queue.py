"""The queue page: filters, search, keyset pages, bulk actions."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from moderation import cases
from moderation.cases import queueing
from moderation.cases import search as casesearch
from moderation.models import Case, CaseTarget, utcnow
from moderation.plumbing.db import get_engine, get_session, transaction
from moderation.plumbing.labels import STATUS, label

from ..conftest import Auth


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


# Search: substring, any case, over subject, claimant name and e-mail and target URLs, on
# each backend; trigram indexes answer three characters and more, the tables the rest.

def _search(app, text: str, field: str = "q", **spec) -> list[int]:
    with app.app_context():
        spec = {"status": "all", "sort": "received", field: text} | spec
        rows, _ = queueing.page(get_session(), queueing.QueueFilter(**spec), utcnow(), size=1000)
    return [case.id for case, _ in rows]


def _seed_search(app) -> dict[str, int]:
    specs = {
        "disney": ("DMCA notice: Walt Disney Company", "Disney Legal", "legal@disney.example",
                   ["https://uscntv.com/keji/2021/1231/12345.html"]),
        "xinghe": ("侵权通知：星河传媒《美国大选》", "星河传媒", "rights@xinghe.example",
                   ["https://uscntv.com/guoji/2022/0101/777.html"]),
        "odd": ('50% off_sale "quoted" \\ back', "O'Brien & Co", None,
                ["https://uscntv.com/shehui/a_b%c.html", "https://uscntv.com/tiyu/second.html"]),
        "short": ("星河", "河", "x@y.example", []),
    }
    ids = {}
    with app.app_context(), transaction() as session:
        for key, (subject, name, email, urls) in specs.items():
            case = cases.open_case(session, actor="test", subject=subject, claimant_name=name,
                                   claimant_email=email)
            for url in urls:
                session.add(CaseTarget(case_id=case.id, url=url))
            ids[key] = case.id
    return ids


def test_search_matches_substrings_in_any_field_ignoring_case(any_app):
    ids = _seed_search(any_app)
    expect = {
        "disney": ["disney"], "DISNEY LEGAL": ["disney"], "WALT disney co": ["disney"],
        "@DISNEY.ex": ["disney"], "1231/12345": ["disney"], "keji/2021": ["disney"],
        "uscntv.com": ["disney", "xinghe", "odd"], ".html": ["disney", "xinghe", "odd"],
        "星河传媒": ["xinghe"], "美国大选": ["xinghe"], "《美国": ["xinghe"],
        "星河": ["xinghe", "short"], "河": ["xinghe", "short"], "传媒": ["xinghe"],
        "dm": ["disney"], "D": ["disney", "odd"], "xy": [], "大选》": ["xinghe"],
        # LIKE's and FTS5's own characters are plain text here
        "50%": ["odd"], "%": ["odd"], "_": ["odd"], "a_b%c": ["odd"], "a%b": [], "f_s": ["odd"],
        '"quoted"': ["odd"], '"': ["odd"], "\\ back": ["odd"], "O'Brien": ["odd"],
        "tiyu/second": ["odd"], "second.html": ["odd"], "*": [], "NEAR(": [],
        # no match across fields, nor across two URLs of one case
        "Company Disney": [], "c.html https": [], "html\nhttps": [],
    }
    found = {text: sorted(_search(any_app, text)) for text in expect}
    assert found == {text: sorted(ids[k] for k in keys) for text, keys in expect.items()}


def test_the_searched_text_is_planned_for_on_postgresql(any_app):
    """PostgreSQL gets the text written into the search's statements, so no prepared statement
    is planned once for every text (casesearch._like); SQLite gets it as a parameter."""
    ids = _seed_search(any_app)
    engine, statements = get_engine(any_app), []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, str(parameters)))

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(7):  # past the driver's preparing and PostgreSQL's first custom plans
            assert _search(any_app, "星河") == [ids["xinghe"], ids["short"]]
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    searching = [(sql, params) for sql, params in statements if " LIKE " in sql.upper()]
    assert len(searching) >= 7
    if engine.dialect.name == "postgresql":
        assert all("'%%星河%%'" in sql and "星河" not in params for sql, params in searching)
    else:
        assert all("星河" not in sql and "星河" in params for sql, params in searching)


def test_claimant_filter_looks_at_name_and_e_mail_only(any_app):
    ids = _seed_search(any_app)
    assert _search(any_app, "星河传媒", "claimant") == [ids["xinghe"]]
    assert _search(any_app, "河", "claimant") == [ids["xinghe"], ids["short"]]
    assert _search(any_app, "xinghe.EX", "claimant") == [ids["xinghe"]]
    assert _search(any_app, "美国大选", "claimant") == []  # the subject is not the claimant
    assert _search(any_app, "12345", "claimant") == []


def test_search_index_follows_inserts_updates_and_deletes(any_app):
    ids = _seed_search(any_app)
    with any_app.app_context(), transaction() as session:
        case = session.get(Case, ids["disney"])
        case.subject, case.claimant_email = "Pixar notice", "legal@pixar.example"
        target = session.exec(select(CaseTarget).where(CaseTarget.case_id == ids["xinghe"])).one()
        target.url = "https://uscntv.com/wenhua/2023/0505/888.html"
        session.delete(session.get(Case, ids["short"]))
        later = cases.open_case(session, actor="test", subject="新华社稿件", claimant_name="")
        session.flush()
        session.add(CaseTarget(case_id=later.id, url="https://uscntv.com/caijing/999.html"))
    assert _search(any_app, "Pixar") == [ids["disney"]] and _search(any_app, "Walt") == []
    assert _search(any_app, "pixar.example") == [ids["disney"]]
    assert _search(any_app, "Disney Legal") == [ids["disney"]]  # the name did not change
    assert _search(any_app, "wenhua/2023") == [ids["xinghe"]] and _search(any_app, "guoji") == []
    assert _search(any_app, "星河") == [ids["xinghe"]]
    assert _search(any_app, "新华社") == [later.id] and _search(any_app, "caijing/999") == [later.id]


def test_many_and_few_matches_give_the_same_cases(any_app, monkeypatch):
    """Past casesearch.FEW matches the queue reads rows in page order; below, by id."""
    import random

    rng = random.Random(7)
    alphabet = "aAbB星河传媒 %_-/"
    made = {}
    with any_app.app_context(), transaction() as session:
        for _ in range(60):
            text = "".join(rng.choice(alphabet) for _letter in range(rng.randint(0, 12)))
            url = "https://uscntv.com/" + "".join(rng.choice("abAB星_%") for _letter in range(6))
            case = cases.open_case(session, actor="test", subject=text,
                                   claimant_name=text[::-1], due_at=utcnow())
            session.add(CaseTarget(case_id=case.id, url=url))
            made[case.id] = (text, text[::-1], url)
    queries = ["a", "B", "ab", "Ab", "星", "星河", "河传媒", "a星", "%", "_a", "b b", "aab",
               "BA", "/ab", "传媒 ", "AbAb", "星河传媒", "-/", "zzz"]
    for few in (1000, 3):
        monkeypatch.setattr(casesearch, "FEW", few)
        monkeypatch.setattr(casesearch, "FEW_UNINDEXED", few)
        for text in queries:
            expected = sorted(case_id for case_id, fields in made.items()
                              if any(text.lower() in field.lower() for field in fields))
            assert sorted(_search(any_app, text)) == expected, (few, text)
            open_page = _search(any_app, text, status="open", sort="due")
            assert sorted(open_page) == expected, (few, text)


def test_search_objects_exist_as_the_model_comparison_assumes(any_app):
    """tests/test_models.py leaves casesearch.DATABASE_ONLY out; they must be there."""
    import sqlalchemy as sa

    from moderation.plumbing.db import get_engine

    with any_app.app_context():
        engine = get_engine()
        inspector = sa.inspect(engine)
        tables = set(inspector.get_table_names())
        indexes = {ix["name"] for table in ("case", "casetarget")
                   for ix in inspector.get_indexes(table)}
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                triggers = set(connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    if engine.dialect.name == "sqlite":
        assert casesearch.DATABASE_ONLY["table"] <= tables
        assert {"case_search_insert", "case_search_update", "case_search_delete",
                "casetarget_search_insert", "casetarget_search_update",
                "casetarget_search_delete"} <= triggers
    else:
        assert casesearch.DATABASE_ONLY["index"] <= indexes


def test_search_page_finds_chinese_and_short_queries(any_app):
    ids = _seed_search(any_app)
    client = any_app.test_client()
    Auth(client, any_app).login()
    page = client.get("/?q=星河传媒").get_data(as_text=True)
    assert _ids(page) == [ids["xinghe"]] and 'value="星河传媒"' in page
    assert sorted(_ids(client.get("/?q=河").get_data(as_text=True))) == [ids["xinghe"],
                                                                         ids["short"]]
    assert _ids(client.get("/?q=%25").get_data(as_text=True)) == [ids["odd"]]
    assert _ids(client.get("/?q=%00星河传%00媒&claimant=%00").get_data(as_text=True)) == [
        ids["xinghe"]]


def _babel_time_left(due, now):
    """Time left as Flask-Babel's own helpers write it, one look-up per string."""
    from flask_babel import gettext, ngettext

    if due is None:
        return "—"
    seconds = (due - now).total_seconds()
    minutes = int(abs(seconds) // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        parts = [ngettext("%(num)d d", "%(num)d d", days)]
        parts += [ngettext("%(num)d h", "%(num)d h", hours)] if hours else []
    elif hours:
        parts = [ngettext("%(num)d h", "%(num)d h", hours)]
        parts += [ngettext("%(num)d min", "%(num)d min", mins)] if mins else []
    else:
        parts = [ngettext("%(num)d min", "%(num)d min", mins)]
    text = " ".join(parts)
    return (gettext("overdue by %(duration)s", duration=text) if seconds < 0
            else gettext("%(duration)s left", duration=text))


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_page_format_writes_what_babel_writes(app, locale):
    """Rows and template filters are formatted by PageFormat, once per page: the same text as
    Flask-Babel's own helpers give, string by string."""
    from flask import render_template_string
    from flask_babel import force_locale, format_datetime

    from moderation.web.pageformat import PageFormat

    def babel_time(moment, pattern="yyyy-MM-dd HH:mm ZZZZ"):
        return "—" if moment is None else format_datetime(moment, pattern)

    now = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # New York's clocks go forward at 07:00 UTC
    moments = [now + timedelta(minutes=m) for m in (-100_000, -1441, -1440, -61, -60, -59, -1,
                                                     0, 1, 29, 31, 59, 60, 61, 1439, 1500, 99_999)]
    for zone in ("UTC", "Asia/Shanghai", "America/New_York", "Pacific/Auckland"):
        app.config["DEFAULT_TIMEZONE"] = zone
        with app.test_request_context("/"), force_locale(locale):
            fmt = PageFormat()
            for moment in [*moments, None]:
                assert fmt.local_time(moment) == babel_time(moment)
                for pattern in ("MM-dd HH:mm", "yyyy-MM-dd HH:mm", "EEEE d MMMM"):
                    assert fmt.local_time(moment, pattern) == babel_time(moment, pattern)
                assert fmt.time_left(moment, now) == _babel_time_left(moment, now)
                assert render_template_string(
                    "{{ m|localtime }}|{{ m|localtime('MM-dd HH:mm') }}|{{ m|time_left(now) }}",
                    m=moment, now=now) == "|".join((babel_time(moment), babel_time(
                        moment, "MM-dd HH:mm"), _babel_time_left(moment, now)))
            assert fmt.label(STATUS, "in_review") == label(STATUS, "in_review")
            assert fmt.label(STATUS, None) == "—"


def test_case_page_drafts_replies_only_when_it_shows_the_forms(client, auth, app, monkeypatch):
    """Opened from the queue: a closed case's page has no reply forms, so nothing is drafted."""
    from moderation.cases import drafts

    made = []
    real = drafts.for_case
    monkeypatch.setattr(drafts, "for_case", lambda *a, **k: made.append(1) or real(*a, **k))
    open_case, closed_case = _make(app, 2)
    with app.app_context(), transaction() as session:
        session.get(Case, closed_case).status = "resolved_kept"
    auth.login()
    assert client.get(f"/cases/{closed_case}").status_code == 200 and made == []
    page = client.get(f"/cases/{open_case}").get_data(as_text=True)
    assert made == [1] and "Ask the claimant for missing information" in page
