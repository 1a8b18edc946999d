"""Following our site: `articles fetch`, `articles feed` and `articles sitemap`."""

import sys
import time
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from .. import provenance
from ..intake.site import SiteFetcher
from ..library.following import (
    FollowReport,
    feed_targets,
    follow,
    log_pass,
    page_targets,
    sitemap_targets,
)
from ..plumbing import db
from . import friendly
from .library import articles_group, load_boilerplate


def _options(command):
    command = click.option("--watch", is_flag=True,
                           help="Keep reading: one pass every --interval seconds.")(command)
    command = click.option("--interval", default=300, show_default=True,
                           type=click.IntRange(min=1),
                           help="Seconds between passes with --watch.")(command)
    command = click.option("--delay", type=click.FloatRange(min=0),
                           help="Seconds between two requests to the site (default: the "
                           "SITE_FETCH_DELAY setting; robots.txt's Crawl-delay wins if "
                           "longer).")(command)
    return command


def _fetcher(delay: float) -> SiteFetcher:
    config = current_app.config
    return SiteFetcher(list(config["SITE_DOMAINS"]), delay=delay,
                       contact=str(config.get("SITE_CRAWLER_CONTACT") or ""),
                       boilerplate=load_boilerplate())


def _one_pass(job: str, targets_of, delay: float) -> FollowReport:
    """Read the site once: list the pages, read what changed, store it, match it."""
    started = time.perf_counter()
    session = db.get_session()
    zone = ZoneInfo(str(current_app.config["SITE_TIMEZONE"]))
    report = FollowReport()
    counts = {"matched": 0, "unmatched": 0}

    def match(changed_ids: list[int]) -> None:
        found = provenance.after_import(session, provenance.get_index(), kind="article",
                                        changed_ids=changed_ids)
        counts["matched"] += found["matched"]
        counts["unmatched"] += found["unmatched"]

    with _fetcher(delay) as fetcher:
        # Without a delay (a benchmark, a site of our own on the same network) a few pages are
        # fetched at once; with one, a single worker keeps to it.
        follow(session, fetcher, targets_of(session, fetcher, report), zone=zone, report=report,
               workers=1 if delay > 0 else 4, after_slice=match)
    click.echo(_("Articles: %(summary)s", summary=report.summary()))
    for note in report.notes:
        click.echo(_("  note: %(note)s", note=note), err=True)
    for failure in report.failures:
        click.echo(_("  failed: %(failure)s", failure=failure), err=True)
    if report.changed_ids:
        click.echo(_("Provenance: %(matched)s article(s) matched, %(unmatched)s without a "
                     "known original.", matched=counts["matched"],
                     unmatched=counts["unmatched"]))
    log_pass(job, report, time.perf_counter() - started)
    return report


def _run(job: str, targets_of, watch: bool, interval: int, delay: float | None,
         *, refusals_fail: bool = False) -> None:
    """Run passes; exit 1 after a single pass with failures (or, for addresses given by
    hand, refusals: a page the desk will not read is then a mistake worth a non-zero exit)."""
    db.upgrade(db.get_engine())
    if delay is None:
        delay = float(current_app.config.get("SITE_FETCH_DELAY") or 0)
    if not current_app.config["SITE_DOMAINS"]:
        raise click.ClickException(_("No domains of our site are set: set SITE_DOMAINS "
                                     "(MODERATION_SITE_DOMAINS=example.com,www.example.com)."))
    while True:
        try:
            report = _one_pass(job, targets_of, delay)
        except (db.DatabaseUnavailable, DBAPIError) as exc:
            if not watch:
                raise
            db.get_session().rollback()
            click.echo(_("database: %(error)s Trying again in %(n)s s.", error=exc, n=interval),
                       err=True)
            report = None
        if not watch:
            if report is not None and (report.failed or (refusals_fail and report.refused)):
                sys.exit(1)
            return
        db.get_session().close()
        time.sleep(interval)


@articles_group.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@_options
@with_appcontext
@friendly
def articles_fetch(urls, watch, interval, delay):
    """Read pages of our site (SITE_DOMAINS) and keep them as articles, then match them."""
    _run("articles fetch", lambda session, fetcher, report: page_targets(urls),
         watch, interval, delay, refusals_fail=True)


@articles_group.command("feed")
@click.argument("feeds", nargs=-1, required=True)
@_options
@with_appcontext
@friendly
def articles_feed(feeds, watch, interval, delay):
    """Read the pages our site's RSS or Atom feeds list, as articles."""
    _run("articles feed",
         lambda session, fetcher, report: feed_targets(session, fetcher, feeds, report),
         watch, interval, delay)


@articles_group.command("sitemap")
@click.argument("sitemaps", nargs=-1, required=True)
@_options
@with_appcontext
@friendly
def articles_sitemap(sitemaps, watch, interval, delay):
    """Read the pages our site's sitemaps list (indexes and .xml.gz too), as articles.

    A page whose <lastmod> has not moved since the last pass is not asked for again.
    """
    _run("articles sitemap",
         lambda session, fetcher, report: sitemap_targets(session, fetcher, sitemaps, report),
         watch, interval, delay)
