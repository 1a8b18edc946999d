"""HTML pages: main text through trafilatura, metadata from meta tags, JSON-LD and markup."""

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .boilerplate import BoilerplateModel
from .images import page_images
from .languages import split_segments
from .page import ExtractedPage, normalise_text
from .textpage import clean_lines, parse_date_line, parse_local_time
from .urls import canonical_url

_TIME_KEYS = tuple(
    """article:published_time og:published_time datepublished pubdate publishdate publish-date
    publication_date date dc.date dc.date.issued dcterms.created dcterms.issued sailthru.date
    parsely-pub-date cxenseparse:recs:publishtime""".split()
)
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
_PUBLISHER_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher")
_FALLBACK_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre"
_DROPPED_TAGS = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A page's date line sits in its first elements; the rest is not searched.
_HEADER_NODES = 3000
_HEADER_PARAGRAPHS = 4
# trafilatura's cost grows with the markup; past this many elements the block fallback is used.
_MAX_EXTRACTOR_ELEMENTS = 10000
# "Headline | Site", "Headline - Site", "标题_网站": the last separator before a short tail.
_TITLE_TAIL = re.compile(r"^(?P<head>.+?)(?:\s+[|\-–—:·]\s+|\s*[_｜|]\s*)(?P<site>[^|｜_]{1,40})$")


def parse_time(value: str | None) -> datetime | None:
    """A publication time from ISO-8601, RFC 2822 or "2021-12-31 13:55"; aware only if stated."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return parse_local_time(value)


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld_objects(tree: LexborHTMLParser) -> list[dict]:
    objects: list[dict] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except ValueError:
            continue
        pending = [data]
        while pending:
            item = pending.pop()
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                pending.extend(v for k, v in item.items() if k == "@graph")
    return objects


def _first(*values: object) -> str | None:
    for value in values:
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _node_text(node: LexborNode | None) -> str | None:
    return _first(node.text(separator=" ")) if node is not None else None


def _published_at(tree: LexborHTMLParser, meta: dict[str, str], ld: list[dict]) -> datetime | None:
    candidates = [obj.get("datePublished") for obj in ld]
    candidates += [meta.get(key) for key in _TIME_KEYS]
    for selector in ("time[pubdate]", '[itemprop="datePublished"]', "time[datetime]"):
        node = tree.css_first(selector)
        if node is not None:
            candidates += [node.attributes.get("datetime"), node.attributes.get("content")]
    for value in candidates:
        if isinstance(value, str) and (when := parse_time(value)):
            return when
    return None


def _canonical(tree: LexborHTMLParser, meta: dict[str, str], url: str | None) -> str | None:
    link = tree.css_first('link[rel="canonical"]')
    for href in (link.attributes.get("href") if link else None, meta.get("og:url")):
        if href:
            try:
                return canonical_url(href, base=url)
            # urljoin itself raises a bare ValueError for addresses like "http://[::1".
            except ValueError:
                continue
    return None


def _language(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    root = tree.css_first("html")
    declared = (root.attributes.get("lang") if root else None) or meta.get("og:locale") or ""
    primary = re.split(r"[-_]", declared.strip().lower())[0]
    return primary if primary.isalpha() and len(primary) <= 3 else None


def _flat_text(node: LexborNode | None) -> str:
    return " ".join((node.text(separator=" ") or "").split()) if node is not None else ""


def _visible_header(tree: LexborHTMLParser) -> tuple[datetime | None, str | None]:
    """Time and credited source from a page's visible date line ("2021-12-31 13:55 美国新闻网")."""
    if tree.body is None:
        return None, None
    for count, node in enumerate(tree.body.traverse(include_text=False)):
        if count > _HEADER_NODES:
            break
        # Only elements whose own text holds a date are read in full.
        if not parse_local_time(node.text(deep=False) or ""):
            continue
        own, parent = _flat_text(node), _flat_text(node.parent)
        # The source may sit in the element's own children or in a sibling ("<span>来源").
        for text in (own, parent):
            found = parse_date_line(text) if len(text) <= 120 else None
            if found and found[1]:
                # A bare token after the date is a source only on Chinese pages ("美国新闻网").
                return found[0], found[1] if _CJK.search(text) else None
        if found := parse_date_line(own) if len(own) <= 120 else None:
            return found[0], None
    return None, None


