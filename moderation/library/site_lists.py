"""Which pages of our site to read: those its sitemaps and feeds list, or addresses given.

Each sitemap and feed is remembered as a ``SitePage`` of its kind with its validators, so a
list that did not change answers 304 and lists nothing but the pages that failed last time.
``following.follow`` reads the pages these give.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from flask_babel import gettext as _
from sqlmodel import Session, select

from ..intake.fetch import FetchError
from ..intake.site import ListAnswer, SiteFetcher, walk_sitemaps
from ..intake.urls import URLError, canonical_url
from ..models import SitePage, utcnow


@dataclass(frozen=True)
class Target:
    """A page to read: its address and, from a sitemap, when it last changed."""

    address: str
    lastmod: datetime | None = None
    listed_in: str | None = None


@dataclass
class FollowReport:
    """Counts of one pass over the site, with every failure in words."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    moved: int = 0
    refused: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(failed)s failed "
                 "(%(gone)s gone, %(moved)s moved, %(refused)s refused)",
                 new=self.new, changed=self.changed, unchanged=self.unchanged,
                 failed=self.failed, gone=self.gone, moved=self.moved, refused=self.refused)

    def as_dict(self) -> dict:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "failed": self.failed, "gone": self.gone, "moved": self.moved,
                "refused": self.refused, "requests": self.requests}


def canonical_address(address: str) -> str | None:
    try:
        return canonical_url(address)
    except URLError:
        return None


def site_page_row(session: Session, url: str, address: str, kind: str) -> SitePage:
    row = session.exec(select(SitePage).where(SitePage.url == url)).first()
    if row is None:
        row = SitePage(url=url, address=address[:2000], kind=kind)
        session.add(row)
    return row


def _retry_targets(session: Session, listed_in: str) -> list[Target]:
    """Pages of a list that failed last time: tried again even when the list is unchanged."""
    rows = session.exec(select(SitePage.address).where(SitePage.listed_in == listed_in,
                                                       SitePage.state == "failed")).all()
    return [Target(address, None, listed_in) for address in rows]


def _remember_list(session: Session, answer: ListAnswer, kind: str) -> None:
    url = canonical_address(answer.url) or answer.url
    row = site_page_row(session, url[:2000], answer.url, kind)
    if answer.listed_in:
        row.listed_in = answer.listed_in[:2000]
    row.state, row.reason, row.checked_at = answer.outcome if answer.outcome == "not_modified" \
        else "ok", None, utcnow()
    row.etag, row.last_modified = answer.etag, answer.last_modified
    if answer.outcome != "not_modified":
        row.changed_at = utcnow()


def _list_validators(session: Session, kind: str) -> dict[str, tuple[str | None, str | None]]:
    rows = session.exec(select(SitePage.address, SitePage.etag, SitePage.last_modified)
                        .where(SitePage.kind == kind, SitePage.state.in_(["ok", "not_modified"])))
    return {address: (etag, modified) for address, etag, modified in rows}


def _failed_list(session: Session, error: FetchError, kind: str, report: FollowReport) -> None:
    url = canonical_address(error.url) or error.url
    row = site_page_row(session, url[:2000], error.url, kind)
    row.state, row.reason, row.checked_at = "failed", error.reason[:1000], utcnow()
    report.failures.append(f"{error.url}: {error.reason}")


def sitemap_targets(session: Session, fetcher: SiteFetcher, sitemaps: Iterable[str],
                    report: FollowReport) -> Iterator[Target]:
    """The pages the sitemaps list (indexes followed), with their lastmod; 304s list none."""
    known = _list_validators(session, "sitemap")

    def children(index: str) -> list[str]:
        return list(session.exec(select(SitePage.address).where(
            SitePage.kind == "sitemap", SitePage.listed_in == index).order_by(SitePage.id)))

    for sitemap in sitemaps:
        for answer in walk_sitemaps(fetcher, sitemap, known, children=children):
            report.requests += 1
            if isinstance(answer, FetchError):
                _failed_list(session, answer, "sitemap", report)
                continue
            _remember_list(session, answer, "sitemap")
            for warning in answer.warnings:
                report.notes.append(f"{answer.url}: {warning}")
            if answer.outcome == "not_modified":
                yield from _retry_targets(session, answer.url)
            elif answer.sitemap.kind == "urlset":
                yield from (Target(entry.url, entry.lastmod, answer.url)
                            for entry in answer.sitemap.entries)


def feed_targets(session: Session, fetcher: SiteFetcher, feeds: Iterable[str],
                 report: FollowReport) -> Iterator[Target]:
    """The pages the feeds list; a feed answering 304 lists none (but failed pages again)."""
    known = _list_validators(session, "feed")
    for feed in feeds:
        report.requests += 1
        try:
            answer = fetcher.fetch_site_feed(feed, *known.get(feed, (None, None)))
        except FetchError as exc:
            _failed_list(session, exc, "feed", report)
            continue
        _remember_list(session, answer, "feed")
        for warning in answer.warnings:
            report.notes.append(f"{feed}: {warning}")
        if answer.outcome == "not_modified":
            yield from _retry_targets(session, feed)
            continue
        for entry in answer.entries:
            # The link as written, resolved against the feed (entry.url is canonical: https).
            yield Target(_resolve(feed, entry.link) or entry.url, None, feed)


def _resolve(base: str, link: str) -> str | None:
    try:
        return urljoin(base, link) if link else None
    except ValueError:
        return None


def page_targets(addresses: Iterable[str]) -> Iterator[Target]:
    return (Target(address.strip()) for address in addresses)
