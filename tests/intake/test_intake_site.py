"""Reading our site's sitemaps and pages (intake/site.py), without a database."""

import gzip
import tracemalloc
from datetime import UTC, datetime

import httpx
import pytest

from moderation.intake import FetchError
from moderation.intake.site import (
    SITEMAP_MAX_URLS,
    SiteFetcher,
    SitemapError,
    gunzip,
    parse_sitemap,
    walk_sitemaps,
)

from ..support.siteserver import Route, Site, article_html, sitemap_xml, start, stop


@pytest.fixture
def site():
    site = Site()
    httpd, thread = start(site)
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield site
    stop(httpd, thread)


def test_a_sitemap_gives_addresses_and_lastmod_in_utc() -> None:
    data = sitemap_xml([("https://uscntv.com/a.html", "2024-05-01T08:00:00+08:00"),
                        ("https://uscntv.com/b.html", "2024-05-02"),
                        ("https://uscntv.com/c.html", None)])
    sitemap = parse_sitemap(data, "https://uscntv.com/sitemap.xml")
    assert sitemap.kind == "urlset"
    assert [(e.url, e.lastmod) for e in sitemap.entries] == [
        ("https://uscntv.com/a.html", datetime(2024, 5, 1, 0, 0, tzinfo=UTC)),
        ("https://uscntv.com/b.html", datetime(2024, 5, 2, tzinfo=UTC)),
        ("https://uscntv.com/c.html", None),
    ]


def test_an_index_a_gzipped_sitemap_and_a_text_sitemap_are_read() -> None:
    index = parse_sitemap(gzip.compress(sitemap_xml([("https://uscntv.com/s1.xml", None)],
                                                    index=True)), "x")
    assert index.kind == "index" and [e.url for e in index.entries] == ["https://uscntv.com/s1.xml"]
    text = parse_sitemap(b"https://uscntv.com/a.html\n\nhttps://uscntv.com/b.html\n", "x")
    assert [e.url for e in text.entries] == ["https://uscntv.com/a.html", "https://uscntv.com/b.html"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<?xml version="1.0"?><urlset><url><loc>a</loc></urlset>',
         "the XML is broken (mismatched tag: line 1, column 48); nothing was read from it"),
        (b"<html><body>Not here</body></html>", "not a sitemap (the file starts with <html>"),
        (b"", "the file is empty; it lists no pages"),
        (b"\x1f\x8b\x08\x00garbage", "the gzip file is damaged"),
        (b"just some words", "not a sitemap (neither XML nor a list of web addresses)"),
    ],
    ids=["broken-xml", "html", "empty", "bad-gzip", "prose"],
)
def test_what_is_no_sitemap_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(data, "https://uscntv.com/sitemap.xml")
    assert reason in caught.value.reason


def test_a_gzip_bomb_is_refused_unread() -> None:
    bomb = gzip.compress(b"<" * (60 * 1024 * 1024))
    with pytest.raises(ValueError, match="over 50 MB, the sitemap limit"):
        gunzip(bomb)


def test_a_sitemap_of_100000_addresses_is_cut_at_the_limit_in_bounded_memory() -> None:
    data = sitemap_xml((f"https://uscntv.com/news/{n}.html", "2024-05-01") for n in range(100_000))
    tracemalloc.start()
    sitemap = parse_sitemap(data, "https://uscntv.com/sitemap.xml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(sitemap.entries) == SITEMAP_MAX_URLS
    assert sitemap.entries[-1].url == "https://uscntv.com/news/49999.html"
    assert sitemap.warnings == ["it lists 100,000 addresses; only the first 50,000 were read "
                                "(the sitemap limit: split it into several sitemaps)"]
    # The kept entries and parser buffers, not the whole document tree (~10 times more).
    assert peak < 40 * 1024 * 1024


def test_robots_txt_is_read_once_and_obeyed(site: Site) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n",
                                       content_type="text/plain")
    site.routes["/news/a.html"] = Route(article_html("标题", ["正文第一段。"]).encode())
    with SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
        assert fetcher.refusal(site.base + "/private/x.html") == \
            "robots.txt asks robots not to read it"
        assert fetcher.refusal(site.base + "/news/a.html") is None
        assert fetcher.fetch_if_changed(site.base + "/private/x.html").outcome == "refused"
    assert [p for p, _ in site.requests()] == ["/robots.txt"]


def test_a_failing_robots_txt_stops_the_pass_politely(site: Site) -> None:
    site.routes["/robots.txt"] = Route(b"oops", status=503, etag=False)
    with SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
        assert fetcher.refusal(site.base + "/a.html") == (
            "robots.txt could not be read (the server answered 503); the site is not read "
            "until it can be")


def test_a_crawl_delay_longer_than_ours_is_kept(site: Site) -> None:
    site.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 3\n",
                                       content_type="text/plain")
    with SiteFetcher(["127.0.0.1"], delay=0.5) as fetcher:
        fetcher.refusal(site.base + "/a.html")
        assert fetcher.throttle.delay == 3.0


def test_a_slow_page_times_out_with_a_reason(site: Site) -> None:
    site.routes["/slow.html"] = Route(article_html("慢", ["很慢的页面。"]).encode(), delay=1.0)
    with SiteFetcher(["127.0.0.1"], delay=0, timeout=httpx.Timeout(0.3)) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.fetch_if_changed(site.base + "/slow.html")
    assert caught.value.reason == "the server did not answer in time"


def test_nested_indexes_stop_at_the_depth_limit(site: Site) -> None:
    for depth in range(6):
        site.routes[f"/s{depth}.xml"] = Route(
            sitemap_xml([(f"{site.base}/s{depth + 1}.xml", None)], index=True),
            content_type="application/xml")
    with SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
        answers = list(walk_sitemaps(fetcher, site.base + "/s0.xml", {}))
    assert [type(a).__name__ for a in answers] == ["ListAnswer"] * 4 + ["SitemapError"]
    assert "nested more than 3 deep" in answers[-1].reason


def test_a_sitemap_index_that_lists_itself_is_read_once(site: Site) -> None:
    site.routes["/loop.xml"] = Route(sitemap_xml([(site.base + "/loop.xml", None)], index=True),
                                     content_type="application/xml")
    with SiteFetcher(["127.0.0.1"], delay=0) as fetcher:
        answers = list(walk_sitemaps(fetcher, site.base + "/loop.xml", {}))
    assert len(answers) == 1
    assert [p for p, _ in site.requests()].count("/loop.xml") == 1
