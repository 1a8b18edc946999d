"""Articles and originals: import from files, fetch from the web, export."""

import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlmodel import select

from .. import provenance
from ..intake import BoilerplateModel, Fetcher, FetchError, iter_records
from ..intake.records import Record
from ..library.imports import ImportReport, store_records
from ..models import Article
from ..plumbing import db
from . import friendly

BOILERPLATE_FILE = "boilerplate.json"


def boilerplate_path() -> Path:
    return Path(current_app.instance_path) / BOILERPLATE_FILE


def load_boilerplate() -> BoilerplateModel:
    """The site's learned boilerplate (lines recurring across our pages), empty at first."""
    path = boilerplate_path()
    if path.exists():
        try:
            return BoilerplateModel.from_json(path.read_text(encoding="utf-8"))
        except ValueError:
            click.echo(
                _(
                    "Warning: %(path)s could not be read; starting a new boilerplate model.",
                    path=path,
                ),
                err=True,
            )
    return BoilerplateModel()


def save_boilerplate(model: BoilerplateModel) -> None:
    path = boilerplate_path()
    model.prune()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(model.to_json(), encoding="utf-8")
    temporary.replace(path)


def run_import(records, *, kind: str, label: str) -> ImportReport:
    """Store records with a progress display on a terminal, then print the counts."""
    db.upgrade(db.get_engine())
    zone = ZoneInfo(str(current_app.config["SITE_TIMEZONE"]))
    session = db.get_session()
    with click.progressbar(
        length=0, label=label, show_pos=True, file=sys.stderr if sys.stderr.isatty() else None
    ) as bar:
        report = store_records(
            session, records, kind=kind, zone=zone, on_item=lambda: bar.update(1)
        )
    click.echo(f"{label}: {report.summary()}")
    for failure in report.failures:
        click.echo(_("  failed: %(failure)s", failure=failure), err=True)
    if report.changed_ids:
        counts = provenance.after_import(
            session, provenance.get_index(), kind=kind, changed_ids=report.changed_ids
        )
        click.echo(
            _(
                "Provenance: %(matched)s article(s) matched, %(unmatched)s without a known "
                "original.",
                matched=counts["matched"],
                unmatched=counts["unmatched"],
            )
        )
    return report


def _keep_pictures(records, fetch_images: bool) -> None:
    """Store the pages' pictures and look for their originals among agency photos."""
    if not any(record.ok and record.images for record in records):
        return
    from ..photos.library import match_article_images, store_article_images
    from ..photos.review import raise_photo_items

    session = db.get_session()
    fetcher = Fetcher() if fetch_images else None
    try:
        pictures = store_article_images(session, records, fetcher=fetcher)
    finally:
        if fetcher is not None:
            fetcher.close()
    matched = match_article_images(session)
    raise_photo_items(session)
    click.echo(_("Pictures: %(count)s kept, %(unread)s without readable bytes, %(matched)s "
                 "copied from a known photo", count=pictures.new, unread=pictures.unread,
                 matched=matched))
    for failure in pictures.failures[:50]:
        click.echo(_("  picture: %(failure)s", failure=failure), err=True)


def _finish(report: ImportReport) -> None:
    if report.failed:
        sys.exit(1)


@click.group("articles")
def articles_group():
    """Our articles (pages of the site)."""


@articles_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--base-url", help="URL of the folder given, for files that carry no URL.")
@click.option("--fetch-images", is_flag=True,
              help="Fetch pictures from the web (local pages' own files are always read).")
@with_appcontext
@friendly
def articles_import(paths, base_url, fetch_images):
    """Import pages of our site: .jsonl, .txt, .html files or folders (recursive)."""
    model = load_boilerplate()
    records = list(iter_records(paths, base_url=base_url, boilerplate=model))
    report = run_import(records, kind="article", label=_("Articles"))
    _keep_pictures(records, fetch_images)
    for record in records:
        # Only text pages teach the model: an HTML page's lines are markup, not site lines.
        if record.ok and record.html is None and record.raw_text:
            model.add(record.raw_text)
    save_boilerplate(model)
    _finish(report)


@articles_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@with_appcontext
@friendly
def articles_export(fmt, output):
    """Print every article with its language segments as JSON."""
    db.check_connection(db.get_engine())
    rows = db.get_session().exec(select(Article).order_by(Article.id))
    items = [
        {
            "url": a.url,
            "title": a.title,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "claimed_source": a.claimed_source,
            "status": a.status,
            "segments": [{"language": s["language"], "text": s["text"]} for s in a.segments],
        }
        for a in rows
    ]
    json.dump(items, output, ensure_ascii=False, indent=2)
    output.write("\n")


@click.group("originals")
def originals_group():
    """Publishers' originals that our articles may copy."""


@originals_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--publisher", help="Publisher of files that do not name one.")
@click.option("--base-url", help="URL of the folder given, for files that carry no URL.")
@with_appcontext
@friendly
def originals_import(paths, publisher, base_url):
    """Import originals: .jsonl, .txt (first line = title), .html files or folders."""
    records = iter_records(paths, publisher=publisher, base_url=base_url)
    _finish(run_import(records, kind="original", label=_("Originals")))


def _fetched_records(urls, fetcher: Fetcher, publisher: str | None, failures: list[str]):
    for url in urls:
        try:
            fetched = fetcher.page(url)
        except FetchError as exc:
            failures.append(f"{url}: {exc.reason}")
            continue
        yield Record.from_fetched(fetched, publisher=publisher)


@originals_group.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@click.option("--publisher", help="Publisher of these pages, if the pages do not say.")
@with_appcontext
@friendly
def originals_fetch(urls, publisher):
    """Fetch originals from the web and keep their main text."""
    failures: list[str] = []
    with Fetcher() as fetcher:
        report = run_import(
            _fetched_records(urls, fetcher, publisher, failures),
            kind="original",
            label=_("Originals"),
        )
    for failure in failures:
        click.echo(_("  failed: %(failure)s", failure=failure), err=True)
    if failures or report.failed:
        sys.exit(1)


@originals_group.command("feed")
@click.argument("feeds", nargs=-1, required=True)
@click.option("--publisher", help="Publisher of the feed's articles, if the pages do not say.")
@click.option("--limit", default=50, show_default=True, help="Most entries to fetch per feed.")
@with_appcontext
@friendly
def originals_feed(feeds, publisher, limit):
    """Fetch the articles listed in RSS or Atom feeds as originals."""
    failures: list[str] = []
    with Fetcher() as fetcher:
        links: list[str] = []
        for feed in feeds:
            try:
                links += [entry.link for entry in fetcher.feed(feed)[:limit]]
            except FetchError as exc:
                failures.append(f"{feed}: {exc.reason}")
        click.echo(
            _("%(links)s articles listed in %(feeds)s feed(s).", links=len(links), feeds=len(feeds))
        )
        report = run_import(
            _fetched_records(links, fetcher, publisher, failures),
            kind="original",
            label=_("Originals"),
        )
    for failure in failures:
        click.echo(_("  failed: %(failure)s", failure=failure), err=True)
    if failures or report.failed:
        sys.exit(1)
