"""Reports: on a generated dataset every figure equals a count made here independently."""

import csv
import io
import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from moderation import reports
from moderation.models import (
    REWRITE_STRONG,
    Article,
    Case,
    CaseTarget,
    Decision,
    MailMessage,
    Notice,
    Original,
    Provenance,
    Publisher,
    PublisherDomain,
)
from moderation.plumbing import audit
from moderation.plumbing.db import get_session, transaction
from moderation.reports import Period

KINDS = ("verbatim", "excerpt", "edited", "rewritten", "translation")
HOSTILE = "<script>alert('x')</script> Daily"
PUBLISHERS = ("ABC News", "美国广播公司新闻", HOSTILE, "Reuters")
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Data:
    """What was inserted, as plain values, to count from without SQL."""

    publishers: dict = field(default_factory=dict)  # id -> name
    originals: dict = field(default_factory=dict)  # id -> (publisher_id, text length)
    articles: dict = field(default_factory=dict)  # id -> dict
    provenance: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # id -> (created_at, decided_at)
    targets: list = field(default_factory=list)  # (case_id, url, original_id)
    decisions: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (action, reason)


def make_dataset(session, seed: int = 7, articles: int = 60) -> Data:
    """Publishers (one with 1,000 domains), originals, articles, matches, cases, mail, events."""
    rng, data = random.Random(seed), Data()
    for n, name in enumerate(PUBLISHERS):
        publisher = Publisher(name=name)
        session.add(publisher)
        session.flush()
        data.publishers[publisher.id] = name
        domains = 1000 if n == 0 else 2
        session.add_all(PublisherDomain(domain=f"d{k}.p{n}.example", publisher_id=publisher.id)
                        for k in range(domains))
    owners = [*data.publishers, *data.publishers, None]
    for n in range(12):
        owner = owners[n % len(owners)]
        text = "新闻正文 " * rng.randint(20, 400)
        original = Original(url=f"https://orig.example/{n}", publisher_id=owner, text=text)
        session.add(original)
        session.flush()
        data.originals[original.id] = (owner, len(text))
    for n in range(articles):
        published = START + timedelta(days=rng.randint(0, 180)) if n % 7 else None
        created = START + timedelta(days=rng.randint(0, 180), hours=3)
        article = Article(url=f"https://uscntv.com/a/{n}.html", title=f"文章 {n}",
                          published_at=published, created_at=created,
                          claimed_source=rng.choice(("美国新闻网", "ABC News", None)),
                          status="removed" if n % 9 == 0 else "published")
        session.add(article)
        session.flush()
        data.articles[article.id] = {"date": published or created, "status": article.status,
                                     "source": article.claimed_source}
        for original_id in rng.sample(list(data.originals), rng.choice((0, 1, 1, 2))):
            row = {"article": article.id, "original": original_id,
                   "kind": rng.choice((*KINDS, "none")), "attributed": rng.random() < 0.3,
                   "score": round(rng.uniform(0.3, 1.0), 3),
                   "coverage": round(rng.uniform(0.1, 1.0), 3)}
            session.add(Provenance(article_id=article.id, original_id=original_id,
                                   kind=row["kind"], attributed=row["attributed"],
                                   score=row["score"], article_coverage=row["coverage"],
                                   original_coverage=row["coverage"]))
            data.provenance.append(row)
    article_ids, original_ids = list(data.articles), list(data.originals)
    for n in range(14):
        created = START + timedelta(days=rng.randint(0, 150), minutes=rng.randint(0, 1440))
        decided = created + timedelta(hours=rng.uniform(1, 300)) if n % 3 else None
        case = Case(subject=f"Notice {n}", created_at=created, decided_at=decided,
                    status="resolved_removed" if decided else "open")
        session.add(case)
        session.flush()
        data.cases[case.id] = (created, decided)
        for article_id in rng.sample(article_ids, rng.randint(1, 2)):
            url = f"https://uscntv.com/a/{article_id}"
            original_id = rng.choice((*original_ids, None))
            session.add(CaseTarget(case_id=case.id, url=url, article_id=article_id,
                                   original_id=original_id))
            data.targets.append((case.id, url, original_id))
            if decided:
                decision = {"case": case.id, "url": url, "action": rng.choice(("remove", "keep")),
                            "reason": rng.choice(("copyright", "not_supported")),
                            "automated": rng.random() < 0.5, "at": decided,
                            "superseded": rng.random() < 0.15}
                session.add(Decision(case_id=case.id, article_id=article_id, target_url=url,
                                     action=decision["action"], reason_code=decision["reason"],
                                     automated=decision["automated"], decided_at=decided,
                                     superseded=decision["superseded"]))
                data.decisions.append(decision)
    for n in range(25):
        received = START + timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 23))
        sender = f"rights{n % 6}@claims.example"
        message = MailMessage(sha256=f"{n:064x}", raw=b"x", from_addr=sender,
                              received_at=received)
        session.add(message)
        session.flush()
        notice = {"kind": rng.choice(("takedown", "takedown", "counter_notice", "retraction",
                                      None)),
                  "jurisdiction": rng.choice(("US", "EU", "CN", None)),
                  "email": sender if n % 4 else None, "from": sender, "at": received}
        session.add(Notice(message_id=message.id, kind=notice["kind"],
                           jurisdiction=notice["jurisdiction"], claimant_email=notice["email"]))
        data.notices.append(notice)
    case_ids = list(data.cases)
    for action, reason in (("case.reject", "incomplete"), ("case.reject", "incomplete"),
                           ("case.reject", "abusive"), ("case.reject", "not_our_content"),
                           ("case.mark_spam", "spam"), ("case.restore", None),
                           ("case.restore", None), ("case.uphold", None)):
        audit.record(session, action, actor="test", object_type="case",
                     object_id=rng.choice(case_ids), after={"reason": reason} if reason else {})
        data.events.append((action, reason))
    return data


