"""RSS and Atom feeds: the entries that point at originals, with their times in UTC."""

from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
from selectolax.lexbor import LexborHTMLParser

from .urls import canonical_url


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where the original is, and what the feed says about it."""

    url: str
    link: str
    title: str | None
    published_at: datetime | None
    summary: str | None
    entry_id: str | None
    author: str | None


def _entry(item: dict, base: str) -> FeedEntry | None:
    link = (item.get("link") or "").strip()
    try:
        url = canonical_url(link, base=base)
    except ValueError:  # URLError, or urljoin's own ValueError for a malformed link
        return None
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    summary = item.get("summary")
    if summary:
        summary = " ".join((LexborHTMLParser(summary).text(separator=" ") or "").split()) or None
    return FeedEntry(
        url=url,
        link=link,
        title=(item.get("title") or "").strip() or None,
        published_at=datetime(*stamp[:6], tzinfo=UTC) if stamp else None,
        summary=summary,
        entry_id=item.get("id"),
        author=item.get("author"),
    )


def parse_feed(content: bytes, url: str, content_type: str = "") -> list[FeedEntry] | None:
    """The entries of a feed that link to a web page, or None when ``content`` is no feed.

    ``url`` is where the feed was read from: relative links resolve against it.
    """
    parsed = feedparser.parse(
        content, response_headers={"content-type": content_type, "content-location": url}
    )
    if not parsed.get("version") and not parsed.entries:
        return None
    return [entry for item in parsed.entries if (entry := _entry(item, url))]
