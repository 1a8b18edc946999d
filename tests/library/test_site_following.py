"""Following our own site: `articles fetch|feed|sitemap` against a local copy of the site."""

import gzip
import json

import pytest
from sqlmodel import select

from moderation.models import Article, AuditEvent, Original, Provenance, SitePage
from moderation.plumbing.db import get_session

from ..conftest import dispose, make_test_app
from ..support.siteserver import (
    Route,
    Site,
    article_html,
    filler,
    rss_xml,
    sitemap_xml,
    start,
    stop,
)
from ..support.webserver import WEB

ENGLISH = [
    "Workers at the country's second-largest container port voted on Tuesday to strike over "
    "plans to bring in automated cranes, a move the union says would cut hundreds of jobs.",
    "The port operator said the new cranes were needed to stay competitive with rival "
    "harbours and promised that no worker would be made redundant before the end of 2025.",
    "Union leaders said talks had broken down after the operator refused to put that "
    "promise in writing, and that the first stoppage would begin next Monday at dawn.",
]
CHINESE = ["全国第二大集装箱港口的工人周二投票决定罢工,反对引进自动化起重机的计划。",
           "工会表示,这一举措将导致数百个工作岗位流失。港口运营商则表示新起重机是保持竞争力所必需的。"]


def page(title: str, extra: str = "", english: bool = True) -> bytes:
    paragraphs = [*CHINESE, title + extra, *(ENGLISH if english else [])]
    return article_html(title, paragraphs).encode("utf-8")


@pytest.fixture
def site():
    site = Site()
    httpd, thread = start(site)
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield site
    stop(httpd, thread)


@pytest.fixture
def app(tmp_path, any_database_url):
    """On SQLite, and on PostgreSQL too when MODERATION_TEST_DATABASE_URL is set."""
    app = make_test_app(tmp_path, any_database_url, SITE_DOMAINS=["127.0.0.1"],
                        SITE_FETCH_DELAY=0.0)
    yield app
    dispose(app)


def build(site: Site) -> None:
    """A small site: a sitemap index over a plain and a gzipped sitemap, robots.txt, a feed."""
    b = site.base
    routes = site.routes
    routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n",
                                  content_type="text/plain")
    routes["/news/1.html"] = Route(page("港口工人投票罢工"))
    routes["/news/2.html"] = Route(page("机场航班大面积延误", english=False))
    routes["/news/gbk.html"] = Route((WEB / "article_gbk.html").read_bytes(),
                                     content_type="text/html")
    routes["/private/draft.html"] = Route(page("草稿"))
    routes["/sitemap-news.xml"] = Route(
        sitemap_xml([(b + "/news/1.html", "2024-05-01"), (b + "/news/2.html", "2024-05-01"),
                     (b + "/private/draft.html", "2024-05-01")]), content_type="application/xml")
    routes["/sitemap-more.xml.gz"] = Route(
        gzip.compress(sitemap_xml([(b + "/news/gbk.html", "2024-05-02T08:00:00+08:00")])),
        content_type="application/x-gzip")
    routes["/sitemap.xml"] = Route(
        sitemap_xml([(b + "/sitemap-news.xml", None), (b + "/sitemap-more.xml.gz", None)],
                    index=True), content_type="application/xml")


def articles(app) -> dict[str, Article]:
    with app.app_context():
        return {a.url: a for a in get_session().exec(select(Article))}


