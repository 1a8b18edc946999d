"""The JSON Lines import schema: each line checked into fields, or a reason it cannot be used."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .encoding import looks_binary
from .page import MAX_PAGE_BYTES, too_big_reason
from .urls import canonical_url

OPTIONAL_FIELDS = ("title", "publisher", "published_at", "language", "claimed_source")
_CHUNK = 1024 * 1024


@dataclass
class JsonlFields:
    """One line's checked content: canonical url, "text" or "html", and the stated fields."""

    url: str
    kind: str
    content: str
    stated: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # "images": [{"url" or "path", "caption", "credit"}], checked by _images.
    images: list[dict[str, str]] = field(default_factory=list)


def _images(value: Any, warnings: list[str]) -> list[dict[str, str]]:
    """The record's pictures; an unusable entry is left out with a warning, not the record."""
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append('"images" must be a list of objects; it was ignored')
        return []
    kept = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict) or not any(
                isinstance(item.get(k), str) and item[k].strip() for k in ("url", "path")):
            warnings.append(f"image {number} has no \"url\" or \"path\"; it was ignored")
            continue
        kept.append({k: item[k].strip() for k in ("url", "path", "caption", "credit")
                     if isinstance(item.get(k), str) and item[k].strip()})
    return kept


def parse_line(raw: bytes) -> JsonlFields | str:
    """Check one line against the schema; a string return is the reason it is refused."""
    try:
        data = json.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8").strip())
    except UnicodeDecodeError:
        return "this line is not UTF-8 text, which JSON Lines requires"
    except ValueError as exc:
        return f"this line is not valid JSON ({exc.msg.lower()} at character {exc.colno})"
    if not isinstance(data, dict):
        kind = type(data).__name__
        return f"this line is a JSON {kind}, not an object with url and text or html"
    for name in ("url", "text", "html", *OPTIONAL_FIELDS):
        if data.get(name) is not None and not isinstance(data[name], str):
            return f'"{name}" must be text, not {type(data[name]).__name__}'
    if not (data.get("url") or "").strip():
        return 'the record has no "url"'
    try:
        url = canonical_url(data["url"])
    except ValueError as exc:  # URLError, or a bare ValueError from urljoin
        return f"the url {data['url']!r} cannot be used: {exc}"
    kind = "html" if (data.get("html") or "").strip() else "text"
    content = data.get(kind) or ""
    if not content.strip():
        return 'the record has no "text" or "html" (or it is empty)'
    if (size := len(content.encode("utf-8"))) > MAX_PAGE_BYTES:
        return too_big_reason(size, f'its "{kind}"')
    fields = JsonlFields(url, kind, content)
    fields.images = _images(data.get("images"), fields.warnings)
    fields.stated = {n: data[n].strip() for n in OPTIONAL_FIELDS if (data.get(n) or "").strip()}
    if stamp := fields.stated.pop("published_at", None):
        try:
            fields.stated["published_at"] = datetime.fromisoformat(stamp)
        except ValueError:
            fields.warnings.append(f"published_at {stamp!r} is not an ISO-8601 time; ignored")
    if kind == "html" and data.get("text"):
        fields.warnings.append('the record has both "text" and "html"; the html was read')
    return fields


def read_lines(path: Path) -> Iterator[tuple[int | None, bytes | str]]:
    """(line number, raw bytes) for each non-blank line, or (line, reason) for an unusable one.

    Reads line by line, so a file of any size streams; a single line over the page limit is
    skipped without being held in memory.
    """
    with path.open("rb") as handle:
        head = handle.read(4096)
        if not head:
            yield None, "the file is empty"
            return
        if looks_binary(head):
            yield None, "the file is binary, not JSON Lines text"
            return
        handle.seek(0)
        number = found = 0
        while raw := handle.readline(MAX_PAGE_BYTES + 1):
            number += 1
            if len(raw) > MAX_PAGE_BYTES:
                size, tail = len(raw), raw
                while not tail.endswith(b"\n") and (tail := handle.readline(_CHUNK)):
                    size += len(tail)
                yield number, too_big_reason(size, "this line")
            elif raw.strip():
                found += 1
                yield number, raw
        if not found:
            yield None, "the file holds no records, only blank lines"