def _main_text(html: str, tree: LexborHTMLParser, url: str | None, warnings: list[str]) -> str:
    text = None
    if len(tree.css("*")) > _MAX_EXTRACTOR_ELEMENTS:
        warnings.append(
            "the page is too large for the main-text extractor; its text blocks were used"
        )
    else:
        try:
            import trafilatura  # imported on first HTML page: it costs ~0.3 s at start-up

            text = trafilatura.extract(
                html, url=url, output_format="txt", include_comments=False, include_tables=False
            )
        except Exception:  # a parser crash on one page must not stop an import
            warnings.append(
                "the main-text extractor failed on this page; its text blocks were used"
            )
    if text and text.strip():
        return text
    for node in tree.css(_DROPPED_TAGS):
        node.decompose()
    blocks = [_node_text(node) for node in tree.css(_FALLBACK_BLOCKS)]
    if not any(blocks) and tree.body is not None:
        blocks = [line.strip() for line in tree.body.text(separator="\n").splitlines()]
    return "\n".join(block for block in blocks if block)


def _drop_header(
    paragraphs: list[str], title: str | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Remove a repeated headline and a date line from the top of the extracted text."""
    kept, removed = [], []
    wanted = normalise_text(title) if title else None
    for position, paragraph in enumerate(paragraphs):
        if position < _HEADER_PARAGRAPHS and wanted and normalise_text(paragraph) == wanted:
            removed.append(("title", paragraph))
            wanted = None
        elif position < _HEADER_PARAGRAPHS and "\n" not in paragraph and parse_date_line(paragraph):
            removed.append(("date and source line", paragraph))
        else:
            kept.append(paragraph)
    return kept, removed


def extract_html_page(
    html: str, *, url: str | None = None, boilerplate: BoilerplateModel | None = None,
    folder: Path | None = None,
) -> ExtractedPage:
    """Read an HTML page (broken or truncated markup included); ``url`` resolves relative links,
    ``folder`` (a page read from disk) holds the files its relative pictures name."""
    html = str(html).replace("\x00", "")
    tree = LexborHTMLParser(html)
    # Before the main-text reader, which may cut nodes out of the tree. Pictures resolve
    # against the page's address, or its canonical link when it was read from disk.
    meta_early = _meta(tree)
    image_base = url or (_canonical(tree, meta_early, None) if folder else None)
    images = page_images(tree, base=image_base, folder=folder)
    meta = _meta(tree)
    ld = _json_ld_objects(tree)
    warnings: list[str] = []
    publisher = _first(
        *(meta.get(k) for k in _PUBLISHER_KEYS), *(obj.get("publisher") for obj in ld)
    )
    title = _first(
        *(meta.get(k) for k in _TITLE_KEYS),
        *(obj.get("headline") for obj in ld),
        _node_text(tree.css_first("h1")),
    )
    doc_title = _node_text(tree.css_first("title"))
    tail = _TITLE_TAIL.match(doc_title or "")
    if tail and title and normalise_text(tail["head"]) == normalise_text(title):
        # The document title repeats the headline: what follows it names the site.
        publisher = publisher or tail["site"].strip()
    if title is None:
        title = tail["head"].strip() if tail else doc_title
    published_at = _published_at(tree, meta, ld)
    visible_time, claimed_source = _visible_header(tree)
    text = _main_text(html, tree, url, warnings)
    # One line per paragraph from the extractor; blank lines keep the paragraphs apart.
    lines = [part for line in text.splitlines() for part in (line, "")]
    cleaned = clean_lines(lines, boilerplate)
    paragraphs, removed = _drop_header(cleaned.paragraphs, title)
    segments = split_segments(paragraphs)
    page = ExtractedPage(
        title=title,
        published_at=published_at or visible_time,
        claimed_source=_first(meta.get("source")) or claimed_source or cleaned.claimed_source,
        language=segments[0].language if segments else _language(tree, meta),
        segments=segments,
        canonical_url=_canonical(tree, meta, url),
        publisher=publisher,
        warnings=warnings,
        removed=removed + cleaned.removed,
        images=images,
    )
    if page.language == "other" and (declared := _language(tree, meta)):
        page.language = declared
    page.original_title = next(
        (s.title for s in segments if s.title and s.language != page.language), None
    )
    if not title:
        page.warnings.append("no title found")
    if not segments:
        page.warnings.append("no article text found")
    return page