def test_a_sitemap_index_is_read_and_a_second_pass_asks_only_for_the_sitemap(runner, app, site):
    build(site)
    first = runner.invoke(args=["articles", "sitemap", site.base + "/sitemap.xml"])
    assert first.exit_code == 0, first.output
    assert "Articles: 3 new, 0 changed, 0 unchanged, 0 failed" in first.output
    assert "1 refused" in first.output and "robots.txt" in first.output
    paths = [path for path, _ in site.requests()]
    assert "/private/draft.html" not in paths
    stored = articles(app)
    port = site.base.rsplit(":", 1)[1]
    gbk = stored[f"https://127.0.0.1:{port}/news/gbk.html"]
    assert gbk.title == "暴雨导致南方多地航班延误" and gbk.claimed_source == "华夏时报"
    one = stored[f"https://127.0.0.1:{port}/news/1.html"]
    assert one.title == "港口工人投票罢工"
    assert "如有侵权" not in one.body  # the site's footer is chrome, not the article
    assert [s["language"] for s in one.segments] == ["zh", "en"]

    seen = len(site.requests())
    again = runner.invoke(args=["articles", "sitemap", site.base + "/sitemap.xml"])
    assert again.exit_code == 0, again.output
    assert "0 new, 0 changed" in again.output
    assert site.requests(seen) == [("/robots.txt", 200), ("/sitemap.xml", 304),
                                   ("/sitemap-news.xml", 304), ("/sitemap-more.xml.gz", 304)]
    assert articles(app)[one.url].updated_at == one.updated_at


def test_lastmod_decides_which_pages_are_read_again(runner, app, site):
    build(site)
    runner.invoke(args=["articles", "sitemap", site.base + "/sitemap.xml"])
    b = site.base
    site.routes["/news/1.html"] = Route(page("港口工人投票罢工", "(更新)"))
    site.routes["/news/2.html"] = Route(page("机场航班大面积延误", "(未声明的修改)", english=False))
    site.routes["/sitemap-news.xml"] = Route(
        sitemap_xml([(b + "/news/1.html", "2024-05-03"), (b + "/news/2.html", "2024-05-01")]),
        content_type="application/xml")
    seen = len(site.requests())
    result = runner.invoke(args=["articles", "sitemap", b + "/sitemap.xml"])
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed, 1 unchanged, 0 failed" in result.output  # gbk: sitemap 304
    pages = [path for path, _ in site.requests(seen) if path.endswith(".html")]
    assert pages == ["/news/1.html"]  # 2.html's lastmod did not move: not asked for


def test_a_feed_of_our_site_is_followed_and_other_sites_are_refused(runner, app, site):
    build(site)
    site.routes["/feed.rss"] = Route(
        rss_xml([("/news/1.html", "一"), ("https://elsewhere.example/story", "别处"),
                 (site.base + "/news/1.html?utm_source=rss", "一 again")]),
        content_type="application/rss+xml")
    result = runner.invoke(args=["articles", "feed", site.base + "/feed.rss"])
    assert result.exit_code == 0, result.output
    assert "1 new, 0 changed, 0 unchanged, 0 failed (0 gone, 0 moved, 1 refused)" in result.output
    assert "elsewhere.example/story: not a page of our site" in result.output
    assert [p for p, _ in site.requests()].count("/news/1.html") == 1  # listed twice, read once
    seen = len(site.requests())
    again = runner.invoke(args=["articles", "feed", site.base + "/feed.rss"])
    assert "0 new, 0 changed, 0 unchanged, 0 failed" in again.output
    assert site.requests(seen) == [("/robots.txt", 200), ("/feed.rss", 304)]


def test_pages_outside_our_domains_are_refused_unasked(runner, app, site):
    result = runner.invoke(args=["articles", "fetch", "https://elsewhere.example/a.html"])
    assert result.exit_code == 1
    assert "1 refused" in result.output
    assert "not a page of our site: its host is not one of our domains (SITE_DOMAINS: " \
           "127.0.0.1)" in result.output
    assert site.requests() == []
    assert articles(app) == {}


