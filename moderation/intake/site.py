"""Reading our own site the way a search engine does: sitemaps, feeds and pages, politely.

Pure (no database, no Flask): ``SiteFetcher`` asks the site only for what may have changed
(conditional requests with the ETag and Last-Modified the caller kept), keeps to our own
domains and to robots.txt, and says what each page answered: changed, not modified, gone,
moved. Sitemaps are read by ``sitemaps.py``; storing what is read is
``moderation/library/following.py``'s job.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

# expat fetches no external entities, and Python's bundled expat refuses expansion bombs.
from xml.sax import SAXException  # nosec B406

import feedparser
import httpx

from .boilerplate import BoilerplateModel
from .feeds import FeedEntry, parse_feed
from .fetch import (
    DEFAULT_TIMEOUT,
    FEED_TYPES,
    HTML_TYPES,
    FetchedPage,
    Fetcher,
    FetchError,
    HostThrottle,
)
from .sitemaps import (
    SITEMAP_MAX_BYTES,
    SITEMAP_MAX_DEPTH,
    SITEMAP_MAX_URLS,
    SITEMAP_TYPES,
    Sitemap,
    SitemapEntry,
    SitemapError,
    gunzip,
    parse_sitemap,
)
from .urls import canonical_host

# An honest name for the desk's crawler; operators give it a contact with the
# SITE_CRAWLER_CONTACT setting, so the site's admins know whom to ask.
CRAWLER_AGENT = "ModerationDesk-SiteReader/0.1"
# Our own site, read every few minutes: gentler than a search engine, faster than the 2 s
# the desk keeps between requests to other publishers.
SITE_DELAY = 0.5
ROBOTS_TYPES = frozenset({"text/plain", "text/html", "application/octet-stream", ""})
GONE_STATUSES = frozenset({404, 410})


@dataclass
class PageAnswer:
    """What the site answered for one page.

    ``outcome`` is "fetched" (``fetched`` holds the page), "not_modified" (304),
    "gone" (404/410) or "refused" (outside our domains, or robots.txt says no; ``reason``).
    ``moved_to`` is the page's new address when every redirect was permanent.
    """

    url: str
    outcome: str
    status: int = 0
    fetched: FetchedPage | None = None
    moved_to: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str = ""


@dataclass
class ListAnswer:
    """A sitemap or feed: "not_modified" (304, nothing to read) or "fetched"."""

    url: str
    outcome: str
    sitemap: Sitemap | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    # For a sitemap read from an index: the index that listed it.
    listed_in: str | None = None


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The headers that let the site answer 304 when nothing changed since our last read."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class SiteFetcher(Fetcher):
    """A Fetcher for our own site: our domains only, robots.txt, conditional requests."""

    def __init__(
        self,
        domains: Iterable[str],
        *,
        delay: float = SITE_DELAY,
        contact: str = "",
        client: httpx.Client | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_bytes: int | None = None,
        boilerplate: BoilerplateModel | None = None,
        throttle: HostThrottle | None = None,
    ) -> None:
        agent = f"{CRAWLER_AGENT} (+{contact})" if contact else CRAWLER_AGENT
        kwargs = {"max_bytes": max_bytes} if max_bytes else {}
        super().__init__(
            client, user_agent=agent, timeout=timeout,
            throttle=throttle or HostThrottle(delay), **kwargs,
        )
        self.domains = {canonical_host(d) for d in domains if d.strip()}
        self.boilerplate = boilerplate
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_problem: dict[str, str] = {}

    # -- where the desk may go -------------------------------------------------------------

    def ours(self, url: str) -> bool:
        """Whether ``url`` is on one of our domains (SITE_DOMAINS)."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return False
        return bool(host) and canonical_host(host) in self.domains

    def outside_reason(self, url: str) -> str:
        shown = ", ".join(sorted(self.domains)) or "none set"
        return (f"not a page of our site: its host is not one of our domains "
                f"(SITE_DOMAINS: {shown})")

    def _follow(self, target: str, original: str) -> None:
        # A redirect off our site is never followed: what lies there is not our article.
        if not self.ours(target):
            raise FetchError(original, f"it redirects to {target}, outside our domains")

    def robots(self, url: str) -> RobotFileParser:
        """The robots.txt rules of ``url``'s site, read once per site and fetcher."""
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        rules = self._robots.get(root)
        if rules is None:
            problem = ""
            rules = RobotFileParser(root + "/robots.txt")
            try:
                response = self._get(root + "/robots.txt", ROBOTS_TYPES, "a robots.txt file",
                                     keep=frozenset(range(400, 600)), max_bytes=512 * 1024)
            except FetchError as exc:
                response, problem = None, exc.reason
            if response is None or response.status >= 500:
                # As search engines do: an unreadable robots.txt may hide a "keep out", so
                # nothing of the site is read this pass; the next pass asks again.
                rules.disallow_all = True
                problem = problem if response is None else f"the server answered {response.status}"
                self._robots_problem[root] = (
                    f"robots.txt could not be read ({problem}); the site is not read until "
                    "it can be")
            elif response.status in (401, 403):
                rules.disallow_all = True
            elif response.status >= 400:
                rules.allow_all = True
            else:
                rules.parse(response.content.decode("utf-8", "replace").splitlines())
            rules.modified()  # can_fetch() answers only once rules are marked as read
            self._robots[root] = rules
            delay = rules.crawl_delay(self.user_agent)
            if delay and float(delay) > self.throttle.delay:
                self.throttle = HostThrottle(float(delay))
        return rules

    def refusal(self, url: str) -> str | None:
        """Why the desk will not fetch ``url`` (outside our domains, robots.txt), or None."""
        try:
            scheme = urlsplit(url).scheme
        except ValueError:
            scheme = ""
        if scheme not in ("http", "https"):
            return "not a web address (http or https)"
        if not self.ours(url):
            return self.outside_reason(url)
        if not self.robots(url).can_fetch(self.user_agent, url):
            parts = urlsplit(url)
            root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
            return self._robots_problem.get(root) or "robots.txt asks robots not to read it"
        return None

    # -- pages -----------------------------------------------------------------------------

    def fetch_if_changed(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> PageAnswer:
        """Fetch a page of our site unless the site says it is unchanged (304) or gone.

        Raises FetchError (with a reason) for pages that cannot be read.
        """
        reason = self.refusal(url)
        if reason:
            return PageAnswer(url, "refused", reason=reason)
        response = self._get(url, HTML_TYPES, "an HTML page",
                             headers=conditional_headers(etag, last_modified),
                             keep=frozenset({304, *GONE_STATUSES}))
        moved = response.url if response.permanent else None
        if response.status == 304:
            return PageAnswer(url, "not_modified", 304, moved_to=moved,
                              etag=response.etag or etag,
                              last_modified=response.last_modified or last_modified)
        if response.status in GONE_STATUSES:
            return PageAnswer(url, "gone", response.status, moved_to=moved)
        fetched = self._page(url, response, boilerplate=self.boilerplate)
        return PageAnswer(url, "fetched", response.status, fetched=fetched, moved_to=moved,
                          etag=response.etag, last_modified=response.last_modified)

    # -- lists of pages --------------------------------------------------------------------

    def fetch_sitemap(
        self, url: str, etag: str | None = None, last_modified: str | None = None,
        *, max_urls: int = SITEMAP_MAX_URLS,
    ) -> ListAnswer:
        """Fetch and read a sitemap or sitemap index; "not_modified" when the site says 304."""
        reason = self.refusal(url)
        if reason:
            raise SitemapError(url, reason)
        response = self._get(url, SITEMAP_TYPES, "a sitemap (XML or gzip)",
                             headers=conditional_headers(etag, last_modified),
                             keep=frozenset({304}), max_bytes=SITEMAP_MAX_BYTES)
        if response.status == 304:
            return ListAnswer(url, "not_modified", etag=response.etag or etag,
                              last_modified=response.last_modified or last_modified)
        sitemap = parse_sitemap(response.content, url, max_urls=max_urls)
        return ListAnswer(url, "fetched", sitemap=sitemap, warnings=list(sitemap.warnings),
                          etag=response.etag, last_modified=response.last_modified)

    def fetch_site_feed(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> ListAnswer:
        """Fetch an RSS or Atom feed of our site; "not_modified" when the site says 304."""
        reason = self.refusal(url)
        if reason:
            raise FetchError(url, reason)
        response = self._get(url, FEED_TYPES, "a feed",
                             headers=conditional_headers(etag, last_modified),
                             keep=frozenset({304}))
        if response.status == 304:
            return ListAnswer(url, "not_modified", etag=response.etag or etag,
                              last_modified=response.last_modified or last_modified)
        entries = parse_feed(response.content, response.url, response.content_type)
        checked = feedparser.parse(response.content)
        broken = checked.get("bozo") and isinstance(checked.get("bozo_exception"), SAXException)
        if entries is None or (broken and not entries):
            raise FetchError(url, "not an RSS or Atom feed (nothing in it could be read as one)")
        warnings = []
        if broken:
            warnings.append(f"the feed's XML is broken ({checked['bozo_exception']}); the "
                            f"{len(entries)} entries before the break were read")
        return ListAnswer(url, "fetched", entries=entries, warnings=warnings,
                          etag=response.etag, last_modified=response.last_modified)


def walk_sitemaps(
    fetcher: SiteFetcher,
    url: str,
    known: dict[str, tuple[str | None, str | None]],
    *,
    children: Callable[[str], list[str]] = lambda index: [],
    max_urls: int = SITEMAP_MAX_URLS,
) -> Iterator[ListAnswer | FetchError]:
    """Read a sitemap and, for an index, every sitemap it lists (depth-limited, each once).

    ``known`` maps a sitemap's address to the (etag, last_modified) of our last read, so
    an unchanged sitemap costs one 304. An index answering 304 lists nothing, yet its
    sitemaps may have changed: ``children(index)`` gives those it listed last time, and
    they are asked in turn. Yields each answer or the FetchError it raised.
    """
    seen: set[str] = set()

    def visit(address: str, depth: int, parent: str | None) -> Iterator[ListAnswer | FetchError]:
        if address in seen:
            return
        seen.add(address)
        try:
            answer = fetcher.fetch_sitemap(address, *known.get(address, (None, None)),
                                           max_urls=max_urls)
        except FetchError as exc:
            yield exc
            return
        answer.listed_in = parent
        yield answer
        if answer.outcome == "not_modified":
            listed = children(address)
        elif answer.sitemap.kind == "index":
            listed = [entry.url for entry in answer.sitemap.entries]
        else:
            return
        if listed and depth >= SITEMAP_MAX_DEPTH:
            yield SitemapError(address, f"sitemap indexes nested more than "
                               f"{SITEMAP_MAX_DEPTH} deep; the deeper ones were not read")
            return
        for child in listed:
            yield from visit(child, depth + 1, address)

    yield from visit(url, 0, None)


__all__ = [
    "CRAWLER_AGENT",
    "ListAnswer",
    "PageAnswer",
    "SiteFetcher",
    "Sitemap",
    "SitemapEntry",
    "SitemapError",
    "gunzip",
    "parse_sitemap",
    "walk_sitemaps",
]