def expected_provenance(data: Data, period: Period, source: str | None = None) -> dict:
    """The provenance figures counted from the inserted values."""
    kept = {a for a, v in data.articles.items()
            if period.contains(v["date"]) and (source is None or v["source"] == source)}
    # A possible rewrite (under the strong score) is a review item, not provenance.
    copies = [p for p in data.provenance if p["kind"] != "none" and p["article"] in kept
              and not (p["kind"] == "rewritten" and p["score"] < REWRITE_STRONG)]
    matched = {p["article"] for p in copies}
    notices = {}
    for case_id, _, original_id in data.targets:
        owner = data.originals[original_id][0] if original_id else None
        if owner is not None:
            notices.setdefault(owner, set()).add(case_id)
    urls = {(c, u): o for c, u, o in data.targets}
    strikes = {}
    for d in data.decisions:
        owner = data.originals[urls[(d["case"], d["url"])]][0] if urls[(d["case"], d["url"])] \
            else None
        if d["action"] == "remove" and not d["superseded"] and owner is not None:
            strikes[owner] = strikes.get(owner, 0) + 1
    per = {}
    for p in copies:
        owner = data.originals[p["original"]][0]
        row = per.setdefault(owner, {"taken": set(), "credited": set(), "characters": 0.0,
                                     **dict.fromkeys(KINDS, 0)})
        row["taken"].add(p["article"])
        if p["attributed"]:
            row["credited"].add(p["article"])
        row["characters"] += data.originals[p["original"]][1] * p["coverage"]
        row[p["kind"]] += 1
    at_risk = [p for p in copies if not p["attributed"]
               and data.articles[p["article"]]["status"] != "removed"
               and data.originals[p["original"]][0] in notices]
    return {
        "articles": len(kept), "matched": len(matched), "unmatched": len(kept - matched),
        "copies": len(copies), "uncredited_copies": sum(not p["attributed"] for p in copies),
        "uncredited_articles": len({p["article"] for p in copies if not p["attributed"]}),
        "kinds": {k: sum(p["kind"] == k for p in copies) for k in KINDS},
        "at_risk": len(at_risk),
        "publishers": {
            data.publishers.get(owner): {
                "articles_taken": len(row["taken"]), "credited": len(row["credited"]),
                "characters": round(row["characters"]), **{k: row[k] for k in KINDS},
                "notices": len(notices.get(owner, ())), "strikes": strikes.get(owner, 0)}
            for owner, row in per.items()},
    }


