"""Reading import inputs: files and folders of JSON Lines, HTML and text pages."""

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from .boilerplate import BoilerplateModel
from .encoding import decode_bytes, looks_binary
from .html import extract_html_page
from .page import ExtractedPage
from .textpage import extract_text_page
from .urls import URLError, canonical_url

# A news page, even with inline scripts and styles, stays well under this; anything larger is
# an export or a dump, and reading it whole would stall an import for every other input.
MAX_PAGE_BYTES = 10 * 1024 * 1024
PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_OPTIONAL_FIELDS = ("title", "publisher", "published_at", "language", "claimed_source")
_MB = 1024 * 1024


@dataclass
class Record:
    """One page read from an input, extracted and ready to store."""

    ok: ClassVar[bool] = True
    url: str
    page: ExtractedPage
    source: Path
    line: int | None = None
    title: str | None = None
    text: str | None = None
    html: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    claimed_source: str | None = None
    # Where the url came from: "record", "page" (its canonical link), "base_url" or "file".
    url_origin: str = "record"
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecordError:
    """An input that could not be read, with where it is and why, in plain words."""

    ok: ClassVar[bool] = False
    source: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line else str(self.source)
        return f"{where}: {self.reason}"


def _too_big(size: int, what: str) -> str:
    return (
        f"{what} is {size / _MB:.1f} MB, over the {MAX_PAGE_BYTES // _MB} MB limit for one page; "
        "no news page is that large, so it is probably an export or a dump, not a page"
    )


def _finish(
    page: ExtractedPage, url: str, origin: str, source: Path, line: int | None,
    given: dict[str, Any], default_publisher: str | None,
) -> Record:
    """Combine what the input states with what the page says; stated values win."""
    record = Record(url=url, page=page, source=source, line=line, url_origin=origin)
    record.title = given.get("title") or page.title
    record.text = given.get("text")
    record.html = given.get("html")
    record.publisher = given.get("publisher") or default_publisher or page.publisher
    record.published_at = given.get("published_at") or page.published_at
    record.language = given.get("language") or page.language
    record.claimed_source = given.get("claimed_source") or page.claimed_source
    record.warnings = list(page.warnings)
    return record


def _extract(kind: str, content: str, url: str | None, title: str | None,
             boilerplate: BoilerplateModel | None) -> ExtractedPage:
    if kind == "html":
        return extract_html_page(content, url=url, boilerplate=boilerplate)
    return extract_text_page(content, title=title, boilerplate=boilerplate)


def _read_page(
    path: Path, relative: Path, kind: str, publisher: str | None, base_url: str | None,
    boilerplate: BoilerplateModel | None,
) -> Record | RecordError:
    size = path.stat().st_size
    if size == 0:
        return RecordError(path, None, "the file is empty")
    if size > MAX_PAGE_BYTES:
        return RecordError(path, None, _too_big(size, "the file"))
    data = path.read_bytes()
    if looks_binary(data):
        return RecordError(path, None, "the file is binary (an image, archive or document?), not a text or HTML page")
    decoded = decode_bytes(data)
    if not decoded.text.strip():
        return RecordError(path, None, "the file holds only white space")
    file_url = None
    if base_url:
        file_url = canonical_url(quote(relative.as_posix()), base=base_url.rstrip("/") + "/")
    page = _extract(kind, decoded.text, file_url, None, boilerplate)
    if not page.segments:
        return RecordError(path, None, "no article text was found in the page")
    if page.canonical_url:
        url, origin = page.canonical_url, "page"
    elif file_url:
        url, origin = file_url, "base_url"
    else:
        url, origin = path.resolve().as_uri(), "file"
    given: dict[str, Any] = {kind: decoded.text}
    record = _finish(page, url, origin, path, None, given, publisher)
    record.encoding = decoded.encoding
    if decoded.replaced:
        record.warnings.append(f"some bytes were not valid {decoded.encoding} and were replaced")
    return record


