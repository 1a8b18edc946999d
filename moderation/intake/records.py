"""Reading import inputs: files and folders of JSON Lines, HTML and text pages."""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from .boilerplate import BoilerplateModel
from .encoding import decode_bytes, looks_binary
from .images import PageImage, stated_images
from .jsonl import parse_line, read_lines
from .page import MAX_PAGE_BYTES, ExtractedPage, too_big_reason
from .textpage import extract_text_page
from .urls import canonical_url

PAGE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Pictures beside pages in a folder are read as those pages' pictures, not as pages.
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff",
                    ".heic", ".avif", ".ico")

if TYPE_CHECKING:  # fetch imports this module's neighbours; only the type is needed here
    from .fetch import FetchedPage


@dataclass
class Record:
    """One page read from an input, extracted and ready to store."""

    ok: ClassVar[bool] = True
    url: str
    page: ExtractedPage
    # The file read, or for a page fetched from the web its address.
    source: Path | str
    line: int | None = None
    title: str | None = None
    text: str | None = None
    html: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    claimed_source: str | None = None
    # Where the url came from: "record", "page" (its canonical link), "base_url", "file" or
    # "fetched" (the address a page was fetched from).
    url_origin: str = "record"
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    # The input exactly as read (file bytes, JSON Lines line, HTTP body), kept as evidence.
    raw: bytes | None = None
    # The page's pictures (PageImage): from its <img> tags or the record's "images".
    images: list[PageImage] = field(default_factory=list)

    @property
    def raw_text(self) -> str | None:
        """The page as given, decoded: its text or its HTML."""
        return self.text if self.text is not None else self.html

    @classmethod
    def from_fetched(cls, fetched: "FetchedPage", *, publisher: str | None = None) -> "Record":
        """A record for a page fetched from the web; ``publisher`` is used if the page names none."""
        page = fetched.page
        return cls(
            url=fetched.canonical_url,
            page=page,
            source=fetched.url,
            title=page.title,
            html=fetched.text,
            publisher=page.publisher or publisher,
            published_at=page.published_at,
            language=page.language,
            claimed_source=page.claimed_source,
            url_origin="page" if page.canonical_url else "fetched",
            encoding=fetched.encoding,
            warnings=list(page.warnings),
            raw=fetched.content,
        )


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


def _finish(
    page: ExtractedPage,
    url: str,
    origin: str,
    source: Path,
    line: int | None,
    given: dict[str, Any],
    default_publisher: str | None,
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
    record.images = list(page.images)
    return record


def _extract(
    kind: str,
    content: str,
    url: str | None,
    title: str | None,
    boilerplate: BoilerplateModel | None,
    folder: Path | None = None,
) -> ExtractedPage:
    if kind == "html":
        from .html import extract_html_page  # trafilatura is slow to import; text needs none

        return extract_html_page(content, url=url, boilerplate=boilerplate, folder=folder)
    return extract_text_page(content, title=title, boilerplate=boilerplate)


def _read_page(
    path: Path,
    relative: Path,
    kind: str,
    publisher: str | None,
    base_url: str | None,
    boilerplate: BoilerplateModel | None,
) -> Record | RecordError:
    size = path.stat().st_size
    if size == 0:
        return RecordError(path, None, "the file is empty")
    if size > MAX_PAGE_BYTES:
        return RecordError(path, None, too_big_reason(size, "the file"))
    data = path.read_bytes()
    if looks_binary(data):
        return RecordError(
            path,
            None,
            "the file is binary (an image, archive or document?), not a text or HTML page",
        )
    decoded = decode_bytes(data)
    if not decoded.text.strip():
        return RecordError(path, None, "the file holds only white space")
    file_url = None
    if base_url:
        file_url = canonical_url(quote(relative.as_posix()), base=base_url.rstrip("/") + "/")
    page = _extract(kind, decoded.text, file_url, None, boilerplate, folder=path.parent.resolve())
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
    record.raw = data
    record.encoding = decoded.encoding
    if decoded.replaced:
        record.warnings.append(f"some bytes were not valid {decoded.encoding} and were replaced")
    return record


def _read_jsonl(
    path: Path, publisher: str | None, boilerplate: BoilerplateModel | None
) -> Iterator[Record | RecordError]:
    for number, raw in read_lines(path):
        fields = parse_line(raw) if isinstance(raw, bytes) else raw
        if isinstance(fields, str):
            yield RecordError(path, number, fields)
            continue
        title = fields.stated.get("title")
        page = _extract(fields.kind, fields.content, fields.url, title, boilerplate)
        if not page.segments:
            yield RecordError(path, number, "no article text was found in the record")
            continue
        given = {**fields.stated, fields.kind: fields.content}
        record = _finish(page, fields.url, "record", path, number, given, publisher)
        record.raw = raw if isinstance(raw, bytes) else None
        record.warnings += fields.warnings
        record.images += stated_images(fields.images, path.parent.resolve(), fields.url)
        yield record


def _files(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def _read_file(
    path: Path,
    relative: Path,
    publisher: str | None,
    base_url: str | None,
    boilerplate: BoilerplateModel | None,
    in_folder: bool = False,
) -> Iterator[Record | RecordError]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, publisher, boilerplate)
        elif suffix in PICTURE_SUFFIXES and in_folder:
            return
        elif suffix in PAGE_SUFFIXES:
            yield _read_page(
                path, relative, PAGE_SUFFIXES[suffix], publisher, base_url, boilerplate
            )
        else:
            yield RecordError(
                path, None, "not a file the desk reads (use .jsonl, .txt, .html or .htm)"
            )
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
                yield from _read_file(
                    path, path.relative_to(root), publisher, base_url, boilerplate, in_folder=True
                )
        elif root.is_file():
            yield from _read_file(root, Path(root.name), publisher, base_url, boilerplate)
        else:
            yield RecordError(root, None, "no such file or folder")