def expected_transparency(data: Data, period: Period, events_in_period: bool) -> dict:
    """The transparency figures counted from the inserted values."""
    notices = [n for n in data.notices if n["kind"] and period.contains(n["at"])]
    decisions = [d for d in data.decisions if not d["superseded"] and period.contains(d["at"])]
    hours = sorted((decided - created).total_seconds() / 3600
                   for created, decided in data.cases.values() if period.contains(decided))
    events = data.events if events_in_period else []
    months = {}
    for n in notices:
        months.setdefault(n["at"].strftime("%Y-%m"), [0, 0])[0] += 1
    for d in decisions:
        months.setdefault(d["at"].strftime("%Y-%m"), [0, 0])[1] += 1
    median = None
    if hours:
        middle = len(hours) // 2
        median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return {
        "total": len(notices),
        "by_kind": {k: sum(n["kind"] == k for n in notices)
                    for k in ("takedown", "counter_notice", "retraction")},
        "by_jurisdiction": {j: sum((n["jurisdiction"] or "unknown") == j for n in notices)
                            for j in ("US", "EU", "CN", "unknown")},
        "claimants": len({n["email"] or n["from"] for n in notices}),
        "decisions": len(decisions),
        "by_action": {a: sum(d["action"] == a for d in decisions)
                      for a in ("remove", "keep", "partial", "photo_removed", "photo_replaced")},
        "automated": sum(d["automated"] for d in decisions),
        "decided_cases": len(hours), "median": median,
        "p90": hours[math.ceil(0.9 * len(hours)) - 1] if hours else None,
        "restorations": sum(a == "case.restore" for a, _ in events),
        "upheld": sum(a == "case.uphold" for a, _ in events),
        "rejected": {r: sum(reason == r for _, reason in events if reason)
                     for r in ("incomplete", "abusive", "not_our_content", "spam")},
        "months": [{"month": m, "notices": months.get(m, [0, 0])[0],
                    "decisions": months.get(m, [0, 0])[1]} for m in _every_month(months)],
    }


def _every_month(months: dict) -> list[str]:
    if not months:
        return []
    first = datetime.strptime(min(months), "%Y-%m")
    last = datetime.strptime(max(months), "%Y-%m")
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [f"{first.year + (first.month - 1 + k) // 12:04d}-{(first.month - 1 + k) % 12 + 1:02d}"
            for k in range(count)]


@pytest.fixture
def dataset(any_app):
    with any_app.app_context(), transaction() as session:
        return make_dataset(session)


def _provenance(app, period, source=None):
    with app.app_context():
        return reports.provenance_report(get_session(), period, source)


PERIODS = [Period(), Period.from_dates("2024-02-01", "2024-04-30"),
           Period.from_dates("2030-01-01", None)]


@pytest.mark.parametrize("period", PERIODS, ids=["all", "feb-apr", "future"])
def test_provenance_figures_equal_independent_counts(any_app, dataset, period):
    report = _provenance(any_app, period)
    expected = expected_provenance(dataset, period)
    summary = report["summary"]
    for key in ("articles", "matched", "unmatched", "copies", "uncredited_copies",
                "uncredited_articles", "kinds", "at_risk"):
        assert summary[key] == expected[key], key
    got = {row["publisher"]: {k: row[k] for k in ("articles_taken", "credited", "characters",
                                                   *KINDS, "notices", "strikes")}
           for row in report["publishers"]}
    for name, row in got.items():
        assert abs(row.pop("characters") - expected["publishers"][name].pop("characters")) <= 1
    assert got == expected["publishers"]
    assert len(report["at_risk"]) == min(expected["at_risk"], 100)