def test_conditional_requests_make_an_unchanged_page_cost_a_304(runner, app, site):
    build(site)
    url = site.base + "/news/1.html"
    assert "1 new" in runner.invoke(args=["articles", "fetch", url]).output
    seen = len(site.requests())
    again = runner.invoke(args=["articles", "fetch", url])
    assert "0 new, 0 changed, 1 unchanged, 0 failed" in again.output
    assert site.requests(seen) == [("/robots.txt", 200), ("/news/1.html", 304)]
    site.routes["/news/1.html"] = Route(page("港口工人投票罢工", "(更新)"))
    third = runner.invoke(args=["articles", "fetch", url])
    assert "0 new, 1 changed, 0 unchanged, 0 failed" in third.output


def test_a_page_that_is_gone_is_marked_not_deleted(runner, app, site, tmp_path):
    build(site)
    url = site.base + "/news/1.html"
    runner.invoke(args=["articles", "fetch", url])
    with app.app_context():
        session = get_session()
        article = session.exec(select(Article)).one()
        original = Original(url="https://harbour.example/strike", title="Strike",
                            text="\n\n".join(ENGLISH), language="en", text_hash="x")
        session.add(original)
        session.commit()
        session.add(Provenance(article_id=article.id, original_id=original.id, score=0.9,
                               kind="translation"))
        session.commit()
        article_id = article.id
    site.routes["/news/1.html"] = Route(b"gone", status=410, etag=False)
    result = runner.invoke(args=["articles", "fetch", url])
    assert "(1 gone, 0 moved, 0 refused)" in result.output
    with app.app_context():
        session = get_session()
        article = session.get(Article, article_id)
        assert article.gone_at is not None and article.status == "published"
        assert session.exec(select(Provenance).where(Provenance.article_id == article_id)).one()
        events = session.exec(select(AuditEvent.action)).all()
        assert "article.gone" in events
    site.routes["/news/1.html"] = Route(page("港口工人投票罢工"))
    runner.invoke(args=["articles", "fetch", url])
    with app.app_context():
        assert get_session().get(Article, article_id).gone_at is None


def test_the_ui_shows_a_gone_page_in_both_languages(runner, app, site, auth):
    build(site)
    runner.invoke(args=["articles", "fetch", site.base + "/news/1.html"])
    site.routes["/news/1.html"] = Route(b"", status=404, etag=False)
    runner.invoke(args=["articles", "fetch", site.base + "/news/1.html"])
    with app.app_context():
        article_id = get_session().exec(select(Article.id)).one()
    auth.login()
    english = auth.client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "no longer on our site" in english
    chinese = auth.client.get(f"/articles/{article_id}",
                              headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "已不在本站" in chinese


def test_a_permanent_redirect_records_the_new_address_on_the_same_article(runner, app, site):
    build(site)
    old = site.base + "/news/1.html"
    runner.invoke(args=["articles", "fetch", old])
    before = articles(app)
    (article_id,) = [a.id for a in before.values()]
    site.routes["/news/new-1.html"] = site.routes["/news/1.html"]
    site.routes["/news/1.html"] = Route(status=301, location="/news/new-1.html", etag=False)
    result = runner.invoke(args=["articles", "fetch", old])
    assert "(0 gone, 1 moved, 0 refused)" in result.output, result.output
    after = articles(app)
    assert list(after) == [before[next(iter(before))].url.replace("/1.html", "/new-1.html")]
    assert after[next(iter(after))].id == article_id
    with app.app_context():
        row = get_session().exec(select(SitePage).where(SitePage.url.endswith("/news/1.html"))).one()
        assert row.moved_to.endswith("/news/new-1.html")
    again = runner.invoke(args=["articles", "fetch", old])  # still listed somewhere
    assert "0 new, 0 changed, 1 unchanged, 0 failed (0 gone, 0 moved, 0 refused)" in again.output
    assert list(articles(app)) == list(after)


def test_a_redirect_off_our_site_is_not_followed(runner, app, site):
    site.routes["/out"] = Route(status=301, location="https://elsewhere.example/x", etag=False)
    result = runner.invoke(args=["articles", "fetch", site.base + "/out"])
    assert result.exit_code == 1
    assert "it redirects to https://elsewhere.example/x, outside our domains" in result.output


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(status=302, location="/loop", etag=False), "the redirects go round in a loop"),
        (Route(b"\x89PNG" + bytes(64), content_type="image/png"),
         "not an HTML page (the server sent image/png)"),
        (Route(chunks=filler(20 * 1024 * 1024), length=20 * 1024 * 1024),
         "20,971,520 bytes, over the 10,485,760-byte limit"),
        (Route(chunks=filler(50 * 1024 * 1024)), "over the 10,485,760-byte limit"),
    ],
    ids=["redirect-loop", "not-html", "20-mb", "50-mb-unannounced"],
)
def test_pages_that_cannot_be_read_fail_with_a_reason(runner, app, site, route, reason):
    site.routes["/loop"] = route
    result = runner.invoke(args=["articles", "fetch", site.base + "/loop"])
    assert result.exit_code == 1
    assert "0 new, 0 changed, 0 unchanged, 1 failed" in result.output
    assert reason in result.output
    assert "Traceback" not in result.output
    assert articles(app) == {}


