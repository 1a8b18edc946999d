"""The licence register: what the site may repost from whom, and whether a copy is covered.

One rule decides coverage (``covers``); matching, review items, takedown cases and the
pre-publication check all ask it, so they never disagree.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from ..models import LICENCE_KINDS, Licence, Publisher, RawDocument, User, utcnow
from ..plumbing import audit

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
EDITABLE = ("kind", "full_repost", "excerpt_limit", "translation_allowed", "photos",
            "credit_wording", "valid_from", "valid_to", "reference", "notes")


class LicenceError(ValueError):
    """A licence that cannot be saved as given; the message says what to change."""


@dataclass(frozen=True)
class Use:
    """How an article uses an original: the match kind and how many characters it copies."""

    kind: str  # verbatim, excerpt, translation
    copied_chars: int = 0


def is_valid(licence: Licence, on: date) -> bool:
    if licence.revoked_at is not None:
        return False
    if licence.valid_from and on < licence.valid_from:
        return False
    return not (licence.valid_to and on > licence.valid_to)


def covers(licence: Licence, use: Use, on: date) -> bool:
    """Whether the licence allows this use on this day (credit wording is checked apart).

    Public-domain works and press releases may be reposted in full; a translation needs the
    translation right; an excerpt is allowed by a full-repost right or within the excerpt limit.
    """
    if not is_valid(licence, on):
        return False
    if licence.kind in ("public_domain", "press_release"):
        return True
    if use.kind == "translation" and not licence.translation_allowed:
        return False
    if licence.full_repost:
        return True
    if use.kind in ("excerpt", "translation") and licence.excerpt_limit:
        return use.copied_chars <= licence.excerpt_limit
    return False


def for_publishers(session: Session, publisher_ids: set[int]) -> dict[int, list[Licence]]:
    """The licences on record for these publishers, newest first (revoked ones included)."""
    found: dict[int, list[Licence]] = {}
    if not publisher_ids:
        return found
    rows = session.exec(select(Licence).where(Licence.publisher_id.in_(publisher_ids))
                        .order_by(Licence.id.desc()))
    for licence in rows:
        found.setdefault(licence.publisher_id, []).append(licence)
    return found


def covering(licences: list[Licence], use: Use, on: date) -> Licence | None:
    return next((lic for lic in licences if covers(lic, use, on)), None)


def credit_line(publisher: str, licence: Licence | None = None) -> str:
    """The credit to add: the licence's required wording, else the desk's bilingual line."""
    if licence is not None and licence.credit_wording.strip():
        return licence.credit_wording.strip()
    return f"来源:{publisher} / Source: {publisher}"


def _clean(values: dict) -> dict:
    kind = values.get("kind", "licence")
    if kind not in LICENCE_KINDS:
        raise LicenceError(f"unknown kind of licence {kind!r}")
    limit = values.get("excerpt_limit")
    if limit is not None and (not isinstance(limit, int) or limit <= 0):
        raise LicenceError("the excerpt limit is a number of characters above zero, or empty")
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        raise LicenceError("the licence ends before it starts; check the dates")
    values["credit_wording"] = " ".join((values.get("credit_wording") or "").split())[:300]
    values["reference"] = (values.get("reference") or "").strip()[:300]
    return {k: v for k, v in values.items() if k in EDITABLE}


def _attach(session: Session, licence: Licence, document: tuple[str, bytes, str] | None) -> None:
    if document is None:
        return
    name, data, content_type = document
    if len(data) > MAX_DOCUMENT_BYTES:
        raise LicenceError("the agreement document is larger than 20 MB")
    if not data:
        raise LicenceError("the agreement document is empty")
    raw = RawDocument(sha256=hashlib.sha256(data).hexdigest(), data=data,
                      content_type=(content_type or "application/octet-stream")[:100],
                      source=f"licence:{name}"[:2000])
    session.add(raw)
    session.flush()
    licence.document_id, licence.document_name = raw.id, name[:255]


def _snapshot(licence: Licence) -> dict:
    return {k: getattr(licence, k) for k in (*EDITABLE, "publisher_id", "document_name",
                                             "revoked_at")}


def create(session: Session, *, publisher: Publisher, actor: User | str | None, values: dict,
           document: tuple[str, bytes, str] | None = None) -> Licence:
    """Record a licence (and its document); the caller commits."""
    licence = Licence(publisher_id=publisher.id, **_clean(dict(values)),
                      created_by_id=actor.id if isinstance(actor, User) else None)
    session.add(licence)
    session.flush()
    _attach(session, licence, document)
    audit.record(session, "licence.create", actor=actor, object_type="licence",
                 object_id=licence.id, after=_snapshot(licence))
    return licence


def update(session: Session, licence: Licence, *, actor: User | str | None, values: dict,
           document: tuple[str, bytes, str] | None = None) -> Licence:
    before = _snapshot(licence)
    for key, value in _clean({**_snapshot(licence), **values}).items():
        setattr(licence, key, value)
    _attach(session, licence, document)
    licence.updated_at = utcnow()
    session.add(licence)
    audit.record(session, "licence.update", actor=actor, object_type="licence",
                 object_id=licence.id, before=before, after=_snapshot(licence))
    return licence


def revoke(session: Session, licence: Licence, *, actor: User | str | None,
           now: datetime | None = None) -> bool:
    """End a licence at once; False when it was already revoked."""
    if licence.revoked_at is not None:
        return False
    licence.revoked_at = now or utcnow()
    session.add(licence)
    audit.record(session, "licence.revoke", actor=actor, object_type="licence",
                 object_id=licence.id, after={"revoked_at": licence.revoked_at})
    return True
