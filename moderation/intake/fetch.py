"""Fetching originals from the web: single pages and RSS/Atom feeds, politely and with limits."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .encoding import decode_bytes
from .feeds import FeedEntry, parse_feed
from .html import extract_html_page
from .page import MAX_PAGE_BYTES, ExtractedPage, IntakeError
from .urls import canonical_url

USER_AGENT = "ModerationDesk/0.1 (+contact)"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
MAX_REDIRECTS = 5
# Seconds between two requests to one host: a desk checking a few originals, not a crawler.
DEFAULT_DELAY = 2.0
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "text/html",
    }
)


def _join(base: str, location: str) -> str:
    try:
        return urljoin(base, location)
    except ValueError:  # a malformed Location header: _check refuses the empty result
        return ""


class FetchError(IntakeError):
    """A page or feed that could not be fetched; ``reason`` says why in plain words."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class HostThrottle:
    """Keeps at least ``delay`` seconds between the starts of two requests to one host."""

    def __init__(
        self,
        delay: float = DEFAULT_DELAY,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until ``host`` may be asked again, and book the following turn."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            self._sleep(start - now)


# Shared by every fetch that is not given its own throttle, so separate calls stay polite too.
SHARED_THROTTLE = HostThrottle()


@dataclass
class FetchedPage:
    """A fetched HTML page: the raw bytes kept, the decoded text, and its extraction."""

    url: str
    requested_url: str
    status: int
    content_type: str
    content: bytes
    text: str
    encoding: str
    page: ExtractedPage
    redirects: list[str] = field(default_factory=list)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # What a conditional request sends next time, and whether the redirects were permanent.
    etag: str | None = None
    last_modified: str | None = None
    permanent: bool = False

    @property
    def canonical_url(self) -> str:
        """The page's own canonical link if it has one, else its final address, canonicalised."""
        return self.page.canonical_url or canonical_url(self.url)


# Pictures: SVG is left out on purpose (a drawing that can carry scripts, never a photo here).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff",
                         "image/bmp", "image/heic", "image/heif", "image/avif",
                         "application/octet-stream"})


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    content_type: str
    charset: str | None
    content: bytes
    redirects: list[str]
    # Every hop was a permanent redirect (301/308): the page has moved for good.
    permanent: bool = False
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """An HTTP client for originals: honest user agent, timeouts, size and redirect limits."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        user_agent: str = USER_AGENT,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_bytes: int = MAX_PAGE_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        throttle: HostThrottle | None = None,
    ) -> None:
        self._own_client = client is None
        self.client = client or httpx.Client()
        self.user_agent, self.timeout = user_agent, timeout
        self.max_bytes, self.max_redirects = max_bytes, max_redirects
        self.throttle = throttle or SHARED_THROTTLE

    def close(self) -> None:
        """Close the HTTP client if this fetcher made it."""
        if self._own_client:
            self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check(self, url: str, original: str) -> str:
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(original, f"{url!r} is not a web address (http or https)")
        return parts.hostname

    def _follow(self, target: str, original: str) -> None:
        """Called before following a redirect to ``target``; a subclass may refuse it."""

    def _get(
        self,
        url: str,
        accepted: frozenset[str],
        what: str,
        *,
        headers: dict[str, str] | None = None,
        keep: frozenset[int] = frozenset(),
        max_bytes: int | None = None,
    ) -> _Response:
        """GET ``url``, following redirects; statuses in ``keep`` come back bodiless, not raised.

        ``headers`` are sent with every hop (conditional requests send If-None-Match there).
        """
        current, redirects, permanent = url.strip(), [], True
        for _hop in range(self.max_redirects + 1):
            self.throttle.wait(self._check(current, url))
            try:
                with self.client.stream(
                    "GET",
                    current,
                    headers={"User-Agent": self.user_agent, **(headers or {})},
                    follow_redirects=False,
                    timeout=self.timeout,
                ) as response:
                    if response.is_redirect and response.headers.get("location"):
                        permanent = permanent and response.status_code in (301, 308)
                        current = _join(str(response.url), response.headers["location"])
                        if current in redirects or current == url.strip():
                            raise FetchError(url, "the redirects go round in a loop")
                        self._check(current, url)
                        self._follow(current, url)
                        redirects.append(current)
                        continue
                    if response.status_code in keep:
                        return _Response(
                            str(response.url), response.status_code, "", None, b"", redirects,
                            bool(redirects) and permanent, response.headers.get("etag"),
                            response.headers.get("last-modified"),
                        )
                    return self._read(
                        url, response, accepted, what, redirects, max_bytes or self.max_bytes,
                        bool(redirects) and permanent,
                    )
            except httpx.TimeoutException:
                raise FetchError(url, "the server did not answer in time") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise FetchError(url, f"the server could not be reached ({exc})") from None
        raise FetchError(url, f"more than {self.max_redirects} redirects; stopped following them")

    def _read(
        self,
        url: str,
        response: httpx.Response,
        accepted: frozenset[str],
        what: str,
        redirects: list[str],
        max_bytes: int | None = None,
        permanent: bool = False,
    ) -> _Response:
        max_bytes = max_bytes or self.max_bytes
        if response.status_code >= 400:
            raise FetchError(
                url, f"the server answered {response.status_code} {response.reason_phrase}"
            )
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in accepted:
            raise FetchError(
                url, f"not {what} (the server sent {content_type or 'no content type'})"
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(
                url,
                f"the response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit",
            )
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(url, f"the response is over the {max_bytes:,}-byte limit")
        return _Response(
            str(response.url),
            response.status_code,
            content_type,
            response.charset_encoding,
            bytes(body),
            redirects,
            permanent,
            response.headers.get("etag"),
            response.headers.get("last-modified"),
        )

    def fetch_page(self, url: str) -> FetchedPage:
        """Fetch one HTML page and extract it; raises FetchError with a reason."""
        return self._page(url, self._get(url, HTML_TYPES, "an HTML page"))

    def _page(self, url: str, response: _Response, boilerplate=None) -> FetchedPage:
        decoded = decode_bytes(response.content, declared=response.charset)
        page = extract_html_page(decoded.text, url=response.url, boilerplate=boilerplate)
        if decoded.replaced:
            page.warnings.append(f"some bytes were not valid {decoded.encoding} and were replaced")
        return FetchedPage(
            url=response.url,
            requested_url=url,
            status=response.status,
            content_type=response.content_type,
            content=response.content,
            text=decoded.text,
            encoding=decoded.encoding,
            page=page,
            redirects=response.redirects,
            etag=response.etag,
            last_modified=response.last_modified,
            permanent=response.permanent,
        )

    def fetch_feed(self, feed_url: str) -> list[FeedEntry]:
        """Fetch an RSS or Atom feed and list its entries that link to a web page."""
        response = self._get(feed_url, FEED_TYPES, "a feed")
        entries = parse_feed(response.content, response.url, response.content_type)
        if entries is None:
            raise FetchError(
                feed_url, "not an RSS or Atom feed (nothing in it could be read as one)"
            )
        return entries

    def fetch_image(self, url: str, max_bytes: int) -> tuple[str, bytes]:
        """Fetch one picture (any image/* type) up to ``max_bytes``: its final address and bytes."""
        limit, self.max_bytes = self.max_bytes, max_bytes
        try:
            response = self._get(url, IMAGE_TYPES, "a picture")
        finally:
            self.max_bytes = limit
        return response.url, response.content

    # Short names for the two fetches.
    page = fetch_page
    feed = fetch_feed


def fetch_page(url: str, client: httpx.Client | Fetcher | None = None) -> FetchedPage:
    """Fetch and extract one page; ``client`` may be an httpx.Client or a configured Fetcher."""
    if isinstance(client, Fetcher):
        return client.fetch_page(url)
    with Fetcher(client) as fetcher:
        return fetcher.fetch_page(url)


def fetch_feed(feed_url: str, client: httpx.Client | Fetcher | None = None) -> list[FeedEntry]:
    """Fetch a feed's entries; ``client`` may be an httpx.Client or a configured Fetcher."""
    if isinstance(client, Fetcher):
        return client.fetch_feed(feed_url)
    with Fetcher(client) as fetcher:
        return fetcher.fetch_feed(feed_url)