def test_a_broken_sitemap_is_reported_and_the_others_still_read(runner, app, site):
    build(site)
    site.routes["/broken.xml"] = Route(b'<?xml version="1.0"?><urlset><url><loc>x</loc></urlset>',
                                       content_type="application/xml")
    result = runner.invoke(args=["articles", "sitemap", site.base + "/broken.xml",
                                 site.base + "/sitemap-news.xml"])
    assert result.exit_code == 1
    assert "/broken.xml: the XML is broken (mismatched tag: line 1" in result.output
    assert "2 new" in result.output


def test_each_pass_logs_one_json_line(tmp_path, database_url, site, capsys):
    build(site)
    app = make_test_app(tmp_path, database_url, SITE_DOMAINS=["127.0.0.1"],
                        SITE_FETCH_DELAY=0.0, LOG_JSON=True)
    try:
        result = app.test_cli_runner().invoke(args=["articles", "sitemap",
                                                    site.base + "/sitemap.xml"])
        assert result.exit_code == 0, result.output
        # The desk's handler writes to whatever sys.stderr is: the runner's, during invoke.
        output = result.output + capsys.readouterr().err
        lines = [json.loads(line) for line in output.splitlines()
                 if line.startswith("{") and '"job"' in line]
    finally:
        dispose(app)
    assert len(lines) == 1
    assert lines[0]["job"] == "articles sitemap"
    assert (lines[0]["new"], lines[0]["refused"], lines[0]["failed"]) == (3, 1, 0)
    assert lines[0]["logger"] == "moderation.library.following"


def test_watch_reads_the_site_again_after_the_interval(runner, app, site, monkeypatch):
    build(site)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt  # the operator stops the watcher

    monkeypatch.setattr("moderation.commands.site.time.sleep", sleep)
    result = runner.invoke(args=["articles", "sitemap", site.base + "/sitemap.xml", "--watch",
                                 "--interval", "7"])
    assert naps == [7, 7]
    assert result.output.count("Articles: ") == 2
    assert "3 new" in result.output
    assert [p for p, _ in site.requests()].count("/sitemap.xml") == 2


def test_the_crawler_names_itself(app, site):
    from moderation.intake.site import CRAWLER_AGENT, SiteFetcher

    seen = []
    site.routes["/ua"] = Route(page("标题"))
    with SiteFetcher(["127.0.0.1"], delay=0, contact="desk@uscntv.com") as fetcher:
        original = fetcher.client.stream

        def stream(method, url, headers=None, **kwargs):
            seen.append(headers["User-Agent"])
            return original(method, url, headers=headers, **kwargs)

        fetcher.client.stream = stream
        assert fetcher.fetch_if_changed(site.base + "/ua").outcome == "fetched"
    assert seen[-1] == f"{CRAWLER_AGENT} (+desk@uscntv.com)"


