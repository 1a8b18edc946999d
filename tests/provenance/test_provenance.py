"""Provenance: the index kept in step with the originals, matches stored, credit detected."""

import csv
import io
import json
import shutil
from pathlib import Path

from sqlmodel import select

from moderation import demo, provenance
from moderation.models import Article, Original, Provenance
from moderation.plumbing.db import get_session, transaction

PAGES = Path(__file__).parents[1] / "fixtures" / "intake" / "pages"


def _rows(app):
    with app.app_context():
        return get_session().exec(select(Provenance)).all()


def test_the_demo_article_is_traced_to_its_abc_original_and_not_credited(app):
    demo.load(app, with_mail=False)
    [row] = _rows(app)
    with app.app_context():
        original = get_session().get(Original, row.original_id)
    assert original.url.startswith("https://abcnews.go.com/")
    assert row.kind in ("verbatim", "translation") and row.score > 0.8
    assert row.attributed is False  # the page credits 美国新闻网, not ABC News
    assert row.engine_version.startswith("matching-")
    assert row.spans and {"article_start", "original_start"} <= set(row.spans[0])


def test_match_again_gives_the_same_rows(runner, app):
    demo.load(app, with_mail=False)
    before = [(r.article_id, r.original_id, r.kind, r.score) for r in _rows(app)]
    result = runner.invoke(args=["match", "--all", "--force"])
    assert result.exit_code == 0, result.output
    assert "Articles: 1 matched, 0 without a known original, 0 unchanged" in result.output
    assert [(r.article_id, r.original_id, r.kind, r.score) for r in _rows(app)] == before


def test_match_refuses_an_unknown_article(runner):
    result = runner.invoke(args=["match", "--article", "999"])
    assert result.exit_code == 1 and "no article with id 999" in result.output


def test_a_credit_line_or_credited_source_counts_as_attribution(app):
    article = Article(url="https://uscntv.com/x", claimed_source="美国新闻网", segments=[
        {"language": "zh", "text": "正文。\n\n来源:美国广播公司新闻"}])
    assert provenance.is_attributed(article, ["ABC News", "美国广播公司"])
    article.segments = [{"language": "en", "text": "emails obtained by ABC News said"}]
    assert not provenance.is_attributed(article, ["ABC News", "美国广播公司"])
    article.claimed_source = "ABC News"
    assert provenance.is_attributed(article, ["ABC News"])


def test_originals_imported_later_find_their_earlier_copies(runner, app, tmp_path):
    site, bbc = tmp_path / "site", tmp_path / "bbc"
    site.mkdir()
    bbc.mkdir()
    text = (PAGES / "bbc_business_001.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    (site / "copy.txt").write_text(f"{title}\n\n2022-01-05 10:00   美国新闻网\n\n{body}",
                                   encoding="utf-8")
    shutil.copy(PAGES / "bbc_business_001.txt", bbc / "001.txt")
    first = runner.invoke(args=["articles", "import", str(site), "--base-url", "https://uscntv.com/"])
    assert "Provenance: 0 article(s) matched, 1 without a known original." in first.output
    later = runner.invoke(args=["originals", "import", str(bbc), "--publisher", "BBC News",
                                "--base-url", "https://www.bbc.co.uk/news/"])
    assert "Provenance: 1 article(s) matched" in later.output, later.output
    [row] = _rows(app)
    assert row.kind == "verbatim" and row.article_coverage >= 0.95


def test_the_index_is_rebuilt_from_the_database_when_its_folder_is_lost(app):
    demo.load(app, with_mail=False)
    folder = provenance.index_folder(app)
    app.extensions.pop("moderation.index")
    shutil.rmtree(folder)
    with app.app_context():
        session = get_session()
        index = provenance.get_index(app)
        assert len(index) == 0
        state = provenance.reconcile(session, index)
        assert state == {"indexed": 1, "removed": 0, "held": 1}
        assert provenance.reconcile(session, index) == {"indexed": 0, "removed": 0, "held": 1}


def test_an_original_deleted_from_the_database_leaves_the_index(app):
    demo.load(app, with_mail=False)
    with app.app_context(), transaction() as session:
        original = session.exec(select(Original)).one()
        session.delete(original)
    with app.app_context():
        state = provenance.reconcile(get_session(), provenance.get_index(app))
    assert state["removed"] == 1 and state["held"] == 0


def test_report_provenance_in_json_and_csv(runner, app):
    demo.load(app, with_mail=False)
    with app.app_context(), transaction() as session:
        session.add(Article(url="https://uscntv.com/alone", title="无来源文章",
                            segments=[{"language": "zh", "text": "一段不来自任何原文的文字。"}]))
    rows = json.loads(runner.invoke(args=["report", "provenance", "--format", "json"]).output)
    fields = {"article_url", "original_url", "publisher", "kind", "score", "article_coverage",
              "original_coverage", "attributed"}
    assert all(fields <= set(row) for row in rows)
    matched = next(r for r in rows if r["original_url"])
    assert matched["publisher"] == "ABC News" and matched["attributed"] is False
    alone = next(r for r in rows if r["article_url"] == "https://uscntv.com/alone")
    assert alone["original_url"] is None and alone["kind"] == "none"
    text = runner.invoke(args=["report", "provenance", "--format", "csv"]).output
    assert text.startswith("\ufeff")
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert fields <= set(parsed[0]) and {r["article_title"] for r in parsed} >= {"无来源文章"}


def test_an_index_from_another_engine_version_is_rebuilt(app):
    demo.load(app, with_mail=False)
    manifest = provenance.index_folder(app) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format"] = 999
    manifest.write_text(json.dumps(data))
    app.extensions.pop("moderation.index")
    with app.app_context():
        index = provenance.get_index(app)
        assert provenance.reconcile(get_session(), index)["indexed"] == 1
        assert len(index) == 1
