"""Following our own site: pages read from its sitemaps, feeds and addresses become Articles.

The reading is ``intake/site.py`` (pure); this module remembers what each address answered
(``SitePage``) so the next pass asks only for what changed, stores pages through the same
``store_records`` as `articles import`, marks articles whose page is gone, and records the
new address of a page that moved. Matching runs afterwards, as after an import.
"""

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import tzinfo
from itertools import chain, islice
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, select

from ..intake.fetch import FetchError
from ..intake.records import Record
from ..intake.site import PageAnswer, SiteFetcher
from ..models import Article, SitePage, utcnow
from ..plumbing import audit
from .imports import store_records
from .site_lists import (
    FollowReport,
    Target,
    canonical_address,
    feed_targets,
    page_targets,
    sitemap_targets,
)

log = logging.getLogger(__name__)
CHUNK = 200
# Pages stored (and matched) per commit in a long pass.
SLICE = 1000


class _Pass:
    """One pass: turns targets into records for store_records, keeping SitePage current."""

    def __init__(self, session: Session, fetcher: SiteFetcher, report: FollowReport,
                 actor: str, workers: int = 1) -> None:
        self.session, self.fetcher, self.report, self.actor = session, fetcher, report, actor
        self.workers = workers
        # Pages stored under another address than their own (a canonical link, a move).
        self.elsewhere: list[tuple[SitePage, str]] = []
        self.seen: set[str] = set()  # canonical addresses read in this pass: each once

    def records(self, targets: Iterable[Target]) -> Iterator[Record]:
        chunk: list[tuple[Target, str]] = []
        for target in targets:
            url = canonical_address(target.address)
            if url is None:
                self.report.failures.append(
                    _("%(url)s: not a web address the desk can read", url=target.address))
                continue
            if url in self.seen:
                continue
            self.seen.add(url)
            chunk.append((target, url))
            if len(chunk) >= CHUNK:
                yield from self._chunk(chunk)
                chunk = []
        if chunk:
            yield from self._chunk(chunk)

    def _chunk(self, chunk: list[tuple[Target, str]]) -> Iterator[Record]:
        urls = [url for _, url in chunk]
        known = {row.url: row for row in
                 self.session.exec(select(SitePage).where(SitePage.url.in_(urls)))}
        asks: list[tuple[Target, str, SitePage, str | None, str | None]] = []
        for target, url in chunk:
            row = known.get(url)
            if (row is not None and target.lastmod is not None and row.lastmod is not None
                    and row.state in ("ok", "not_modified", "gone")
                    and target.lastmod <= row.lastmod):
                self.report.unchanged += 1  # the sitemap says so: not even asked
                continue
            if row is None:
                row = SitePage(url=url, address=target.address[:2000], kind="page")
                self.session.add(row)
            valid = row.state in ("ok", "not_modified")
            asks.append((target, url, row, row.etag if valid else None,
                         row.last_modified if valid else None))
        # Robots rules are read here, once per site, before any worker asks for a page.
        sites = {urlsplit(ask[0].address).netloc: ask[0].address for ask in asks}
        for address in sites.values():
            self.fetcher.refusal(address)
        for (target, url, row, *_rest), answer in ahead(
                self._ask, asks, workers=self.workers):
            record = self._read(target, url, row, answer)
            if record is not None:
                yield record

    def _ask(self, ask) -> PageAnswer | FetchError:
        """Ask the site for one page (in a worker thread: no database here)."""
        target, _url, _row, etag, modified = ask
        try:
            return self.fetcher.fetch_if_changed(target.address, etag, modified)
        except FetchError as exc:
            return exc

    def _read(self, target: Target, url: str, row: SitePage,
              answer: PageAnswer | FetchError) -> Record | None:
        row.checked_at = utcnow()
        row.listed_in = (target.listed_in or row.listed_in or None)
        row.listed_in = row.listed_in[:2000] if row.listed_in else None
        self.report.requests += 1
        if isinstance(answer, FetchError):
            row.state, row.reason, row.status = "failed", answer.reason[:1000], None
            self.report.failures.append(f"{target.address}: {answer.reason}")
            return None
        row.status = answer.status or None
        if answer.outcome == "refused":
            self.report.requests -= 1
            row.state, row.reason = "refused", answer.reason[:1000]
            self.report.refused += 1
            self.report.notes.append(f"{target.address}: {answer.reason}")
            return None
        if answer.outcome == "gone":
            row.state, row.reason = "gone", None
            row.lastmod = target.lastmod or row.lastmod
            self._gone(url, row, answer)
            return None
        moved = self._moved(url, row, answer)
        if answer.outcome == "not_modified":
            row.state, row.reason = "not_modified", None
            row.etag, row.last_modified = answer.etag, answer.last_modified
            row.lastmod = target.lastmod or row.lastmod
            self.report.unchanged += 1
            return None
        record = Record.from_fetched(answer.fetched)
        # A page's canonical link naming another site (the publisher we reposted) is not our
        # address: the article is known by the address it was read from.
        if not self.fetcher.ours(record.url):
            record.url, record.url_origin = answer.fetched.url, "fetched"
        if moved is not None:
            record.url = moved
        stored_as = canonical_address(record.url) or url
        if stored_as != url:
            # The page names another address of ours as canonical: follow the page, under it.
            self._rename(url, stored_as, row)
            self.elsewhere.append((row, stored_as))
        if not answer.fetched.page.segments:
            row.state, row.reason = "failed", "no article text was found in the page"
            self.report.failures.append(f"{target.address}: no article text was found in the page")
            return None
        was_gone = row.state in ("gone", "failed", "refused")  # (failed or refused since)
        row.state, row.reason = "ok", None
        row.etag, row.last_modified = answer.etag, answer.last_modified
        row.lastmod = target.lastmod or row.lastmod
        row.changed_at = utcnow()
        if was_gone:  # only a page that answered 404/410 before can bring its article back
            self._back(stored_as)
        return record

    def _gone(self, url: str, row: SitePage, answer: PageAnswer) -> None:
        article = self._article(url, row)
        if article is None:
            self.report.notes.append(
                _("%(url)s: the site answers %(status)s, and the desk never had it",
                  url=url, status=answer.status))
            return
        self.report.gone += 1
        if article.gone_at is None:
            article.gone_at = utcnow()
            self.session.add(article)
            audit.record(self.session, "article.gone", actor=self.actor, object_type="article",
                         object_id=article.id, after={"url": article.url,
                                                      "status": answer.status})

    def _back(self, url: str) -> None:
        article = self.session.exec(select(Article).where(Article.url == url)).first()
        if article is not None and article.gone_at is not None:
            article.gone_at = None
            self.session.add(article)
            audit.record(self.session, "article.back", actor=self.actor, object_type="article",
                         object_id=article.id, after={"url": url})

    def _article(self, url: str, row: SitePage) -> Article | None:
        if row.article_id is not None:
            found = self.session.get(Article, row.article_id)
            if found is not None:
                return found
        return self.session.exec(select(Article).where(Article.url == url)).first()

    def _moved(self, url: str, row: SitePage, answer: PageAnswer) -> str | None:
        """A permanent redirect to another of our addresses: the same article, a new URL."""
        if not answer.moved_to:
            return None
        new_url = canonical_address(answer.moved_to)
        if new_url is None or new_url == url:
            return None
        first_time = row.moved_to != new_url[:2000]
        row.moved_to = new_url[:2000]
        # Counted once: a sitemap still listing the old address redirects again each pass.
        if self._rename(url, new_url, row) or first_time:
            self.report.moved += 1
        return new_url

    def _rename(self, old: str, new: str, row: SitePage) -> bool:
        """Give the article at ``old`` the address ``new``; False when there is none to move."""
        article = self._article(old, row)
        if article is None or article.url == new:
            return False
        taken = self.session.exec(select(Article.id).where(Article.url == new)).first()
        if taken is not None:
            return False
        before = article.url
        article.url = new
        article.updated_at = utcnow()
        self.session.add(article)
        audit.record(self.session, "article.moved", actor=self.actor, object_type="article",
                     object_id=article.id, before={"url": before}, after={"url": new})
        self.session.flush()
        return True