def test_last_modified_alone_makes_a_conditional_request(runner, app, site):
    site.routes["/robots.txt"] = Route(b"", content_type="text/plain")
    site.routes["/old.html"] = Route(page("旧闻"), etag=False, last_modified=1714550400.0)
    assert "1 new" in runner.invoke(args=["articles", "fetch", site.base + "/old.html"]).output
    seen = len(site.requests())
    again = runner.invoke(args=["articles", "fetch", site.base + "/old.html"])
    assert "1 unchanged" in again.output
    assert site.requests(seen)[-1] == ("/old.html", 304)


def test_a_broken_feed_is_reported_in_words(runner, app, site):
    site.routes["/robots.txt"] = Route(b"", content_type="text/plain")
    site.routes["/feed.rss"] = Route(b"<rss><channel><item><title>unclosed",
                                     content_type="application/rss+xml")
    result = runner.invoke(args=["articles", "feed", site.base + "/feed.rss"])
    assert result.exit_code == 1
    assert "feed.rss: not an RSS or Atom feed (nothing in it could be read as one)" in result.output
    assert "Traceback" not in result.output


def test_a_page_listed_by_two_sitemaps_is_read_and_stored_once(runner, app, site):
    build(site)
    b = site.base
    site.routes["/sitemap-dup.xml"] = Route(
        sitemap_xml([(b + "/news/1.html", "2024-05-01"), (b + "/news/1.html#top", None)]),
        content_type="application/xml")
    result = runner.invoke(args=["articles", "sitemap", b + "/sitemap-news.xml",
                                 b + "/sitemap-dup.xml"])
    assert "2 new, 0 changed, 0 unchanged, 0 failed" in result.output
    assert [p for p, _ in site.requests()].count("/news/1.html") == 1
    assert len(articles(app)) == 2


def test_a_page_is_kept_under_its_canonical_address_when_that_is_ours(tmp_path, database_url,
                                                                      site):
    site.routes["/robots.txt"] = Route(b"", content_type="text/plain")
    site.routes["/p/8812"] = Route((WEB / "article_gbk.html").read_bytes(),
                                   content_type="text/html")
    app = make_test_app(tmp_path, database_url, SITE_DOMAINS=["127.0.0.1", "uscntv.com"],
                        SITE_FETCH_DELAY=0.0)
    try:
        runner = app.test_cli_runner()
        assert "1 new" in runner.invoke(args=["articles", "fetch", site.base + "/p/8812"]).output
        assert list(articles(app)) == ["https://uscntv.com/shehui/2022/0618/8812.html"]
        site.routes["/p/8812"] = Route(b"", status=404, etag=False)
        result = runner.invoke(args=["articles", "fetch", site.base + "/p/8812"])
        assert "(1 gone," in result.output
        assert articles(app)["https://uscntv.com/shehui/2022/0618/8812.html"].gone_at
    finally:
        dispose(app)


def test_a_long_pass_is_stored_and_matched_slice_by_slice(app, site):
    from zoneinfo import ZoneInfo

    from moderation.intake.site import SiteFetcher
    from moderation.library.following import Target, follow

    build(site)
    slices: list[list[int]] = []
    with app.app_context(), SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
        session = get_session()
        targets = [Target(site.base + p) for p in ("/news/1.html", "/news/2.html",
                                                   "/news/gbk.html", "/missing.html")]
        report = follow(session, fetcher, targets, zone=ZoneInfo("UTC"),
                        after_slice=slices.append, slice_size=2)
        assert (report.new, report.failed) == (3, 0)
        assert [len(ids) for ids in slices] == [2, 1]
        assert sorted(i for ids in slices for i in ids) == sorted(
            session.exec(select(Article.id)).all())
        states = dict(session.exec(select(SitePage.address, SitePage.state)).all())
    assert states[site.base + "/missing.html"] == "gone"
    assert {states[site.base + p] for p in ("/news/1.html", "/news/2.html")} == {"ok"}
