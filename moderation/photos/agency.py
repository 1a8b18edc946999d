"""Agencies' photos as originals: image files, folders and JSON Lines records."""

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from ..intake.images import PageImage
from ..library.imports import PublisherDirectory
from ..models import Photo, utcnow
from ..plumbing import audit
from .library import IMAGE_SUFFIXES, JSONL_SUFFIXES, PhotoReport, _fill, picture_bytes, read_local


def _photo_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def _photo_entries(paths: Iterable[Path]) -> Iterator[dict | str]:
    """Each photo to import as a dict (path, url, publisher, title, credit, taken_at) or a
    failure in words."""
    for given in paths:
        if not given.exists():
            yield f"{given}: no such file or folder"
            continue
        for path in _photo_files(given):
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                yield from _jsonl_entries(path)
            elif suffix in IMAGE_SUFFIXES:
                yield {"path": path}
            else:
                yield f"{path}: not a picture or a JSON Lines file"


def _jsonl_entries(path: Path) -> Iterator[dict | str]:
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        yield f"{path}: the file cannot be read ({exc.strerror or exc})"
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            yield f"{path}, line {number}: this line is not valid JSON"
            continue
        if not isinstance(data, dict) or not (data.get("path") or data.get("url")):
            yield f'{path}, line {number}: a photo needs "path" or "url"'
            continue
        entry = {k: v for k, v in data.items() if isinstance(v, str) and v.strip()}
        if entry.get("path"):
            entry["path"] = (path.parent / entry["path"]).resolve()
        entry["line"] = f"{path}, line {number}"
        yield entry


def _taken_at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def import_photos(session: Session, paths: Iterable[Path], *, publisher: str | None = None,
                  fetcher=None, actor: str = "cli") -> PhotoReport:
    """Agency photos as originals: files, folders, JSON Lines records; the same bytes once."""
    report = PhotoReport()
    publishers = PublisherDirectory(session)
    for entry in _photo_entries(paths):
        if isinstance(entry, str):
            report.failures.append(entry)
            continue
        where = entry.get("line") or str(entry.get("path"))
        if entry.get("path"):
            got = read_local(entry["path"])
        else:
            got = picture_bytes(PageImage(url=entry["url"]), fetcher)
        if got.data is not None:
            digest = hashlib.sha256(got.data).hexdigest()
            if session.exec(select(Photo.id).where(Photo.sha256 == digest,
                                                   Photo.origin == "agency")).first():
                report.unchanged += 1
                continue
        url = entry.get("url") or (entry["path"].as_uri() if entry.get("path") else None)
        name = entry.get("publisher") or publisher
        photo = Photo(origin="agency", url=url, source=str(entry.get("path") or url)[:2000],
                      title=entry.get("title", "")[:1000], credit=entry.get("credit"),
                      taken_at=_taken_at(entry.get("taken_at")))
        embedded = _fill(photo, session, got, where)
        photo.creator = embedded.get("creator")
        photo.copyright = embedded.get("copyright")
        photo.credit = photo.credit or embedded.get("credit")
        name = name or embedded.get("credit") or embedded.get("source")
        if name:
            photo.publisher_id = publishers.resolve(name, url or "")
        if photo.error:
            report.unread += 1
            report.failures.append(f"{where}: {photo.error} (kept, not matched)")
        session.add(photo)
        report.new += 1
    session.flush()
    audit.record(session, "photo.import", actor=actor, object_type="photo",
                 after={"new": report.new, "unchanged": report.unchanged,
                        "unread": report.unread})
    session.commit()
    return report
