"""Intake: reading pages, exports and feeds into clean, segmented text (no database, no Flask).

Everything here is a pure function or a small class; the app wires it into
``moderation articles import``, ``moderation originals import`` and ``originals fetch``.

Reading inputs
    ``iter_records(paths, *, publisher=None, base_url=None, boilerplate=None)`` walks files and
    folders (recursively, hidden files skipped, sorted) of ``.jsonl``/``.ndjson``, ``.html``/
    ``.htm``/``.xhtml`` and ``.txt``, and yields, for each page, a ``Record`` (``ok`` is True) or a
    ``RecordError`` (``ok`` is False: ``source``, ``line``, ``reason`` in plain words). It never
    raises for bad content; one bad input never stops the others.

    - JSON Lines: ``{"url", "title", "text" | "html", "publisher", "published_at" (ISO-8601),
      "language", "claimed_source"}``; ``url`` and ``text`` or ``html`` are required. Values a
      record states win over what extraction finds; ``publisher=`` fills records naming none.
    - Files without a URL of their own: ``base_url`` + the path relative to the folder given
      (``url_origin == "base_url"``); an HTML page's ``<link rel=canonical>``/``og:url`` comes
      first (``"page"``). Without either, the URL is the file's absolute ``file:///...`` URI
      (``"file"``): unique on one machine, not a web address, so ``canonical_url`` refuses it.
    - Limits: a page (file, JSONL line, fetched response) over ``MAX_PAGE_BYTES`` (10 MB) is
      refused unread; empty, white-space-only, binary and text-less inputs are errors too.
    - A Record keeps the input as read in ``raw`` (bytes) and as decoded in ``raw_text``;
      ``Record.from_fetched(fetched, publisher=None)`` makes one from a fetched page.

Extraction (``ExtractedPage``: title, published_at, claimed_source, language, segments,
body, canonical_url, publisher, original_title, warnings, removed, text_hash)
    - ``extract_text_page(text, *, title=None, boilerplate=None)``: a page of our site saved as
      text (nav bars, breadcrumbs, date/source line, "阅读更多", photo captions, disclaimers,
      prev/next links, hot lists, footers removed; ``removed`` lists each with its reason) or a
      clean text, whose first line is taken as the title and whose body passes unchanged.
      ``published_at`` is naive, in the site's local time: the caller converts.
    - ``extract_html_page(html, *, url=None, boilerplate=None)``: main text by trafilatura
      (falling back to block elements for pages it rejects), metadata from meta tags, JSON-LD,
      ``<time datetime>``, ``<link rel=canonical>``, ``<html lang>``. ``published_at`` is aware
      when the page states an offset.
    - ``split_segments(paragraphs)``: runs of "zh", "en" or "other" paragraphs. On a repost the
      English original's headline between translation and original becomes that segment's
      ``title`` and the page's ``original_title``; the segment text starts after it.
    - ``BoilerplateModel``: lines recurring across many of the site's pages (document
      frequency), learned with ``BoilerplateModel.learn(texts)`` or ``add(text)``, stored with
      ``to_json()``/``from_json()`` (a damaged file raises ``BoilerplateModelError``, also a
      ValueError), and passed to the extractors and ``iter_records`` as ``boilerplate=``.
    - ``text_hash(text)`` / ``ExtractedPage.text_hash``: sha256 of the NFKC-folded,
      space-collapsed body: same hash means unchanged (skip), another means updated.
    - ``decode_bytes(data, declared=None) -> DecodedText``: BOM, declared charset, ``<meta>``
      charset, UTF-8, then detection (GB2312/GBK read as GB18030, Big5 as Big5-HKSCS); as a
      last resort U+FFFD replacement with ``replaced=True``.

Fetching (``fetch_page(url, client=None)``, ``fetch_feed(feed_url, client=None)``, ``Fetcher``)
    httpx with timeouts, a size limit, at most 5 redirects, ``HostThrottle`` delay per host
    (2 s by default, shared across calls), user agent ``ModerationDesk/0.1 (+contact)`` (give
    ``Fetcher(user_agent=...)`` the desk's real contact address in production); non-HTML
    (or non-feed) answers are refused. Failures raise ``FetchError`` (``reason`` in plain words).
    ``Fetcher.page``/``Fetcher.feed`` are short names for its ``fetch_page``/``fetch_feed``;
    ``parse_feed(content, url)`` reads feed bytes obtained some other way.

Errors: ``IntakeError`` is the base of ``FetchError``; ``URLError`` (a ValueError) comes from
``canonical_url``. The extractors raise neither for any text they are given.

May import: nothing of the desk. Imported by: reports, photos, library, notices, provenance,
web, commands, demo.
"""

import importlib

from .boilerplate import BoilerplateModel, BoilerplateModelError
from .encoding import DecodedText, decode_bytes, looks_binary
from .languages import detect_language, split_segments
from .page import MAX_PAGE_BYTES, ExtractedPage, IntakeError, Segment, normalise_text, text_hash
from .records import Record, RecordError, iter_records
from .textpage import extract_text_page
from .urls import URLError, canonical_url, find_urls

# Feeds, fetching and HTML reading pull in feedparser, httpx and trafilatura (most of a second
# at start-up); they are imported on first use, so `moderation check notes.txt` starts fast.
_LAZY = {
    "FeedEntry": ".feeds", "parse_feed": ".feeds",
    "FetchedPage": ".fetch", "Fetcher": ".fetch", "FetchError": ".fetch",
    "HostThrottle": ".fetch", "fetch_feed": ".fetch", "fetch_page": ".fetch",
    "extract_html_page": ".html",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_PAGE_BYTES",
    "BoilerplateModel",
    "BoilerplateModelError",
    "DecodedText",
    "ExtractedPage",
    "FeedEntry",
    "FetchError",
    "FetchedPage",
    "Fetcher",
    "HostThrottle",
    "IntakeError",
    "Record",
    "RecordError",
    "Segment",
    "URLError",
    "canonical_url",
    "decode_bytes",
    "detect_language",
    "extract_html_page",
    "extract_text_page",
    "fetch_feed",
    "fetch_page",
    "find_urls",
    "iter_records",
    "looks_binary",
    "normalise_text",
    "parse_feed",
    "split_segments",
    "text_hash",
]
