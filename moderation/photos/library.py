"""Photos in the database: our pages' pictures, agencies' originals, and matching them."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, delete, select

from ..intake.credits import find_credit
from ..intake.images import PageImage
from ..intake.urls import URLError, canonical_url
from ..models import Article, ArticleImage, Photo, RawDocument, utcnow
from .decode import MAX_PHOTO_BYTES, PhotoError
from .index import PhotoIndex
from .metadata import embedded_credits
from .prints import PhotoPrint, print_photo_bytes

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".heic",
                  ".heif", ".avif", ".svg"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class PhotoReport:
    """Counts of one run, with every failure in words."""

    new: int = 0
    unchanged: int = 0
    unread: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class PictureBytes:
    """A picture's bytes, or why they could not be had."""

    data: bytes | None = None
    error: str | None = None
    url: str | None = None


def read_local(path: Path) -> PictureBytes:
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            return PictureBytes(error=f"the file is larger than {MAX_PHOTO_BYTES // 2**20} MB")
        return PictureBytes(path.read_bytes())
    except OSError as exc:
        return PictureBytes(error=f"the file cannot be read ({exc.strerror or exc})")


def picture_bytes(image: PageImage, fetcher=None) -> PictureBytes:
    """Bytes from the file beside the page, or from the web when a fetcher is given."""
    if image.path is not None:
        return read_local(image.path)
    if fetcher is None:
        return PictureBytes(error="not fetched (use --fetch-images to fetch pictures)")
    from ..intake.fetch import FetchError

    try:
        final, data = fetcher.fetch_image(image.url, MAX_PHOTO_BYTES)
    except FetchError as exc:
        return PictureBytes(error=exc.reason)
    return PictureBytes(data, url=final)


def _raw(session: Session, data: bytes, source: str) -> RawDocument:
    digest = hashlib.sha256(data).hexdigest()
    known = session.exec(select(RawDocument).where(RawDocument.sha256 == digest)).first()
    if known is not None:
        return known
    raw = RawDocument(sha256=digest, data=data, content_type="application/octet-stream",
                      source=source[:2000])
    session.add(raw)
    session.flush()
    return raw


def _fill(row: Photo | ArticleImage, session: Session, got: PictureBytes, source: str) -> dict:
    """Print the bytes onto the row; returns what the file says about itself."""
    if got.data is None:
        row.error = got.error
        return {}
    row.raw_id = _raw(session, got.data, source).id
    row.sha256 = hashlib.sha256(got.data).hexdigest()
    try:
        printed, _digest, notes, (width, height) = print_photo_bytes(got.data)
    except PhotoError as exc:
        row.error = exc.reason
        return {}
    row.fingerprint, row.width, row.height, row.error = printed.to_bytes(), width, height, None
    if notes and isinstance(row, Photo):
        row.warnings = notes
    return embedded_credits(got.data)


def store_article_images(session: Session, records: Iterable, *, fetcher=None) -> PhotoReport:
    """Keep each imported page's pictures (replacing what an earlier import kept)."""
    report = PhotoReport()
    for record in records:
        if not record.ok or not record.images:
            continue
        try:
            url = record.url if record.url_origin == "file" else canonical_url(record.url)
        except URLError:
            continue
        article = session.exec(select(Article).where(Article.url == url)).first()
        if article is None:
            continue
        session.exec(delete(ArticleImage).where(ArticleImage.article_id == article.id))
        for position, image in enumerate(record.images):
            row = ArticleImage(article_id=article.id, position=position, url=image.url[:2000],
                               alt=image.alt, caption=image.caption,
                               credit_line=(image.credit_line or None))
            embedded = _fill(row, session, picture_bytes(image, fetcher), image.url)
            row.embedded = embedded
            if not row.credit_line and (embedded.get("credit") or embedded.get("copyright")):
                row.credit_line = (embedded.get("credit") or embedded["copyright"])[:500]
            if row.error:
                report.unread += 1
                report.failures.append(f"{article.url}: picture {image.url}: {row.error}")
            report.new += 1
            session.add(row)
        session.flush()
    session.commit()
    return report


def agency_index(session: Session) -> PhotoIndex:
    """Every readable agency photo's print, by Photo id (kept in the index folder)."""
    from .shelf import photo_index

    return photo_index(session, "agency")


def match_article_images(session: Session, article_ids: list[int] | None = None) -> int:
    """Find each article picture's original among the agency photos; returns how many match."""
    index = agency_index(session)
    query = select(ArticleImage).where(ArticleImage.fingerprint.is_not(None))
    if article_ids is not None:
        query = query.where(ArticleImage.article_id.in_(article_ids))
    matched = 0
    now = utcnow()
    for image in session.exec(query).all():
        found = index.lookup(PhotoPrint.from_bytes(image.fingerprint), limit=1)
        if found:
            image.photo_id, image.kind = found[0][0], found[0][1].kind
            image.similarity = found[0][1].similarity
            matched += found[0][1].is_copy
        else:
            image.photo_id = image.kind = image.similarity = None
        image.matched_at = now
        session.add(image)
    session.commit()
    return matched


def credit_names(session: Session) -> dict[int, list[str]]:
    """Each publisher's name and aliases, for reading credit lines."""
    from ..models import Publisher

    return {p.id: [p.name, *p.aliases] for p in session.exec(select(Publisher))}


__all__ = ["PhotoReport", "agency_index", "credit_names", "find_credit", "match_article_images",
           "store_article_images"]
