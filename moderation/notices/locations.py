"""Where the notice points: pages on our site (targets), originals elsewhere, and named works."""

import bisect
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from moderation.intake.urls import URLError, canonical_host, canonical_url, find_urls

MAX_URLS = 2000
# Laws, registries and notice archives are cited in notices but are never the work itself.
REFERENCE_HOSTS = (
    "copyright.gov", "eur-lex.europa.eu", "europa.eu", "gov.cn", "lumendatabase.org",
    "law.cornell.edu", "uscode.house.gov", "ncac.gov.cn",
)
_WORK_LABEL = re.compile(
    r"^\s*(?:[-*•]\s*|\d{1,2}[.)、]\s*|[一二三四五六七八九十]+、\s*)?(?:original work|copyrighted work|infringed work|work|works|"
    r"title of (?:the )?(?:original )?work|original (?:article|story|url)|original|"
    r"description of (?:the )?work|作品名称|作品|原作品|原文|原文标题|原文链接|原文地址|权利作品|"
    r"原创作品)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_WORK_SENTENCE = re.compile(
    r"\b(?:article|story|report|work|piece|video|photo(?:graph)?)\s+(?:(?:titled|entitled|called)\s+)?"
    r"[\"“](?P<value>[^\"”]{4,200})[\"”]",
    re.IGNORECASE,
)
# Laws cited in 《》 are not works.
_LAW_TITLE = re.compile(r"(?:条例|法|规定|办法|公约|解释|决定)$")
_NEXT_LABEL = re.compile(r"^\s*(?:\d{1,2}[.)]\s*)?[\w\u4e00-\u9fff][\w \u4e00-\u9fff()/-]{0,30}[:：]")
_BOOK_TITLE = re.compile(r"《(?P<value>[^《》]{2,120})》")


@dataclass
class Work:
    """A copyrighted work the notice names: how it is described and where the original is."""

    description: str | None
    url: str | None


def _own_domain_pattern(domains: list[str]) -> re.Pattern[str] | None:
    hosts = sorted({canonical_host(d) for d in domains if d.strip()}, key=len, reverse=True)
    if not hosts:
        return None
    alternatives = "|".join(re.escape(h) for h in hosts)
    # Addresses of our own pages are often written without http://.
    return re.compile(
        rf"(?<![\w./@-])(?:[\w-]+\.)*(?:{alternatives})/[^\s<>\"'()\[\]{{}}，。、）（]+",
        re.IGNORECASE,
    )


def is_ours(url: str, domains: list[str]) -> bool:
    """True when ``url`` (canonical) is on one of our site domains or their subdomains."""
    host = (urlsplit(url).hostname or "").lower()
    for domain in domains:
        own = canonical_host(domain)
        if own and (host == own or host.endswith("." + own)):
            return True
    return False


def _is_reference(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == ref or host.endswith("." + ref) for ref in REFERENCE_HOSTS)


