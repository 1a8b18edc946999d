"""The photo indexes kept in the index folder: read once per process, brought up to date from
the database (rows added since, rows gone) and written back when they changed.

Two indexes: the agencies' photos (``agency``, which our pictures are matched against) and
the pictures on our pages (``ours``, which the photos in claims are matched against). Row ids
only grow, so what was added since the file was written is one query (``id > high water``);
rows removed are found by counting, and only then by listing the ids.
"""

import logging
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import func
from sqlmodel import Session, select

from ..models import ArticleImage, Photo
from .index import PhotoIndex
from .prints import PhotoPrint

log = logging.getLogger(__name__)
SHELVES = ("agency", "ours")
BATCH = 5000


def _table(which: str):
    if which == "agency":
        return Photo, (Photo.origin == "agency", Photo.fingerprint.is_not(None))
    return ArticleImage, (ArticleImage.fingerprint.is_not(None),)


def photo_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "photos"


def _open(path: Path | None) -> PhotoIndex:
    if path is None or not path.exists():
        return PhotoIndex()
    try:
        return PhotoIndex.load(path)
    except (OSError, ValueError, KeyError) as exc:
        # Another version's file, or a damaged one: the database holds every print, so the
        # index is simply rebuilt from it.
        log.warning("photo index %s is rebuilt from the database: %s", path, exc)
        return PhotoIndex()


def sync(session: Session, index: PhotoIndex, which: str) -> bool:
    """Bring ``index`` in line with the database; True when it changed."""
    table, wanted = _table(which)
    changed = False
    last = index.high_water
    while True:
        rows = session.exec(select(table.id, table.fingerprint).where(
            *wanted, table.id > last).order_by(table.id).limit(BATCH)).all()
        if not rows:
            break
        index.add_many((key, PhotoPrint.from_bytes(data)) for key, data in rows)
        last = rows[-1][0]
        index.high_water = max(index.high_water, last)
        changed = True
    held = session.exec(select(func.count()).select_from(table).where(
        *wanted, table.id <= index.high_water)).one()
    if held != len(index):
        alive = set(session.exec(select(table.id).where(*wanted)).all())
        gone = [key for key in index.prints if key not in alive]
        index.remove(gone)
        # Rows below the high water that gained a print since (read again later, say).
        missing = sorted(alive - set(index.prints))
        for start in range(0, len(missing), BATCH):
            index.add_many((key, PhotoPrint.from_bytes(data)) for key, data in session.exec(
                select(table.id, table.fingerprint).where(
                    table.id.in_(missing[start:start + BATCH]))).all())
        changed = changed or bool(gone) or bool(missing)
    return changed


def photo_index(session: Session, which: str) -> PhotoIndex:
    """The index of ``which`` (see SHELVES), up to date; kept by the app between calls."""
    if which not in SHELVES:
        raise ValueError(f"no photo index called {which!r}")
    app = current_app._get_current_object() if has_app_context() else None
    shelves = app.extensions.setdefault("moderation.photo_indexes", {}) if app else {}
    path = photo_folder(app) / f"{which}.npz" if app else None
    index = shelves.get(which)
    if index is None:
        index = _open(path)
    if sync(session, index, which) and path is not None:
        try:
            index.save(path)
        except OSError as exc:
            # Kept in memory all the same: the next process rebuilds what it cannot read.
            log.warning("photo index %s could not be written: %s", path, exc)
    shelves[which] = index
    return index