def test_credited_source_filter_keeps_only_that_source(any_app, dataset):
    period = Period.from_dates("2024-01-01", "2024-12-31")
    report = _provenance(any_app, period, "美国新闻网")
    expected = expected_provenance(dataset, period, "美国新闻网")
    assert report["summary"]["articles"] == expected["articles"] > 0
    assert report["summary"]["copies"] == expected["copies"]
    assert {r["claimed_source"] for r in report["uncredited"]} <= {"美国新闻网"}


def test_at_risk_is_ranked_by_the_publishers_notices_then_score(any_app, dataset):
    ranked = _provenance(any_app, Period())["at_risk"]
    keys = [(-row["publisher_notices"], -row["score"]) for row in ranked]
    assert ranked and keys == sorted(keys)


@pytest.mark.parametrize("period,events", [(Period(), True),
                                           (Period.from_dates("2024-03-01", "2024-05-31"), False)],
                         ids=["all", "mar-may"])
def test_transparency_figures_equal_independent_counts(any_app, dataset, period, events):
    with any_app.app_context():
        report = reports.transparency_report(get_session(), period)
    expected = expected_transparency(dataset, period, events)
    notices, actions, timing = report["notices"], report["actions"], report["timing"]
    assert notices["total"] == expected["total"]
    assert notices["by_kind"] == expected["by_kind"]
    assert notices["by_jurisdiction"] == expected["by_jurisdiction"]
    assert notices["claimants"] == expected["claimants"]
    assert sum(row["notices"] for row in notices["by_claimant"]) == expected["total"]
    assert actions["decisions"] == expected["decisions"]
    assert actions["by_action"] == expected["by_action"]
    assert actions["automated"] == expected["automated"]
    assert timing["decided_cases"] == expected["decided_cases"]
    assert timing["median_hours"] == pytest.approx(expected["median"], abs=0.01)
    assert timing["p90_hours"] == pytest.approx(expected["p90"], abs=0.01)
    assert report["disputes"]["counter_notices"] == expected["by_kind"]["counter_notice"]
    assert report["disputes"]["restorations"] == expected["restorations"]
    assert report["disputes"]["upheld"] == expected["upheld"]
    for reason, count in expected["rejected"].items():
        assert report["rejections"]["by_reason"][reason] == count
    assert report["months"] == expected["months"]


def test_nearest_rank_percentile():
    from moderation.reports.transparency import percentile

    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 12)), 0.9) == 10


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before its start"):
        Period.from_dates("2024-02-01", "2024-01-01")
    with pytest.raises(ValueError, match="not a date"):
        Period.from_dates("last tuesday")


