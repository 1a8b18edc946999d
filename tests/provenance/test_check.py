"""Checking before publishing: the answers of POST /api/check, the risk rule, `moderation check`."""

import json
from datetime import date

import pytest
from sqlmodel import select

from moderation.models import Article, Case, CaseTarget, Decision, Original, Publisher, utcnow
from moderation.plumbing.db import get_session, transaction
from moderation.provenance import checking

from ..support.check_support import (
    ABC_URL,
    BBC,
    ORIGINAL_FIELDS,
    PUBLIC,
    SEED,
    UNRELATED,
    _licence,
    _post,
)


@pytest.fixture
def app(any_app):
    """Every test here runs on SQLite and on PostgreSQL (conftest's client uses this app)."""
    return any_app


# --- the answers -------------------------------------------------------------------------


def test_the_seed_page_is_traced_to_its_abc_original_and_needs_a_licence(seeded, client, token):
    response = _post(client, token, {"text": SEED})
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    result = response.get_json()
    assert set(result) == set(PUBLIC)
    assert result["risk"] in ("credit_needed", "licence_needed")
    assert result["risk"] == "licence_needed"  # the whole article, translated and copied
    [top] = result["originals"]
    assert set(top) == ORIGINAL_FIELDS
    assert top["url"].startswith(ABC_URL) and top["publisher"] == "ABC News"
    assert top["kind"] in ("verbatim", "translation") and top["score"] > 0.8
    assert top["original_coverage"] >= 0.5 and not top["credited"]
    assert top["licence"] is None
    assert top["complaints"] == {"strikes": 0, "open_cases": 0, "cases": 0}
    assert result["credit_line"] == "来源:ABC News / Source: ABC News"
    assert [r["code"] for r in result["reasons"]] == ["substantial_copy"]
    assert result["engine_version"].startswith("matching-")
    assert result["checked_on"] == utcnow().date().isoformat()
    # The draft itself is never sent back.
    assert "拜登政府表示" not in response.get_data(as_text=True)


def test_an_unrelated_text_is_ok(seeded, client, token):
    result = _post(client, token, {"text": UNRELATED}).get_json()
    assert result["risk"] == "ok" and result["originals"] == []
    assert result["credit_line"] is None
    assert [r["code"] for r in result["reasons"]] == ["no_match"]


def test_a_licence_with_required_wording_asks_for_that_credit(seeded, client, token):
    _licence(seeded, full_repost=True, translation_allowed=True, credit_wording="来源:美国广播公司")
    result = _post(client, token, {"text": SEED}).get_json()
    assert result["risk"] == "credit_needed"
    assert result["credit_line"] == "来源:美国广播公司"
    [top] = result["originals"]
    assert top["licence"]["kind"] == "licence" and top["licence"]["valid_to"] is None
    assert top["licence"]["credit_wording"] == "来源:美国广播公司"
    assert [r["code"] for r in result["reasons"]] == ["licence_credit_missing"]
    credited = _post(client, token, {"text": SEED + "\n\n来源：美国广播公司\n"}).get_json()
    assert credited["risk"] == "ok" and credited["credit_line"] is None
    assert credited["originals"][0]["credited"] is True
    assert [r["code"] for r in credited["reasons"]] == ["licensed"]


def test_a_licence_without_wording_makes_the_copy_ok(seeded, client, token):
    _licence(seeded, full_repost=True, translation_allowed=True)
    result = _post(client, token, {"text": SEED}).get_json()
    assert result["risk"] == "ok" and result["credit_line"] is None
    assert result["originals"][0]["licence"]["credit_wording"] is None


def test_a_revoked_or_expired_licence_does_not_count(seeded, client, token):
    _licence(seeded, full_repost=True, translation_allowed=True, valid_to=date(2001, 1, 1))
    assert _post(client, token, {"text": SEED}).get_json()["risk"] == "licence_needed"


def test_a_publisher_with_a_removal_on_record_means_do_not_publish(seeded, client, token):
    with seeded.app_context(), transaction() as session:
        original = session.exec(select(Original)).one()
        old = session.exec(select(Article)).one()
        case = Case(kind="takedown", status="resolved_removed", subject="ABC notice")
        session.add(case)
        session.flush()
        session.add(CaseTarget(case_id=case.id, url=old.url, article_id=old.id,
                               original_id=original.id, verdict="supported", decision="remove"))
        session.add(Decision(case_id=case.id, article_id=old.id, target_url=old.url,
                             action="remove", reason_code="infringing"))
    result = _post(client, token, {"text": SEED + "\n\n来源:美国广播公司\n"}).get_json()
    assert result["risk"] == "do_not_publish" and result["credit_line"] is None
    assert result["originals"][0]["complaints"] == {"strikes": 1, "open_cases": 0, "cases": 1}
    assert [r["code"] for r in result["reasons"]] == ["complained_publisher"]


def _bbc_original(app) -> list[str]:
    title, _, body = (BBC / "business-014.txt").read_text(encoding="utf-8").partition("\n")
    with app.app_context(), transaction() as session:
        bbc = Publisher(name="BBC News", aliases=["英国广播公司"])
        session.add(bbc)
        session.flush()
        session.add(Original(url="https://www.bbc.co.uk/news/business-014", title=title.strip(),
                             text=body.strip(), language="en", publisher_id=bbc.id))
    with app.app_context():
        from moderation import provenance

        provenance.reconcile(get_session(), provenance.get_index(app))
    return [p for p in body.split("\n\n") if p.strip()]


