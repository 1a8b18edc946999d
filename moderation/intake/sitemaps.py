"""Sitemaps and sitemap indexes, gzipped or plain text, read with bounded memory (pure).

The protocol's limits (50,000 addresses, 50 MB a file) are kept; what goes past them is
said, not read. ``site.SiteFetcher`` asks the site for them; this module only reads bytes.
"""

import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

# expat fetches no external entities, and Python's bundled expat refuses expansion bombs.
from xml.etree.ElementTree import XMLPullParser  # nosec B405

from .fetch import FetchError

# The sitemap protocol's own limits for one file: 50,000 addresses, 50 MB uncompressed.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
# Sitemap indexes may list sitemap indexes; deeper than this is a mistake or a trap.
SITEMAP_MAX_DEPTH = 3
SITEMAP_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/x-gzip",
        "application/gzip",
        "application/octet-stream",
        "text/plain",
    }
)
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class SitemapError(FetchError):
    """A sitemap that cannot be read; ``reason`` says why in plain words."""


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` (a page) or ``<sitemap>`` (another sitemap) of a sitemap file."""

    url: str
    lastmod: datetime | None = None


@dataclass
class Sitemap:
    """What a sitemap file lists: pages (a urlset) or other sitemaps (an index)."""

    kind: str  # "urlset" or "index"
    entries: list[SitemapEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _lastmod(text: str | None) -> datetime | None:
    """A W3C datetime ("2024-05-01", "2024-05-01T08:00:00+08:00") in UTC, or None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def gunzip(data: bytes, limit: int = SITEMAP_MAX_BYTES) -> bytes:
    """Uncompress gzip ``data`` up to ``limit`` bytes; a bigger result is refused unread."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"the gzip file is damaged ({exc})") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise ValueError(
            f"uncompressed it is over {limit // (1024 * 1024)} MB, the sitemap limit"
        )
    if not inflater.eof:
        raise ValueError("the gzip file is damaged or cut short")
    return out


def parse_sitemap(data: bytes, url: str, *, max_urls: int = SITEMAP_MAX_URLS) -> Sitemap:
    """Read a sitemap or sitemap index (XML, gzipped XML or plain text, one address a line).

    Raises SitemapError for what is no sitemap; addresses beyond ``max_urls`` are left out
    with a warning, so a runaway file costs bounded memory.
    """
    if not data.strip():
        raise SitemapError(url, "the file is empty; it lists no pages")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip(data)
        except ValueError as exc:
            raise SitemapError(url, str(exc)) from None
    head = data.lstrip()[:1]
    if head and head != b"<":
        return _text_sitemap(data, url, max_urls)
    parser = XMLPullParser(events=("start", "end"))
    sitemap: Sitemap | None = None
    root = None
    loc = lastmod = None
    skipped = 0
    view = memoryview(data)
    try:
        for start in range(0, max(len(data), 1), 65536):
            parser.feed(bytes(view[start:start + 65536]))
            for event, element in parser.read_events():
                tag = element.tag.removeprefix(_SITEMAP_NS)
                if event == "start":
                    if sitemap is None:
                        if tag not in ("urlset", "sitemapindex"):
                            raise SitemapError(
                                url, f"not a sitemap (the file starts with <{tag}>, not "
                                "<urlset> or <sitemapindex>)")
                        sitemap = Sitemap("urlset" if tag == "urlset" else "index")
                        root = element
                    continue
                if tag == "loc":
                    loc = (element.text or "").strip()
                elif tag == "lastmod":
                    lastmod = _lastmod(element.text)
                elif tag in ("url", "sitemap"):
                    if loc:
                        if len(sitemap.entries) < max_urls:
                            sitemap.entries.append(SitemapEntry(loc, lastmod))
                        else:
                            skipped += 1
                    loc = lastmod = None
                    root.clear()  # what was read goes: memory stays bounded
        parser.close()
    except SyntaxError as exc:  # ParseError: broken XML, with its line and column
        raise SitemapError(url, f"the XML is broken ({exc}); nothing was read from it") from None
    if sitemap is None:
        raise SitemapError(url, "the file is empty; it lists no pages")
    if skipped:
        sitemap.warnings.append(
            f"it lists {len(sitemap.entries) + skipped:,} addresses; only the first "
            f"{max_urls:,} were read (the sitemap limit: split it into several sitemaps)")
    return sitemap


def _text_sitemap(data: bytes, url: str, max_urls: int) -> Sitemap:
    """The sitemap protocol's text form: one absolute address per line."""
    sitemap = Sitemap("urlset")
    lines = data.decode("utf-8", "replace").splitlines()
    addresses = [line.strip() for line in lines if line.strip().startswith(("http://", "https://"))]
    if not addresses:
        raise SitemapError(url, "not a sitemap (neither XML nor a list of web addresses)")
    sitemap.entries = [SitemapEntry(a) for a in addresses[:max_urls]]
    if len(addresses) > max_urls:
        sitemap.warnings.append(f"it lists {len(addresses):,} addresses; only the first "
                                f"{max_urls:,} were read (the sitemap limit)")
    return sitemap
