"""Storing imported pages as Articles and Originals: idempotent by canonical URL, raw kept."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from ..intake.records import Record, RecordError
from ..intake.urls import URLError, canonical_host, canonical_url
from ..models import Article, Original, Publisher, PublisherDomain, RawDocument, User, utcnow
from ..plumbing import audit

BATCH = 200
MAX_URL = 2000  # the length of the url columns


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
        return _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(failed)s failed",
                 new=self.new, updated=self.updated, unchanged=self.unchanged,
                 failed=self.failed)


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
        label = (name or host)[:200]
        if name and name.casefold() in self.by_name:
            publisher_id = self.by_name[name.casefold()]
        else:
            publisher_id = self.for_domain(host) if not name else None
            if publisher_id is None:
                # A local file naming no publisher has no host either: the next such file
                # finds the same nameless publisher instead of adding it twice.
                publisher_id = self.by_name.get(label.casefold())
            if publisher_id is None:
                publisher = Publisher(name=label)
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


def _chunks(items: Iterable, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Store:
    """Writes one batch of records; the caller decides the transaction boundaries."""

    def __init__(self, session: Session, kind: str, zone: tzinfo):
        self.session, self.kind, self.zone = session, kind, zone
        self.model = Article if kind == "article" else Original
        self.publishers = PublisherDirectory(session) if kind == "original" else None

    def existing(self, urls: list[str]) -> dict[str, Article | Original]:
        rows = self.session.exec(select(self.model).where(self.model.url.in_(urls)))
        return {row.url: row for row in rows}

    def put(self, record: Record, url: str, known: dict) -> str:
        """Add or update one record; returns "new", "updated" or "unchanged"."""
        text_hash = record.page.text_hash
        existing = known.get(url)
        if existing is not None and existing.text_hash == text_hash:
            return "unchanged"
        if self.kind == "article":
            fields = _article_fields(record, self.zone)
        else:
            fields = _original_fields(record, self.zone, self.publishers, url)
        if existing is None:
            row = self.model(url=url, text_hash=text_hash, **fields)
            outcome = "new"
        else:
            row = existing
            for name, value in fields.items():
                setattr(row, name, value)
            row.previous_text_hash, row.text_hash = row.text_hash, text_hash
            row.updated_at = utcnow()
            outcome = "updated"
        self.pending.append((row, _raw_document(record)))
        known[url] = row
        return outcome

    def flush(self) -> None:
        """Write the batch's raw documents first (batched INSERTs), then the rows using them."""
        self.session.add_all(raw for _, raw in self.pending if raw is not None)
        self.session.flush()
        for row, raw in self.pending:
            if raw is not None:
                row.raw_id = raw.id
            self.session.add(row)
        self.session.flush()
        self.pending = []


def store_records(
    session: Session, records: Iterable[Record | RecordError], *, kind: str, zone: tzinfo,
    actor: User | str | None = "cli", on_item: Callable[[], None] | None = None,
    commit: bool = True,
) -> ImportReport:
    """Store each record as an Article (kind "article") or Original, a batch per transaction.

    With ``commit=False`` nothing is committed: the caller's transaction holds it all.

    A batch is written at once (one query to find what exists, batched inserts); if the
    database refuses it, the batch is written again record by record, each in a savepoint,
    so one bad record is reported and every other one is kept.
    """
    report = ImportReport()
    store = _Store(session, kind, zone)
    for batch in _chunks(records, BATCH):
        ready: list[tuple[Record, str]] = []
        for record in batch:
            if on_item:
                on_item()
            if not record.ok:
                report.failures.append(str(record))
                continue
            try:
                # A local file without a URL of its own is known by its file: address, which
                # is unique on this machine; --base-url gives it a web address instead.
                url = record.url if record.url_origin == "file" else canonical_url(record.url)
            except URLError as exc:
                report.failures.append(
                    f"{_where(record)}: the address {record.url!r} cannot be used: {exc}")
                continue
            if len(url) > MAX_URL:
                report.failures.append(f"{_where(record)}: the address is longer than {MAX_URL} "
                                       "characters, which the desk does not store")
                continue
            ready.append((record, url))
        if not ready:
            continue
        try:
            outcomes = _write(store, ready)
        except SQLAlchemyError:
            if not commit:
                raise  # inside the caller's transaction: let the caller decide
            session.rollback()
            store = _Store(session, kind, zone)
            outcomes = []
            for record, url in ready:
                try:
                    outcomes += _write(store, [(record, url)], nested=True)
                except SQLAlchemyError as exc:
                    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
                    report.failures.append(f"{_where(record)}: the database refused it: {reason}")
        for outcome, row in outcomes:
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                report.changed_ids.append(row.id)
        if commit:
            session.commit()
    audit.record(session, f"{kind}.import", actor=actor, object_type=kind,
                 after={"new": report.new, "updated": report.updated,
                        "unchanged": report.unchanged, "failed": report.failed})
    if commit:
        session.commit()
    return report


def _where(record: Record) -> str:
    return f"{record.source}, line {record.line}" if record.line else str(record.source)


def _write(store: _Store, ready: list[tuple[Record, str]], nested: bool = False) -> list:
    """Write records; with ``nested`` inside a savepoint, so a failure costs only these."""
    store.pending = []
    if nested:
        with store.session.begin_nested():
            return _write(store, ready)
    known = store.existing([url for _, url in ready])
    outcomes = []
    for record, url in ready:
        outcome = store.put(record, url, known)
        outcomes.append((outcome, known[url]))
    store.flush()
    return outcomes