def test_an_excerpt_needs_a_credit_and_a_credited_excerpt_is_ok(app, client, token):
    paragraphs = _bbc_original(app)
    excerpt = "Our story\n\n" + "\n\n".join(paragraphs[1:3])
    result = _post(client, token, {"text": excerpt}).get_json()
    assert result["risk"] == "credit_needed"
    assert result["originals"][0]["kind"] == "excerpt"
    assert result["originals"][0]["original_coverage"] < 0.5
    assert result["credit_line"] == "来源:BBC News / Source: BBC News"
    credited = _post(client, token, {"text": excerpt + "\n\nSource: BBC News"}).get_json()
    assert credited["risk"] == "ok" and credited["originals"][0]["credited"] is True
    whole = _post(client, token, {"text": "Our story\n\n" + "\n\n".join(paragraphs) +
                                          "\n\nSource: BBC News"}).get_json()
    assert whole["risk"] == "licence_needed"  # a credit does not license a whole copy


def test_html_scripts_are_dropped_never_echoed(app, client, token):
    paragraphs = _bbc_original(app)
    page = ("<html><head><script>alert('x-marker')</script></head><body><h1>Story</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs[1:3])
            + "<script>document.write('y-marker')</script></body></html>")
    response = _post(client, token, {"html": page, "url": "https://www.uscntv.com/a/1.html"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["originals"][0]["kind"] == "excerpt"
    assert "marker" not in response.get_data(as_text=True)
    only = _post(client, token, {"html": "<script>alert('z-marker')</script><style>p{}</style>"})
    assert only.status_code == 400 and "no article text" in only.get_json()["error"]
    assert "marker" not in only.get_data(as_text=True)


@pytest.mark.parametrize(("finding", "risk", "code"), [
    (checking.Finding("excerpt", 0.1), "credit_needed", "uncredited"),
    (checking.Finding("excerpt", 0.1, credited=True), "ok", "credited"),
    (checking.Finding("excerpt", 0.9, credited=True), "ok", "credited"),
    (checking.Finding("edited", 0.4), "credit_needed", "uncredited"),
    (checking.Finding("translation", 0.5, credited=True), "licence_needed", "substantial_copy"),
    (checking.Finding("verbatim", 0.9), "licence_needed", "substantial_copy"),
    (checking.Finding("verbatim", 0.9, complained=True, credited=True), "do_not_publish",
     "complained_publisher"),
    (checking.Finding("verbatim", 0.9, licensed=True, complained=True), "ok", "licensed"),
    (checking.Finding("verbatim", 0.9, licensed=True, credit_required=True), "credit_needed",
     "licence_credit_missing"),
    (checking.Finding("verbatim", 0.9, licensed=True, credit_required=True, credited=True),
     "ok", "licensed"),
    (checking.Finding("none", 0.0), "ok", "no_match"),
])
def test_the_risk_rule(finding, risk, code):
    assert checking.rule(finding) == (risk, code)


def test_the_worst_original_decides():
    assert checking.overall([]) == "ok"
    assert checking.overall(["ok", "licence_needed", "credit_needed"]) == "licence_needed"
    assert checking.overall(["credit_needed", "do_not_publish"]) == "do_not_publish"


# --- moderation check FILE -----------------------------------------------------------------


def _cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["check", *map(str, args)], input=input)


def test_cli_checks_a_text_file_like_the_api(seeded, client, token, tmp_path):
    page = tmp_path / "draft.txt"
    page.write_text(SEED, encoding="utf-8")
    result = _cli(seeded, page)
    assert result.exit_code == 4, result.output  # licence_needed
    assert "Risk: licence_needed" in result.output and "ABC News" in result.output
    assert "来源:ABC News / Source: ABC News" in result.output
    as_json = _cli(seeded, page, "--format", "json")
    assert as_json.exit_code == 4
    assert json.loads(as_json.output) == _post(client, token, {"text": SEED}).get_json()


def test_cli_reads_html_json_and_standard_input(seeded, tmp_path):
    html = tmp_path / "draft.html"
    html.write_text("<html><body><p>" + UNRELATED.replace("\n\n", "</p><p>") + "</p>"
                    "<script>alert(1)</script></body></html>", encoding="utf-8")
    result = _cli(seeded, html)
    assert result.exit_code == 0 and "Risk: ok" in result.output, result.output
    assert "alert" not in result.output
    body = tmp_path / "draft.json"
    body.write_text(json.dumps({"text": SEED, "title": "拜登、普京举行电话会议"}),
                    encoding="utf-8")
    assert _cli(seeded, body, "--format", "json").exit_code == 4
    piped = _cli(seeded, "-", "--format", "json", input=UNRELATED)
    assert piped.exit_code == 0 and json.loads(piped.output)["risk"] == "ok"


def test_cli_credit_needed_exits_3(seeded, tmp_path):
    _licence(seeded, full_repost=True, translation_allowed=True, credit_wording="来源:ABC")
    page = tmp_path / "draft.txt"
    page.write_text(SEED, encoding="utf-8")
    result = _cli(seeded, page)
    assert result.exit_code == 3 and "Add this credit:\n  来源:ABC" in result.output


@pytest.mark.parametrize(("name", "content", "words"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("scripts.html", b"<script>alert(1)</script>", "no article text"),
    ("broken.json", b"{not json", "JSON cannot be read"),
    ("other.json", b'{"text": "x", "extra": 1}', "object like the API"),
    ("report.pdf", b"%PDF-1.4", ".txt, .html or .json"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
])
def test_cli_refuses_what_it_cannot_check(seeded, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    result = _cli(seeded, path)
    assert result.exit_code == 1 and words in result.output, result.output
    assert "Traceback" not in result.output


def test_cli_names_a_missing_file(app, tmp_path):
    result = _cli(app, tmp_path / "missing.txt")
    assert result.exit_code == 2 and "does not exist" in result.output
