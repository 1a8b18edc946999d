"""Photos in claims: pictures attached to a notice or named by URL, matched against our pages."""

import email
import email.policy
import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from ..intake.credits import names_in_credit
from ..intake.images import PageImage
from ..models import Article, ArticleImage, MailMessage, Photo, Publisher, utcnow
from .index import PhotoIndex
from .library import PictureBytes, _fill, picture_bytes
from .prints import PhotoPrint

# An address that names a picture file (the claimant's copy of the photo, or ours).
IMAGE_URL = re.compile(r"https?://[^\s<>\"'()]+?\.(?:jpe?g|png|gif|webp|tiff?|bmp|heic|avif)"
                       r"(?:\?[^\s<>\"'()]*)?(?=[\s<>\"'()]|$)", re.IGNORECASE)
IMAGE_NAMES = re.compile(r"\.(jpe?g|png|gif|webp|tiff?|bmp|heic|heif|avif|svg)$", re.IGNORECASE)
MAX_CLAIM_PHOTOS = 20
# A MIME part that may be a picture: an image type, or a file name with a picture's extension.
IMAGE_PART = re.compile(
    rb"content-type:\s*image/|name\*?=\s*\"?[^\r\n\";]*\.(jpe?g|png|gif|webp|tiff?|bmp|heic|heif|avif|svg)\b",
    re.IGNORECASE)


def attached_pictures(raw: bytes) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each picture attached to a message, at most MAX_CLAIM_PHOTOS."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # a message the parser cannot walk has no pictures to offer
        return []
    found = []
    for number, part in enumerate(message.walk(), 1):
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        if part.get_content_maintype() != "image" and not IMAGE_NAMES.search(name):
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # a broken transfer encoding: the picture is not there
            continue
        if data:
            found.append((name or f"picture-{number}.{part.get_content_subtype()}", data))
        if len(found) >= MAX_CLAIM_PHOTOS:
            break
    return found


def mentions_pictures(message: MailMessage) -> bool:
    """Whether a stored message has a picture attached or names one by address."""
    for attachment in message.attachments or []:
        if str(attachment.get("type") or "").startswith("image/") or IMAGE_NAMES.search(
                str(attachment.get("name") or "")):
            return True
    return bool(IMAGE_URL.search(message.text or "") or IMAGE_URL.search(message.html or ""))


def image_urls(*texts: str) -> list[str]:
    """Picture addresses in the texts, once each: the notice's claimed originals come back
    canonical (http folded into https), so the same address in two spellings is one picture,
    kept as the letter first wrote it."""
    seen: dict[str, str] = {}
    for text in texts:
        for match in IMAGE_URL.finditer(text or ""):
            url = match.group(0).rstrip(".,;")
            seen.setdefault(url.split("://", 1)[-1], url)
    return list(seen.values())[:MAX_CLAIM_PHOTOS]


def keep_claim_photos(session: Session, message: MailMessage, extra_urls=(), *,
                     fetch: bool = False, fetcher=None) -> list[Photo]:
    """Keep the pictures a claim carries or names, each with its print (or why it has none);
    a message whose pictures are already kept is left as it is.

    Pictures named by address are fetched when ``fetch`` is set (the desk's setting for
    fetching what claims name, FETCH_CLAIMED_ORIGINALS), with the same limits and per-host
    delay as originals; one that cannot be fetched is kept with the reason, in words."""
    if session.exec(select(Photo.id).where(Photo.message_id == message.id)).first():
        return []
    kept = []
    for name, data in attached_pictures(message.raw or b""):
        photo = Photo(origin="notice", message_id=message.id, source=name[:2000])
        _fill(photo, session, PictureBytes(data), f"message {message.id}: {name}")
        session.add(photo)
        kept.append(photo)
    urls = image_urls(message.text, message.html, *extra_urls)
    own = None
    if urls and fetch and fetcher is None:
        from ..intake import Fetcher

        fetcher = own = Fetcher()
    try:
        for url in urls:
            photo = Photo(origin="notice", message_id=message.id, url=url[:2000],
                          source=url[:2000])
            if fetcher is None:
                photo.error = "named by its address only; the picture was not fetched"
            else:
                got = picture_bytes(PageImage(url=url), fetcher)
                if got.data is None:
                    got.error = f"could not be fetched: {got.error}"
                _fill(photo, session, got, url)
            session.add(photo)
            kept.append(photo)
    finally:
        if own is not None:
            own.close()
    session.flush()
    return kept