def _is_homepage(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


# What a letter says of an address of ours: a copy (the usual) or its own original, licensed
# to us or first published here ("Original (licensed) article:", 原文链接).
_SAID_COPY = re.compile(
    r"infring|unauthori[sz]ed|\bcop(?:y|ies|ied)\b|on your (?:site|website|pages?)|remove|"
    r"take\s+\w*\s*down|侵权|侵權|转载|轉載|盗用|删除|下架|贵(?:网站|站|方|司)", re.IGNORECASE)
_SAID_ORIGINAL = re.compile(
    r"\boriginal|\blicensed\b|\bfirst (?:published|appeared)|\bour (?:article|story|report|work)"
    r"|copyrighted work|原文|原创|原作|首发|出处|来源", re.IGNORECASE)
# An address up to where Chinese text or full-width punctuation resumes without a space.
_AN_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+")
_URL_ONLY = re.compile(r"^\s*(?:[-*•]\s*|\d{1,2}[.)、]\s*)?(?:https?://|www\.|[\w-]+\.[\w.-]+/)\S*\s*$")


def said_original(text: str, start: int) -> bool:
    """Whether the words introducing the address at ``start`` call it the original.

    The words are those before it on its line (a label), or, for an address alone on its
    line, the heading over the list it stands in. Words of a copy win over words of an
    original ("our content appears on your site:").
    """
    line_start = text.rfind("\n", 0, start) + 1
    said = text[max(line_start, start - 100):start]
    # Only the words since the last sentence speak of this address (other addresses aside).
    said = _AN_ADDRESS.sub(" ", re.split(r"[。！？；]|[.!?;]\s", said)[-1])
    if not said.strip(" \t-*•:：0123456789.)、"):
        cursor = line_start - 1
        for _step in range(30):  # up the list to its heading
            if cursor <= 0:
                break
            previous_start = text.rfind("\n", 0, cursor) + 1
            line = text[previous_start:cursor]
            cursor = previous_start - 1
            if line.strip() and not _URL_ONLY.match(line):
                said = line
                break
    return bool(_SAID_ORIGINAL.search(said)) and not _SAID_COPY.search(said)


def _urls_in(text: str, own: re.Pattern[str] | None) -> list[str]:
    return [url for _start, url in _placed_urls(text, own)]


def _placed_urls(text: str, own: re.Pattern[str] | None) -> list[tuple[int, str]]:
    """Addresses in ``text`` in reading order, with our own ones also found without scheme."""
    found: list[tuple[int, str]] = []
    cursor = 0
    for url in find_urls(text):
        start = text.find(url, cursor)
        found.append((start, url))
        cursor = start + len(url)
    if own is not None:
        starts = [start for start, _url in found]
        extra = []
        for match in own.finditer(text):
            # Skip the scheme-less match inside an address already found with its scheme.
            index = bisect.bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < starts[index] + len(found[index][1]):
                continue
            extra.append((match.start(), match.group(0).rstrip(".,;:!?…'\"")))
        found += extra
    return sorted(found)


def split_urls(
    sources: list[str | list[str]], domains: list[str]
) -> tuple[list[str], list[str]]:
    """Canonical target URLs (ours) and original URLs (elsewhere), in order, de-duplicated.

    ``sources`` are texts to search and lists of link targets, in reading order. Bare home
    pages are left out of both: they name a site, not an item to remove or a work.
    """
    own = _own_domain_pattern(domains)
    candidates: list[str] = []
    # Addresses of ours the letter calls its originals rather than copies.
    named_original: set[str] = set()
    for source in sources:
        if isinstance(source, list):
            candidates.extend(source)
            continue
        for start, url in _placed_urls(source, own):
            candidates.append(url)
            if len(named_original) < MAX_URLS and said_original(source, start):
                named_original.add(url)
    targets: dict[str, None] = {}
    originals: dict[str, None] = {}
    for candidate in candidates:
        if len(targets) + len(originals) >= MAX_URLS:
            break
        try:
            url = canonical_url(candidate)
        except URLError:
            continue
        if _is_homepage(url):
            continue
        if is_ours(url, domains) and candidate not in named_original:
            targets[url] = None
        elif is_ours(url, domains):
            originals[url] = None
        elif not _is_reference(url):
            originals[url] = None
    return list(targets), list(originals)


def _with_continuation(value: str, rest: str) -> str:
    """A labelled value plus the wrapped lines that continue it (up to a blank line or label)."""
    for line in rest.split("\n")[1:4]:
        if not line.strip() or _NEXT_LABEL.match(line) or find_urls(line):
            break
        value = f"{value} {line.strip()}"
    return value


def find_works(text: str, original_urls: list[str]) -> list[Work]:
    """Works named by labels ("Original work:", 作品名称：), titles in quotes or 《》, and URLs."""
    works: list[Work] = []
    used: set[str] = set()
    for pattern in (_WORK_LABEL, _WORK_SENTENCE, _BOOK_TITLE):
        for match in pattern.finditer(text):
            value = match.group("value").strip()
            if pattern is _WORK_LABEL:
                value = _with_continuation(value, text[match.end():])
            url = None
            for candidate in find_urls(value):
                try:
                    url = canonical_url(candidate)
                except URLError:
                    continue
                value = value.replace(candidate, "").strip(" -–:：,()（）")
                break
            if url is not None and url not in original_urls:
                url = None  # a label pointing at our own page describes a location, not a work
            value = value.strip("《》\"“”「」 ")
            description = value[:300] if re.search(r"[^\W\d_]", value) else None
            if description and pattern is _BOOK_TITLE and _LAW_TITLE.search(description):
                continue
            if description is None and url is None:
                continue
            if description:
                description = re.sub(r"\s+", " ", description)
                if url is None and any(w.description and description in w.description
                                       for w in works):
                    continue
            if description is None and works and works[-1].url is None and url not in used:
                works[-1].url = url  # "Original URL:" right after the work's description
            else:
                works.append(Work(description, url))
            if url:
                used.add(url)
    unused = [url for url in original_urls if url not in used]
    undescribed = [work for work in works if work.url is None]
    if len(unused) == 1 and len(undescribed) == 1:
        undescribed[0].url = unused.pop()  # one title and one original: the same work
    works.extend(Work(None, url) for url in unused)
    return works
