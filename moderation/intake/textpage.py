"""Text pages of our site (and plain texts): title, time, credited source, body without chrome."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from .boilerplate import BoilerplateModel
from .chrome import classify_lines
from .languages import split_segments
from .page import ExtractedPage, normalise_text

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})\s*[:：时時]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
_LABELS = re.compile(
    r"(发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|更新时间|更新時間|时间|時間|日期|published|updated"
    r"|来源|來源|source)\s*[:：]?",
    re.I,
)
_OTHER_FIELDS = re.compile(
    r"(作者|编辑|編輯|责任编辑|責任編輯|记者|記者|浏览|瀏覽|阅读|閱讀|点击|點擊|by|author)\s*[:：]?\s*\S*"
    r"|[\d,]+\s*次|字号|字號|[大中小]{2,3}",
    re.I,
)
_SOURCE_LABEL = re.compile(
    r"(?:来源|來源|稿件来源|文章来源|文章來源|source)\s*[:：]\s*([^\s|｜/]+)", re.I
)
_SOURCE_LINE = re.compile(
    r"^[(（【\[]?\s*(?:来源|來源|稿件来源|文章来源|文章來源|source)\s*[:：]", re.I
)
_SEPARATORS = re.compile(r"[\s|｜/\-—–·•]+")
_SENTENCE_END = tuple("。.,，:：;；")
# The header of a page (title, time, source) sits within its first few content lines.
_HEADER_LINES = 15
_MAX_BEFORE_DATE = 4
_MAX_TITLE = 150


@dataclass
class CleanText:
    """Content paragraphs of a page and what was dropped from it."""

    paragraphs: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    claimed_source: str | None = None


def parse_local_time(text: str) -> datetime | None:
    """The first date (and time) written in ``text``, e.g. "2021-12-31 13:55", as a naive datetime."""
    match = _DATE.search(text)
    if not match:
        return None
    parts = [int(match.group(name) or 0) for name in ("y", "m", "d", "H", "M", "S")]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def parse_date_line(line: str) -> tuple[datetime, str | None] | None:
    """(time, credited source) when ``line`` is a page's date line: a date with little else."""
    if len(line) > 120:
        return None
    match = _DATE.search(line)
    when = parse_local_time(line) if match else None
    if not match or when is None:
        return None
    labelled = _SOURCE_LABEL.search(line)
    rest = _LABELS.sub(
        " ", _OTHER_FIELDS.sub(" ", line[: match.start()] + " " + line[match.end() :])
    )
    tokens = [t for t in _SEPARATORS.split(rest) if t.strip(" -:：")]
    if len(" ".join(tokens)) > 40:
        return None
    source = labelled.group(1) if labelled else (tokens[0] if tokens else None)
    return when, source


def _title_like(line: str) -> bool:
    line = line.strip()
    # "Rivals of the £400 Apple..." is a title; "He said so." is not.
    ends_sentence = line.endswith(_SENTENCE_END) and not line.endswith(("...", "…"))
    return 0 < len(line) <= _MAX_TITLE and not ends_sentence


def _source_from_line(line: str) -> str | None:
    match = _SOURCE_LABEL.search(line)
    return match.group(1).strip(")）】]") if match else None


def clean_lines(
    lines: list[str],
    boilerplate: BoilerplateModel | None = None,
    known: dict[int, str] | None = None,
) -> CleanText:
    """Drop chrome lines (``known`` ones, rules, the learned model); group the rest in paragraphs."""
    reasons = classify_lines(lines)
    reasons = [(known or {}).get(i, reason) for i, reason in enumerate(reasons)]
    result = CleanText()
    block: list[str] = []
    for line, reason in zip(lines, reasons, strict=True):
        stripped = line.strip()
        if reason is None and stripped and len(stripped) <= 60 and _SOURCE_LINE.match(stripped):
            reason = "source line"
            result.claimed_source = result.claimed_source or _source_from_line(stripped)
        if reason is None and stripped and boilerplate and boilerplate.is_boilerplate(stripped):
            reason = "learned boilerplate"
        if reason is not None:
            result.removed.append((reason, stripped))
        if reason is None and stripped:
            block.append(line.rstrip())
            continue
        if block:
            result.paragraphs.append("\n".join(block).strip())
            block = []
    if block:
        result.paragraphs.append("\n".join(block).strip())
    return result


def _find_header(
    lines: list[str], content: list[int], known_title: str | None
) -> tuple[dict[int, str], str | None, datetime | None, str | None]:
    """Header lines to drop (index -> reason), and the title, time and source they give."""
    drop: dict[int, str] = {}
    title = when = source = None
    for position, index in enumerate(content[:_HEADER_LINES]):
        found = parse_date_line(lines[index].strip())
        if found and position <= _MAX_BEFORE_DATE:
            when, source = found
            drop[index] = "date and source line"
            before = content[:position]
            # The line above the date line is the page's headline, whatever the caller knows.
            if before and _title_like(lines[before[-1]]):
                title = lines[before[-1]].strip()
                drop[before[-1]] = "title"
                drop.update({i: "header" for i in before[:-1]})
            break
    if known_title is not None:
        wanted = normalise_text(known_title)
        for index in content[:_HEADER_LINES]:
            if normalise_text(lines[index]) == wanted:
                drop[index] = "title"
                break
        return drop, known_title, when, source
    if title is None and len(content) > 1:
        first = next((i for i in content if i not in drop), None)
        if first is not None and _title_like(lines[first]) and first != content[-1]:
            title = lines[first].strip()
            drop[first] = "title"
    return drop, title, when, source


def extract_text_page(
    text: str, *, title: str | None = None, boilerplate: BoilerplateModel | None = None
) -> ExtractedPage:
    """Read a text page: a page of our site like the seed, or a clean text (title on line 1).

    ``title``, when the caller already knows it (a JSON Lines record), is not guessed from the
    first line; a line equal to it is still removed. The time is the site's local time.
    """
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reasons = classify_lines(lines)
    content = [i for i, line in enumerate(lines) if line.strip() and reasons[i] is None]
    drop, found_title, when, source = _find_header(lines, content, title)
    cleaned = clean_lines(lines, boilerplate, drop)
    segments = split_segments(cleaned.paragraphs)
    page = ExtractedPage(
        title=found_title,
        published_at=when,
        claimed_source=source or cleaned.claimed_source,
        language=segments[0].language if segments else None,
        segments=segments,
        removed=cleaned.removed,
    )
    page.original_title = next(
        (s.title for s in segments if s.title and s.language != page.language), None
    )
    if not page.title:
        page.warnings.append("no title found")
    if not segments:
        page.warnings.append("no article text found")
    return page