def keep_batch_claim_photos(session: Session, message_ids: list[int], *,
                            fetch: bool = False) -> None:
    """After a batch of mail is read: the pictures of each notice or inquiry in it (an agency's
    fee letter often reads as an inquiry), committed.

    Most mail carries no picture: what each message holds is read in one query, and only a
    message with an image part or a picture's address is parsed again for its pictures."""
    from ..models import Notice

    if not message_ids:
        return
    rows = session.exec(
        select(MailMessage.id, MailMessage.raw, MailMessage.text, MailMessage.html,
               MailMessage.case_id, Notice.id, Notice.original_urls)
        .outerjoin(Notice, Notice.message_id == MailMessage.id)
        .where(MailMessage.id.in_(message_ids)).order_by(MailMessage.id)).all()
    for message_id, raw, text, html, case_id, notice_id, original_urls in rows:
        if notice_id is None and case_id is None:
            continue
        if not (IMAGE_PART.search(raw or b"") or image_urls(text, html, *(original_urls or []))):
            continue
        keep_claim_photos(session, session.get(MailMessage, message_id),
                          extra_urls=original_urls or [], fetch=fetch)
        session.commit()


@dataclass
class ClaimedPhoto:
    """One claimed photo and the pictures of ours it matches (empty: not found on our site)."""

    photo: Photo
    matches: list[dict] = field(default_factory=list)
    searched: int = 0

    @property
    def source(self) -> str:
        return self.photo.source or self.photo.url or ""


def our_pictures_index(session: Session) -> PhotoIndex:
    """The pictures on our pages, by ArticleImage id (kept in the index folder)."""
    from .shelf import photo_index

    return photo_index(session, "ours")


def _licensed(session: Session, publisher_id: int | None, on: date) -> bool:
    from ..reports.photos import is_licensed, photo_licences

    return bool(publisher_id) and is_licensed(photo_licences(session), publisher_id, on)


def claimed_photos(session: Session, message_ids: list[int],
                   index: PhotoIndex | None = None) -> dict[int, list[ClaimedPhoto]]:
    """For each message, its claimed photos with our matching pictures (copies first)."""
    photos = session.exec(select(Photo).where(Photo.origin == "notice",
                                              Photo.message_id.in_(message_ids))
                          .order_by(Photo.id)).all()
    if not photos:
        return {}
    index = index if index is not None else our_pictures_index(session)
    names = {p.id: [p.name, *p.aliases] for p in session.exec(select(Publisher))}
    found: dict[int, list[ClaimedPhoto]] = {}
    for photo in photos:
        claimed = ClaimedPhoto(photo, searched=len(index))
        hits: dict[int, tuple[str, float]] = {}
        if photo.fingerprint:
            for image_id, match in index.lookup(PhotoPrint.from_bytes(photo.fingerprint), 10):
                hits[image_id] = (match.kind, match.similarity)
        if photo.url:
            for image_id in session.exec(select(ArticleImage.id).where(
                    ArticleImage.url == photo.url)):
                hits.setdefault(image_id, ("same", 1.0))
        for image_id, (kind, similarity) in hits.items():
            image = session.get(ArticleImage, image_id)
            article = session.get(Article, image.article_id)
            agency = session.get(Photo, image.photo_id) if image.photo_id else None
            publisher_id = agency.publisher_id if agency else None
            on = article.published_at.date() if article.published_at else utcnow().date()
            claimed.matches.append({
                "article_id": article.id, "article_url": article.url,
                "article_title": article.title, "image": image.url, "image_id": image.id,
                "kind": kind, "similarity": similarity, "credit_line": image.credit_line,
                "publisher": names.get(publisher_id, [None])[0],
                "credited": names_in_credit(image.credit_line, names.get(publisher_id, [])),
                "licensed": _licensed(session, publisher_id, on),
            })
        claimed.matches.sort(key=lambda m: (m["kind"] == "similar", -m["similarity"]))
        found.setdefault(photo.message_id, []).append(claimed)
    return found


def export_photos(claims: list[ClaimedPhoto]) -> list[dict]:
    """`notices export`'s photos: [{source, matches: [{article_url, image}]}] (copies only)."""
    return [{"source": claim.source,
             "matches": [{"article_url": m["article_url"], "image": m["image"], "kind": m["kind"]}
                         for m in claim.matches if m["kind"] != "similar"]}
            for claim in claims]
