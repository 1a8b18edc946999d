"""Storing imported pages as Articles and Originals: idempotent by canonical URL, raw kept."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from . import audit
from .intake.records import Record, RecordError
from .intake.urls import URLError, canonical_host, canonical_url
from .models import Article, Original, Publisher, PublisherDomain, RawDocument, User, utcnow

BATCH = 200


@dataclass
class ImportReport:
    """Counts of one import run, with every failure in words."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed")


class PublisherDirectory:
    """Finds (or adds) the publisher of an original by its name, an alias or its domain."""

    def __init__(self, session: Session):
        self.session = session
        self.by_name: dict[str, int] = {}
        self.by_domain: dict[str, int] = {}
        for publisher in session.exec(select(Publisher)):
            for name in [publisher.name, *publisher.aliases]:
                self.by_name[name.casefold()] = publisher.id
        for row in session.exec(select(PublisherDomain)):
            self.by_domain[row.domain] = row.publisher_id

    def for_domain(self, host: str) -> int | None:
        parts = host.split(".")
        for start in range(len(parts) - 1):
            found = self.by_domain.get(".".join(parts[start:]))
            if found:
                return found
        return None

    def resolve(self, name: str | None, url: str) -> int:
        host = canonical_host(urlsplit(url).hostname or "")
        if name and name.casefold() in self.by_name:
            publisher_id = self.by_name[name.casefold()]
        else:
            publisher_id = self.for_domain(host) if not name else None
            if publisher_id is None:
                publisher = Publisher(name=(name or host)[:200])
                self.session.add(publisher)
                self.session.flush()
                publisher_id = publisher.id
                self.by_name[publisher.name.casefold()] = publisher_id
        if host and host not in self.by_domain:
            self.session.add(PublisherDomain(domain=host, publisher_id=publisher_id))
            self.by_domain[host] = publisher_id
        return publisher_id


def aware(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """Attach ``zone`` to a time the page gave without one; leave zoned times as they are."""
    if moment is None:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _raw_document(record: Record) -> RawDocument | None:
    data = record.raw
    if data is None:
        return None
    content_type = "text/html" if record.html is not None or record.source.suffix in (
        ".html", ".htm", ".xhtml") else "text/plain"
    where = f"{record.source}:{record.line}" if record.line else str(record.source)
    return RawDocument(sha256=hashlib.sha256(data).hexdigest(), data=data,
                       content_type=content_type, source=where[:2000])


def _article_fields(record: Record, zone: tzinfo) -> dict:
    page = record.page
    return {
        "title": (record.title or page.title or "")[:1000],
        "published_at": aware(record.published_at or page.published_at, zone),
        "claimed_source": (record.claimed_source or page.claimed_source or None),
        "language": record.language or page.language,
        "segments": [{"language": s.language, "text": s.text} for s in page.segments],
    }


def _original_fields(record: Record, zone: tzinfo, publishers: PublisherDirectory, url: str):
    page = record.page
    return {
        "title": (record.title or page.title or page.original_title or "")[:1000],
        "published_at": aware(record.published_at or page.published_at, zone),
        "language": record.language or page.language,
        "text": page.body,
        "publisher_id": publishers.resolve(record.publisher or page.publisher, url),
    }


def store_records(
    session: Session, records: Iterable[Record | RecordError], *, kind: str, zone: tzinfo,
    actor: User | str | None = "cli", on_item: Callable[[], None] | None = None,
) -> ImportReport:
    """Store each record as an Article (kind "article") or Original; commit in batches.

    Each record goes in its own savepoint, so one bad record is reported and the rest stay.
    """
    model = Article if kind == "article" else Original
    report = ImportReport()
    publishers = PublisherDirectory(session) if kind == "original" else None
    pending = 0
    for record in records:
        if on_item:
            on_item()
        if not record.ok:
            report.failures.append(str(record))
            continue
        where = f"{record.source}, line {record.line}" if record.line else str(record.source)
        try:
            # A local file without a URL of its own is known by its file: address, which is
            # unique on this machine; --base-url gives it a web address instead.
            url = record.url if record.url_origin == "file" else canonical_url(record.url)
        except URLError as exc:
            report.failures.append(f"{where}: the address {record.url!r} cannot be used: {exc}")
            continue
        text_hash = record.page.text_hash
        try:
            with session.begin_nested():
                existing = session.exec(select(model).where(model.url == url)).first()
                if existing is not None and existing.text_hash == text_hash:
                    report.unchanged += 1
                    continue
                if kind == "article":
                    fields = _article_fields(record, zone)
                else:
                    fields = _original_fields(record, zone, publishers, url)
                raw = _raw_document(record)
                if raw is not None:
                    session.add(raw)
                    session.flush()
                    fields["raw_id"] = raw.id
                if existing is None:
                    row = model(url=url, text_hash=text_hash, **fields)
                else:
                    row = existing
                    for name, value in fields.items():
                        setattr(row, name, value)
                    row.previous_text_hash, row.text_hash = row.text_hash, text_hash
                    row.updated_at = utcnow()
                session.add(row)
                session.flush()
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            report.failures.append(f"{where}: the database refused it: {reason}")
            continue
        if existing is None:
            report.new += 1
        else:
            report.updated += 1
        report.changed_ids.append(row.id)
        pending += 1
        if pending >= BATCH:
            session.commit()
            pending = 0
    audit.record(session, f"{kind}.import", actor=actor, object_type=kind,
                 after={"new": report.new, "updated": report.updated,
                        "unchanged": report.unchanged, "failed": report.failed})
    session.commit()
    return report
