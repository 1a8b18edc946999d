"""Fetching pages and feeds, against a local HTTP server serving fixture pages."""

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from moderation.intake import Fetcher, FetchError, HostThrottle, Record, fetch_feed, fetch_page
from moderation.intake.fetch import USER_AGENT

from ..support.webserver import WEB, WebServer


@pytest.fixture
def base(server: WebServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(throttle=HostThrottle(0), max_bytes=20_000, timeout=httpx.Timeout(0.3)) as client:
        yield client


def test_a_page_is_fetched_extracted_and_kept_raw(
    fetcher: Fetcher, base: str, server: WebServer
) -> None:
    fetched = fetcher.fetch_page(base + "/article.html?utm_source=x")
    assert fetched.status == 200
    assert fetched.content == (WEB / "article.html").read_bytes()
    assert fetched.page.title == "Dock workers vote to strike over automation plans"
    assert fetched.page.publisher == "The Harbour Ledger"
    assert fetched.page.body.startswith("Workers at the country's second-largest container port")
    assert (
        fetched.canonical_url
        == "https://harbourledger.example/business/2023/03/14/dock-workers-strike"
    )
    assert fetched.fetched_at.tzinfo is UTC
    assert server.seen[-1][1] == USER_AGENT == "ModerationDesk/0.1 (+contact)"


@pytest.mark.parametrize("path", ["/gbk.html", "/gbk-declared.html"])
def test_a_gbk_page_is_decoded_from_its_header_or_meta(
    fetcher: Fetcher, base: str, path: str
) -> None:
    fetched = fetcher.fetch_page(base + path)
    assert fetched.encoding == "gb18030"
    assert fetched.page.title == "暴雨导致南方多地航班延误"
    assert fetched.page.claimed_source == "华夏时报"


def test_redirects_are_followed_up_to_the_limit(fetcher: Fetcher, base: str) -> None:
    fetched = fetcher.fetch_page(base + "/hops/3")
    assert fetched.url == base + "/article.html"
    assert fetched.redirects == [base + "/hops/2", base + "/hops/1", base + "/article.html"]
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.fetch_page(base + "/hops/9")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/image.png", "not an HTML page (the server sent image/png)"),
        ("/feed.rss", "not an HTML page (the server sent application/rss+xml)"),
        ("/missing", "the server answered 404 Not Found"),
        ("/big", "over the 20,000-byte limit"),
        ("/big-unannounced", "over the 20,000-byte limit"),
        ("/slow", "did not answer in time"),
        ("/to-ftp", "is not a web address"),
        ("/bad-redirect", "is not a web address"),
    ],
)
def test_unusable_answers_are_refused_with_a_reason(
    fetcher: Fetcher, base: str, path: str, reason: str
) -> None:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch_page(base + path)
    assert reason in caught.value.reason
    assert caught.value.url == base + path


def test_an_unreachable_server_is_a_fetch_error(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="could not be reached"):
        fetcher.fetch_page("http://127.0.0.1:9/")  # the discard port: nothing listens


def test_a_non_web_address_is_refused_before_any_request(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="not a web address"):
        fetcher.fetch_page("file:///etc/passwd")


def test_an_rss_feed_lists_its_linked_entries(fetcher: Fetcher, base: str) -> None:
    entries = fetcher.fetch_feed(base + "/feed.rss")
    assert [e.title for e in entries] == [
        "Dock workers vote to strike over automation plans",
        "Ferry fares to rise in spring",
    ]
    first, second = entries
    # A relative link resolves against the feed's address, tracking parameters go.
    assert first.url == f"https://127.0.0.1:{base.rsplit(':', 1)[1]}/article.html"
    assert first.published_at == datetime(2023, 3, 14, 7, 30, tzinfo=UTC)
    assert (
        first.summary
        == "Workers at the country's second-largest container port have voted to strike ."
    )
    assert first.author == "Morgan Ellery"
    assert second.url == "https://harbourledger.example/business/ferry-fares"


def test_an_atom_feed_lists_its_entries_with_utc_times(fetcher: Fetcher, base: str) -> None:
    entries = fetcher.fetch_feed(base + "/feed.atom")
    assert [e.url for e in entries] == [
        "https://valleysentinel.example/news/2021/08/wildfire-evacuation",
        "https://valleysentinel.example/news/school-budget",
    ]
    assert entries[0].published_at == datetime(2021, 8, 9, 23, 45, tzinfo=UTC)
    assert entries[1].published_at == datetime(2021, 7, 1, 2, 0, tzinfo=UTC)  # from <updated>
    assert entries[0].entry_id == "tag:valleysentinel.example,2021:wildfire"


def test_a_page_that_is_no_feed_is_refused(fetcher: Fetcher, base: str) -> None:
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        fetcher.fetch_feed(base + "/not-a-feed")
    with pytest.raises(FetchError, match="not a feed"):
        fetcher.fetch_feed(base + "/image.png")


def test_requests_to_one_host_are_spaced_by_the_delay(base: str, server: WebServer) -> None:
    with Fetcher(throttle=HostThrottle(0.25)) as polite:
        polite.fetch_page(base + "/article.html")
        polite.fetch_page(base + "/article.html")
    first, second = server.seen[-2][2], server.seen[-1][2]
    assert second - first >= 0.2  # server-side arrival times jitter a little under load


def test_the_throttle_waits_per_host_only() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = HostThrottle(2.0, clock=lambda: now[0], sleep=sleep)
    throttle.wait("a.example")
    throttle.wait("b.example")
    assert slept == []
    now[0] += 0.5
    throttle.wait("a.example")
    assert slept == [1.5]
    now[0] += 5
    throttle.wait("a.example")
    assert slept == [1.5]


def test_module_functions_accept_a_plain_httpx_client(server: WebServer) -> None:
    port = server.server_address[1]
    with httpx.Client() as client:
        fetched = fetch_page(f"http://127.0.0.1:{port}/article.html", client)
        entries = fetch_feed(f"http://localhost:{port}/feed.atom", client)
        assert not client.is_closed
    assert fetched.page.title == "Dock workers vote to strike over automation plans"
    assert len(entries) == 2


def test_a_fetched_page_becomes_a_record_with_its_raw_body(fetcher: Fetcher, base: str) -> None:
    fetched = fetcher.page(base + "/article.html")
    record = Record.from_fetched(fetched, publisher="Fallback Publisher")
    assert record.url == "https://harbourledger.example/business/2023/03/14/dock-workers-strike"
    assert record.url_origin == "page"
    assert record.source == base + "/article.html"
    assert record.raw == (WEB / "article.html").read_bytes()
    assert record.publisher == "The Harbour Ledger"  # the page names its publisher
    assert record.title == fetched.page.title and record.html == fetched.text
    assert [e.link for e in fetcher.feed(base + "/feed.atom")][0].startswith("https://m.")