def _jsonl_record(
    raw: bytes, path: Path, number: int, publisher: str | None,
    boilerplate: BoilerplateModel | None,
) -> Record | RecordError:
    def error(reason: str) -> RecordError:
        return RecordError(path, number, reason)

    try:
        data = json.loads(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return error("this line is not UTF-8 text, which JSON Lines requires")
    except ValueError as exc:
        return error(f"this line is not valid JSON ({exc.msg.lower()} at character {exc.colno})")
    if not isinstance(data, dict):
        return error(f"this line is a JSON {type(data).__name__}, not an object with url and text or html")
    for name in ("url", "text", "html", *_OPTIONAL_FIELDS):
        if data.get(name) is not None and not isinstance(data[name], str):
            return error(f'"{name}" must be text, not {type(data[name]).__name__}')
    if not (data.get("url") or "").strip():
        return error('the record has no "url"')
    try:
        url = canonical_url(data["url"])
    except URLError as exc:
        return error(f"the url {data['url']!r} cannot be used: {exc}")
    kind = "html" if (data.get("html") or "").strip() else "text"
    content = data.get(kind) or ""
    if not content.strip():
        return error('the record has no "text" or "html" (or it is empty)')
    if len(content.encode("utf-8")) > MAX_PAGE_BYTES:
        return error(_too_big(len(content.encode("utf-8")), f'its "{kind}"'))
    given: dict[str, Any] = {n: data[n].strip() for n in _OPTIONAL_FIELDS if (data.get(n) or "").strip()}
    given[kind] = content
    warnings = []
    if "published_at" in given:
        try:
            given["published_at"] = datetime.fromisoformat(str(given["published_at"]))
        except ValueError:
            warnings.append(f"published_at {given.pop('published_at')!r} is not an ISO-8601 time; ignored")
    title = given.get("title")
    page = _extract(kind, content, url, title if isinstance(title, str) else None, boilerplate)
    if not page.segments:
        return error("no article text was found in the record")
    record = _finish(page, url, "record", path, number, given, publisher)
    record.warnings += warnings
    if kind == "html" and data.get("text"):
        record.warnings.append('the record has both "text" and "html"; the html was read')
    return record


def _read_jsonl(
    path: Path, publisher: str | None, boilerplate: BoilerplateModel | None
) -> Iterator[Record | RecordError]:
    with path.open("rb") as handle:
        head = handle.read(4096)
        if not head:
            yield RecordError(path, None, "the file is empty")
            return
        if looks_binary(head):
            yield RecordError(path, None, "the file is binary, not JSON Lines text")
            return
        handle.seek(0)
        number = found = 0
        while raw := handle.readline(MAX_PAGE_BYTES + 1):
            number += 1
            if len(raw) > MAX_PAGE_BYTES:
                size, tail = len(raw), raw
                while not tail.endswith(b"\n") and (tail := handle.readline(_MB)):
                    size += len(tail)
                yield RecordError(path, number, _too_big(size, "this line"))
                continue
            if raw.strip():
                found += 1
                yield _jsonl_record(raw.removeprefix(b"\xef\xbb\xbf"), path, number, publisher, boilerplate)
        if not found:
            yield RecordError(path, None, "the file holds no records, only blank lines")


def _files(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def _read_file(
    path: Path, relative: Path, publisher: str | None, base_url: str | None,
    boilerplate: BoilerplateModel | None,
) -> Iterator[Record | RecordError]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, publisher, boilerplate)
        elif suffix in PAGE_SUFFIXES:
            yield _read_page(path, relative, PAGE_SUFFIXES[suffix], publisher, base_url, boilerplate)
        else:
            yield RecordError(path, None, "not a file the desk reads (use .jsonl, .txt, .html or .htm)")
    except OSError as exc:
        yield RecordError(path, None, f"the file cannot be read ({exc.strerror or exc})")


def iter_records(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    publisher: str | None = None,
    base_url: str | None = None,
    boilerplate: BoilerplateModel | None = None,
) -> Iterator[Record | RecordError]:
    """Yield a Record or a RecordError for every page in ``paths`` (files or folders, recursive).

    ``publisher`` fills in records that name none. Pages without a URL of their own get
    ``base_url`` + their path relative to the folder given (or their file name); without
    ``base_url`` they get their absolute ``file:`` URI. An invalid ``base_url`` raises URLError.
    """
    if base_url:
        canonical_url(base_url)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for path in _files(root):
                yield from _read_file(path, path.relative_to(root), publisher, base_url, boilerplate)
        elif root.is_file():
            yield from _read_file(root, Path(root.name), publisher, base_url, boilerplate)
        else:
            yield RecordError(root, None, "no such file or folder")
