"""Importing articles and originals from files and the web, exporting, and their pages."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from moderation.models import Article, AuditEvent, Original, Publisher, PublisherDomain
from moderation.plumbing.db import get_session

from ..conftest import Auth

PAGES = Path(__file__).parents[1] / "fixtures" / "intake" / "pages"
JSONL = Path(__file__).parents[1] / "fixtures" / "intake" / "jsonl" / "mixed.jsonl"
SEED_TITLE = "拜登、普京在乌克兰紧张局势加剧之际举行电话会议"


def _originals_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bbc"
    folder.mkdir()
    for name in ("bbc_business_001.txt", "bbc_sport_199_cp1252.txt"):
        shutil.copy(PAGES / name, folder / name)
    return folder


def test_originals_import_counts_and_is_idempotent(runner, app, tmp_path):
    folder = _originals_folder(tmp_path)
    args = ["originals", "import", str(folder), "--publisher", "BBC News",
            "--base-url", "https://www.bbc.co.uk/news/"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "Originals: 2 new, 0 updated, 0 unchanged, 0 failed" in first.output
    again = runner.invoke(args=args)
    assert "Originals: 0 new, 0 updated, 2 unchanged, 0 failed" in again.output
    with app.app_context():
        session = get_session()
        original = session.exec(select(Original).where(
            Original.url == "https://bbc.co.uk/news/bbc_business_001.txt")).one()
        assert original.title == "Ad sales boost Time Warner profit"
        assert original.text.startswith("Quarterly profits at US media giant TimeWarner")
        publisher = session.get(Publisher, original.publisher_id)
        assert publisher.name == "BBC News"
        assert session.exec(select(PublisherDomain.domain)).all() == ["bbc.co.uk"]
        old_hash = original.text_hash
    edited = folder / "bbc_business_001.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA late correction.\n",
                      encoding="utf-8")
    third = runner.invoke(args=args)
    assert "Originals: 0 new, 1 updated, 1 unchanged, 0 failed" in third.output
    with app.app_context():
        original = get_session().exec(select(Original).where(
            Original.url == "https://bbc.co.uk/news/bbc_business_001.txt")).one()
        assert original.previous_text_hash == old_hash != original.text_hash
        assert original.text.endswith("A late correction.")


def test_files_naming_no_publisher_share_one_instead_of_failing(runner, app, tmp_path):
    # Local files with no publisher and no web address: every one is kept (the second used
    # to be refused for adding the same nameless publisher again).
    result = runner.invoke(args=["originals", "import", str(_originals_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Originals: 2 new, 0 updated, 0 unchanged, 0 failed" in result.output
    with app.app_context():
        session = get_session()
        assert len({o.publisher_id for o in session.exec(select(Original))}) == 1
        assert len(session.exec(select(Publisher)).all()) == 1


def test_bad_inputs_are_listed_and_the_rest_still_import(runner, app, tmp_path):
    result = runner.invoke(args=["originals", "import", str(JSONL)])
    assert result.exit_code == 1
    assert "Originals: 3 new, 0 updated, 0 unchanged, 6 failed" in result.output
    assert "mixed.jsonl, line 3: " in result.output  # the line that is not JSON
    assert "mixed.jsonl, line 4: " in result.output  # the record without a url
    with app.app_context():
        urls = sorted(get_session().exec(select(Original.url)).all())
    assert "https://harbourledger.example/business/ferry-fares" in urls


def test_seed_page_imports_as_an_article_with_site_time(runner, app, tmp_path):
    folder = tmp_path / "site" / "toutiao"
    folder.mkdir(parents=True)
    shutil.copy(PAGES / "seed_biden_putin.txt", folder / "12345.txt")
    result = runner.invoke(args=["articles", "import", str(tmp_path / "site"),
                                 "--base-url", "https://www.uscntv.com/"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        article = get_session().exec(select(Article)).one()
    assert article.url == "https://uscntv.com/toutiao/12345.txt"
    assert article.title == SEED_TITLE
    assert article.claimed_source == "美国新闻网"
    # 13:55 in the site's zone (Asia/Shanghai, UTC+8) is 05:55 UTC.
    assert article.published_at == datetime(2021, 12, 31, 5, 55, tzinfo=UTC)
    assert [s["language"] for s in article.segments] == ["zh", "en"]
    assert article.raw_id is not None


def test_a_file_without_url_is_known_by_its_file_address(runner, app, tmp_path):
    shutil.copy(PAGES / "seed_biden_putin.txt", tmp_path / "page.txt")
    result = runner.invoke(args=["articles", "import", str(tmp_path / "page.txt")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_session().exec(select(Article.url)).one().startswith("file:///")


def test_articles_export_gives_the_documented_fields(runner, app, tmp_path):
    shutil.copy(PAGES / "seed_biden_putin.txt", tmp_path / "a.txt")
    runner.invoke(args=["articles", "import", str(tmp_path), "--base-url", "https://uscntv.com/"])
    result = runner.invoke(args=["articles", "export", "--format", "json"])
    items = json.loads(result.output)
    assert len(items) == 1
    item = items[0]
    assert set(item) == {"url", "title", "published_at", "claimed_source", "status", "segments"}
    assert item["published_at"] == "2021-12-31T05:55:00+00:00"
    assert item["status"] == "published"
    assert item["segments"][1]["text"].startswith("President Joe Biden spoke with")


def test_originals_fetch_keeps_the_main_text(runner, app, server):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = runner.invoke(args=["originals", "fetch", base + "/article.html?utm_source=x",
                                 base + "/missing"])
    assert result.exit_code == 1
    assert "Originals: 1 new" in result.output
    assert "/missing: " in result.output
    with app.app_context():
        session = get_session()
        original = session.exec(select(Original)).one()
        publisher = session.get(Publisher, original.publisher_id)
    # The page's own canonical link names it, and its site name its publisher.
    assert original.url == "https://harbourledger.example/business/2023/03/14/dock-workers-strike"
    assert original.title == "Dock workers vote to strike over automation plans"
    assert original.text.startswith("Workers at the country's second-largest container port")
    assert publisher.name == "The Harbour Ledger"


def test_originals_feed_fetches_each_listed_article(runner, app, server):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = runner.invoke(args=["originals", "feed", base + "/feed.rss"])
    assert "articles listed in 1 feed(s)" in result.output
    with app.app_context():
        assert len(get_session().exec(select(Original)).all()) >= 1


def test_admin_upload_runs_the_same_import(client, auth, app):
    auth.login("boss@example.org", "admin")
    with (PAGES / "bbc_business_001.txt").open("rb") as handle:
        response = client.post("/originals/import", data={
            "files": [(handle, "bbc_business_001.txt")], "publisher": "BBC News",
            "base_url": "https://www.bbc.co.uk/news/"}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert b"1 new, 0 updated, 0 unchanged, 0 failed" in response.data
    with app.app_context():
        session = get_session()
        assert session.exec(select(Original.url)).one() == (
            "https://bbc.co.uk/news/0000-bbc_business_001.txt")
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "original.import")).one()
        assert event.actor == "boss@example.org"


def test_upload_reports_bad_files_by_name(client, auth):
    auth.login("boss@example.org", "admin")
    with (PAGES / "garbage.html").open("rb") as handle:
        response = client.post("/articles/import", data={"files": [(handle, "garbage.html")]},
                               content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "0 new, 0 updated, 0 unchanged, 1 failed" in page
    assert "0000-garbage.html" in page and "desk-import-" not in page


def test_article_pages_search_filter_and_show_raw_source(client, app, runner, tmp_path):
    shutil.copy(PAGES / "seed_biden_putin.txt", tmp_path / "a.txt")
    runner.invoke(args=["articles", "import", str(tmp_path), "--base-url", "https://uscntv.com/"])
    Auth(client, app).login()
    listing = client.get("/articles/?q=拜登&source=美国新闻网").get_data(as_text=True)
    assert SEED_TITLE in listing
    assert SEED_TITLE not in client.get("/articles/?source=Other").get_data(as_text=True)
    with app.app_context():
        article_id = get_session().exec(select(Article.id)).one()
    raw = client.get(f"/articles/{article_id}/raw").get_data(as_text=True)
    assert "阅读更多" in raw and "如有侵权请及时联系我们" in raw  # the page as imported


def test_raw_source_is_shown_as_text_never_as_html(client, app, auth):
    from moderation.models import RawDocument
    from moderation.plumbing.db import transaction

    with app.app_context(), transaction() as session:
        raw = RawDocument(sha256="0" * 64, data=b"<script>alert(1)</script><p>x</p>",
                          content_type="text/html")
        session.add(raw)
        session.flush()
        original = Original(url="https://evil.example/x", raw_id=raw.id, text="x")
        session.add(original)
        session.flush()
        original_id = original.id
    auth.login()
    page = client.get(f"/originals/{original_id}/raw").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_articles_import_learns_the_sites_own_boilerplate(runner, app, tmp_path):
    footer = "本站特别推荐:每日新闻早知道,欢迎订阅"
    site = tmp_path / "site"
    site.mkdir()
    for n in range(30):
        (site / f"{n}.txt").write_text(
            f"第{n}号新闻标题\n\n2022-01-0{n % 9 + 1} 10:00   美国新闻网\n\n"
            f"这是第{n}篇文章的正文,讲述了一件不同的事情,编号{n * 7919}。\n\n{footer}\n",
            encoding="utf-8")
    runner.invoke(args=["articles", "import", str(site), "--base-url", "https://uscntv.com/"])
    assert (tmp_path / "instance" / "boilerplate.json").exists()
    later = tmp_path / "later"
    later.mkdir()
    (later / "new.txt").write_text(
        f"新的标题\n\n2022-02-01 10:00   美国新闻网\n\n一篇新文章的正文。\n\n{footer}\n",
        encoding="utf-8")
    runner.invoke(args=["articles", "import", str(later), "--base-url", "https://uscntv.com/"])
    with app.app_context():
        article = get_session().exec(
            select(Article).where(Article.url == "https://uscntv.com/new.txt")).one()
    assert article.body == "一篇新文章的正文。"