def ahead(work: Callable, items: list, *, workers: int) -> Iterator[tuple]:
    """(item, work(item)) in the order given, with up to ``workers`` items worked on at once.

    At most twice ``workers`` results wait in memory, whatever the number of items.
    """
    if workers <= 1:
        yield from ((item, work(item)) for item in items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="site") as pool:
        pending: deque = deque()
        for item in items:
            pending.append((item, pool.submit(work, item)))
            if len(pending) >= 2 * workers:
                item, future = pending.popleft()
                yield item, future.result()
        while pending:
            item, future = pending.popleft()
            yield item, future.result()


def follow(session: Session, fetcher: SiteFetcher, targets: Iterable[Target], *, zone: tzinfo,
           actor: str = "site", report: FollowReport | None = None, workers: int = 1,
           after_slice: Callable[[list[int]], None] | None = None,
           slice_size: int = SLICE) -> FollowReport:
    """Read ``targets`` from our site and store what changed; returns the pass's counts.

    ``workers`` pages are fetched and read at once while the main thread stores; with a
    per-host delay the throttle still spaces every request to the site. Every
    ``slice_size`` pages what was stored is committed and handed to ``after_slice`` (the
    ids of new and changed articles, for matching), so a long first read of the site is
    matched as it goes and an interrupted pass loses at most one slice's matching.
    """
    report = report or FollowReport()
    reading = _Pass(session, fetcher, report, actor, workers)
    records = iter(reading.records(targets))
    while (first := next(records, None)) is not None:
        stored = store_records(session, chain([first], islice(records, slice_size - 1)),
                               kind="article", zone=zone, actor=actor)
        report.new += stored.new
        report.changed += stored.updated
        report.unchanged += stored.unchanged
        report.failures += stored.failures
        report.changed_ids += stored.changed_ids
        _link(session, reading)
        if after_slice is not None and stored.changed_ids:
            after_slice(stored.changed_ids)
    _link(session, reading)  # pages that stored nothing (gone, failed) are remembered too
    return report


def _link(session: Session, reading: _Pass) -> None:
    """Pages read for the first time learn which article they are (one statement for all)."""
    article_of = select(Article.id).where(Article.url == SitePage.url).scalar_subquery()
    session.exec(update(SitePage).where(SitePage.article_id.is_(None), SitePage.kind == "page")
                 .values(article_id=article_of))
    for row, stored_as in reading.elsewhere:
        row.article_id = session.exec(select(Article.id).where(Article.url == stored_as)).first()
        session.add(row)
    reading.elsewhere.clear()
    session.commit()


def log_pass(job: str, report: FollowReport, seconds: float) -> None:
    """One line per pass for the operator's logs (a JSON object with LOG_JSON)."""
    log.info("%s pass: %s in %.1f s", job, report.summary(), seconds,
             extra={"fields": {"job": job, **report.as_dict(), "seconds": round(seconds, 2)}})


__all__ = ["FollowReport", "Target", "feed_targets", "follow", "log_pass", "page_targets",
           "sitemap_targets"]  # the lists' part lives in site_lists.py