def test_csv_exports_parse_into_the_documented_columns(app, client, auth):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    auth.login()
    for name, fields in (("provenance", reports.PROVENANCE_FIELDS),
                         ("publishers", reports.PUBLISHER_FIELDS),
                         ("transparency", reports.TRANSPARENCY_FIELDS)):
        response = client.get(f"/reports/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        raw = response.get_data()
        assert raw.startswith("\ufeff".encode())  # spreadsheet tools then read UTF-8
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
        rows = list(reader)
        assert tuple(reader.fieldnames) == fields and rows, name
    publishers = list(csv.DictReader(io.StringIO(
        client.get("/reports/publishers.csv").get_data().decode("utf-8-sig"))))
    names = {row["publisher"] for row in publishers}
    assert "美国广播公司新闻" in names and HOSTILE in names
    assert {row["domains"] for row in publishers if row["publisher"] == "ABC News"} == {"1000"}


def test_json_exports_carry_the_documented_fields(app, client, auth):
    with app.app_context(), transaction() as session:
        data = make_dataset(session)
    auth.login()
    articles = client.get("/reports/provenance.json?since=2024-01-01&until=2024-12-31").get_json()
    assert articles and all(set(reports.PROVENANCE_FIELDS) == set(row) for row in articles)
    publishers = client.get("/reports/publishers.json").get_json()
    assert all(set(reports.PUBLISHER_FIELDS) == set(row) for row in publishers)
    figures = client.get("/reports/transparency.json").get_json()
    assert set(figures) == {"report", "period", "notices", "actions", "timing", "disputes",
                            "rejections", "months"}
    assert figures["notices"]["total"] == sum(1 for n in data.notices if n["kind"])
    assert set(figures["timing"]) == {"decided_cases", "median_hours", "p90_hours"}


def test_an_empty_database_renders_every_report_saying_no_data(client, auth):
    auth.login()
    for path in ("/reports/provenance", "/reports/transparency"):
        page = client.get(path).get_data(as_text=True)
        assert "No data for this period." in page and "<svg" not in page
    assert client.get("/reports/publishers.json").get_json() == []
    assert client.get("/reports/provenance.json").get_json() == []
    rows = list(csv.DictReader(io.StringIO(
        client.get("/reports/transparency.csv").get_data().decode("utf-8-sig"))))
    assert {row["value"] for row in rows if row["section"] == "notices"} == {"0"}


def test_a_period_with_no_data_says_so_and_draws_no_chart(app, client, auth):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    auth.login()
    full = client.get("/reports/provenance").get_data(as_text=True)
    assert full.count("<svg") == 2
    empty = client.get("/reports/provenance?since=2031-01-01").get_data(as_text=True)
    assert "<svg" not in empty and "No data for this period." in empty
    assert client.get("/reports/transparency").get_data(as_text=True).count("<svg") == 1


def test_a_hostile_publisher_name_is_escaped_in_page_and_chart(app, client, auth):
    with app.app_context(), transaction() as session:
        make_dataset(session)
    auth.login()
    page = client.get("/reports/provenance").get_data(as_text=True)
    assert "<script>alert" not in page
    chart = page[page.index("<svg"):page.index("</svg>")]
    assert "&lt;script&gt;alert" in chart  # drawn as text in the chart
    assert "<script" not in chart.lower()  # and pygal's own script is gone too


def test_a_bad_period_is_said_and_the_report_still_renders(client, auth):
    auth.login()
    response = client.get("/reports/transparency?since=yesterday")
    assert response.status_code == 200
    assert "The period was not understood" in response.get_data(as_text=True)


def test_the_provenance_command_keeps_its_json_and_takes_a_period(app, runner):
    with app.app_context(), transaction() as session:
        data = make_dataset(session)
    rows = json.loads(runner.invoke(args=["report", "provenance", "--format", "json"]).output)
    assert len({r["article_url"] for r in rows}) == len(data.articles)
    result = runner.invoke(args=["report", "provenance", "--format", "json",
                                 "--since", "2024-03-01", "--until", "2024-03-31"])
    kept = expected_provenance(data, Period.from_dates("2024-03-01", "2024-03-31"))["articles"]
    assert len({r["article_url"] for r in json.loads(result.output)}) == kept


def test_a_bad_since_date_exits_1(runner):
    result = runner.invoke(args=["report", "transparency", "--since", "March"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_reports_with_charts_read_in_chinese_without_english_leftovers(app, client, auth):
    import re

    from ..plumbing.test_i18n import _english_phrases, _visible_text

    with app.app_context(), transaction() as session:
        make_dataset(session)
    auth.login()
    client.post("/language", data={"locale": "zh_Hans"})
    phrases = _english_phrases() - set(PUBLISHERS) - {"ABC News"}
    for path in ("/reports/", "/reports/provenance", "/reports/transparency"):
        html = client.get(path).get_data(as_text=True)
        text = _visible_text(html)
        leftovers = sorted(p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text))
        assert leftovers == [], f"{path}: {leftovers}"
    page = client.get("/reports/provenance").get_data(as_text=True)
    assert "各出版方被转载数" in page and "照搬" in page  # chart title and legend in Chinese
