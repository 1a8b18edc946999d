"""Reviewers' verdicts as numbers: precision per kind, score thresholds, labelled examples."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from moderation.models import Article, Case, MatchFeedback, Original, Publisher
from moderation.plumbing.db import transaction
from moderation.provenance import feedback
from moderation.provenance.feedback import Judged

from ..conftest import Auth


def _rows(kind: str, *pairs: tuple[float, str]) -> list[Judged]:
    return [Judged({"C": "confirmed", "R": "rejected"}[v], kind, score) for score, v in pairs]


LADDER = _rows("verbatim", (0.95, "C"), (0.9, "C"), (0.85, "C"), (0.8, "R"), (0.7, "C"),
               (0.6, "R"), (0.5, "R"))


def test_the_lowest_threshold_reaching_the_target_and_what_it_keeps():
    strict = feedback.threshold(LADDER, 0.95)
    assert strict == feedback.Threshold(score=0.85, precision=1.0, judged=3, kept=3, lost=1,
                                        rejected_kept=0)
    # 4 of the 5 pairs at or above 0.7 are right: exactly 0.8 is enough.
    loose = feedback.threshold(LADDER, 0.8)
    assert (loose.score, loose.kept, loose.lost, loose.rejected_kept) == (0.7, 4, 0, 1)
    assert feedback.threshold(LADDER, 0.5).score == 0.5


def test_precision_that_dips_and_recovers_still_finds_the_lowest_score():
    rows = _rows("excerpt", (0.9, "R"), (0.8, "C"), (0.7, "C"), (0.6, "C"), (0.5, "C"))
    assert feedback.threshold(rows, 0.8).score == 0.5
    assert feedback.threshold(rows, 0.9) is None  # the best-scored match was wrong


def test_a_threshold_never_splits_pairs_of_equal_score():
    rows = _rows("edited", (0.8, "C"), (0.8, "R"), (0.7, "C"))
    assert feedback.threshold(rows, 1.0) is None
    assert feedback.threshold(rows, 0.5).score == 0.7


def test_a_precision_exactly_on_the_target_counts():
    rows = _rows("verbatim", *[(1 - i / 100, "C") for i in range(19)], (0.5, "R"))
    found = feedback.threshold(rows, 0.95)
    assert (found.score, found.kept, found.judged) == (0.5, 19, 20)


def test_summaries_per_kind_then_all_together():
    rows = [*LADDER, *_rows("translation", (0.6, "C"), (0.4, "R")),
            *_rows("mystery", (0.3, "R")), Judged("pending", "verbatim", 0.99)]
    summaries = feedback.summarise(rows, 0.95)
    assert [s.kind for s in summaries] == ["verbatim", "translation", "mystery", "all"]
    verbatim, translation, mystery, together = summaries
    assert (verbatim.confirmed, verbatim.rejected, verbatim.judged) == (4, 3, 7)
    assert verbatim.precision == pytest.approx(4 / 7)
    assert translation.threshold.score == 0.6 and translation.threshold.lost == 0
    assert mystery.precision == 0.0 and mystery.threshold is None
    assert (together.confirmed, together.rejected) == (5, 5)
    assert together.threshold.score == 0.85


def test_no_verdicts_is_said_plainly_rather_than_as_zero():
    [together] = feedback.summarise([])
    assert together.kind == "all" and together.judged == 0
    assert together.precision is None and together.threshold is None
    assert feedback.threshold([], 0.95) is None


def test_a_target_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="above 0 and at most 1"):
        feedback.threshold(LADDER, 1.5)


@pytest.mark.parametrize(("text", "value"), [
    ("0.9", 0.9), ("90", 0.9), ("90%", 0.9), (" 1 ", 1.0), ("abc", None), ("0", None),
    ("nan", None), ("150", None), ("", None), (None, None), ("-0.5", None)])
def test_parse_target(text, value):
    assert feedback.parse_target(text) == (pytest.approx(value) if value else None)


# --- the page, the downloads and the command, on SQLite and PostgreSQL ----------------------

@pytest.fixture
def app(any_app):
    return any_app


DECIDED = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def verdicts(app):
    """Four judged pairs: verbatim copies (2 right, 1 wrong) and a wrong translation."""
    with app.app_context(), transaction() as session:
        publisher = Publisher(name="美国广播公司")
        case = Case(kind="review", subject="Review item")
        session.add_all([publisher, case])
        session.flush()
        articles = [Article(url=f"https://uscntv.com/a/{i}", title=f"A{i}") for i in range(4)]
        originals = [Original(url=f"https://abc.example/o/{i}", title=f"O{i}", text="t",
                              publisher_id=publisher.id) for i in range(4)]
        session.add_all(articles + originals)
        session.flush()
        for i, (verdict, kind, score) in enumerate([
                ("confirmed", "verbatim", 0.92), ("rejected", "verbatim", 0.41),
                ("confirmed", "verbatim", 0.66), ("rejected", "translation", 0.5)]):
            session.add(MatchFeedback(
                article_id=articles[i].id, original_id=originals[i].id, verdict=verdict,
                kind=kind, score=score, article_coverage=0.5 + i / 10, engine_version="m2",
                case_id=case.id if i == 0 else None,
                decided_at=DECIDED.replace(day=4 - i)))
        return {"case": case.id}


@pytest.fixture
def admin(client, app):
    Auth(client, app).login("boss@example.org", "admin")
    return client


def test_the_thresholds_page_shows_each_kind_and_the_settings(admin, verdicts):
    page = admin.get("/admin/thresholds").get_data(as_text=True)
    assert "Verbatim copy" in page and "Translation" in page and "All kinds" in page
    # Verbatim: 2 confirmed, 1 rejected; at 95 % only the pairs from 0.66 up qualify.
    assert "<td>2</td><td>1</td><td>66.7 %</td>" in page
    assert "<td>0.660</td>" in page
    assert "(REVIEW_UNCERTAIN_BELOW)" in page and "0.45" in page
    assert "The matching engine ignores scores below 0.25." in page
    assert "No score reaches the target" in page  # the translation: its only verdict is wrong
    assert 'href="/admin/thresholds/feedback.csv"' in page
    assert 'href="/admin/thresholds/feedback.json"' in page


def test_the_target_can_be_chosen_and_a_bad_one_is_explained(admin, verdicts):
    # At 60 %, 2 of the 3 verbatim pairs from 0.41 up are right (66.7 %): 0.41 is the lowest.
    assert "<td>0.410</td>" in admin.get("/admin/thresholds?target=0.6").get_data(as_text=True)
    assert "<td>0.410</td>" in admin.get("/admin/thresholds?target=60").get_data(as_text=True)
    bad = admin.get("/admin/thresholds?target=lots").get_data(as_text=True)
    assert "The target precision is a number between 0 and 1" in bad
    assert "showing 95.0 % instead" in bad and "<td>0.660</td>" in bad


def test_without_verdicts_the_page_says_so(admin):
    page = admin.get("/admin/thresholds").get_data(as_text=True)
    assert "No verdicts yet" in page


def test_reviewers_get_neither_the_page_nor_the_data(client, app, verdicts):
    Auth(client, app).login()
    for path in ("/admin/thresholds", "/admin/thresholds/feedback.csv",
                 "/admin/thresholds/feedback.json"):
        assert client.get(path).status_code == 403, path


EXPECTED_FIRST = {
    "article_url": "https://uscntv.com/a/3", "original_url": "https://abc.example/o/3",
    "publisher": "美国广播公司", "verdict": "rejected", "kind": "translation", "score": 0.5,
    "article_coverage": 0.8, "engine_version": "m2",
    "decided_at": "2025-03-01T08:30:00+00:00", "case_id": None,
}


def test_labelled_examples_as_json(admin, verdicts):
    response = admin.get("/admin/thresholds/feedback.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="labelled-examples.json"')
    rows = json.loads(response.get_data(as_text=True))
    assert [r["article_url"][-1] for r in rows] == ["3", "2", "1", "0"]  # oldest first
    assert rows[0] == EXPECTED_FIRST
    assert rows[-1]["case_id"] == verdicts["case"] and rows[-1]["verdict"] == "confirmed"


def test_labelled_examples_as_csv_open_in_spreadsheets(admin, verdicts):
    response = admin.get("/admin/thresholds/feedback.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffarticle_url,original_url,publisher,verdict,kind,score,"
                           "article_coverage,engine_version,decided_at,case_id\r\n")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 4
    assert rows[0] == {k: "" if v is None else str(v) for k, v in EXPECTED_FIRST.items()}


def test_the_export_command_writes_json_and_csv(runner, verdicts, tmp_path):
    result = runner.invoke(args=["feedback", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0] == EXPECTED_FIRST
    target = tmp_path / "examples.csv"
    result = runner.invoke(args=["feedback", "export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    written = target.read_bytes().decode("utf-8")
    assert written.startswith("\ufeffarticle_url,") and written.count("\r\n") == 5
    assert "美国广播公司" in written


def test_the_export_command_refuses_an_unknown_format(runner):
    result = runner.invoke(args=["feedback", "export", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "'xlsx' is not one of 'csv', 'json'" in result.output
