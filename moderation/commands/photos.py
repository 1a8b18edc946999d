"""`moderation photos import` and `moderation report photos`: agencies' photos and ours."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .. import reports
from ..photos.agency import import_photos
from ..photos.library import match_article_images
from ..photos.review import raise_photo_items
from ..plumbing import db
from . import friendly
from .reports import OUTPUT, report_group


@click.group("photos")
def photos_group():
    """Photos: agencies' originals, and the pictures on our pages."""


@photos_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--publisher", help="Agency of photos that do not name one.")
@click.option("--fetch-images", is_flag=True, help="Fetch photos listed by URL only.")
@with_appcontext
@friendly
def photos_import(paths, publisher, fetch_images):
    """Import agency photos: image files, folders (recursive) or JSON Lines records."""
    db.upgrade(db.get_engine())
    session = db.get_session()
    fetcher = None
    if fetch_images:
        from ..intake import Fetcher

        fetcher = Fetcher()
    try:
        report = import_photos(session, paths, publisher=publisher, fetcher=fetcher)
    finally:
        if fetcher is not None:
            fetcher.close()
    click.echo(_("Photos: %(new)s new, %(unchanged)s already known, %(unread)s unreadable",
                 new=report.new, unchanged=report.unchanged, unread=report.unread))
    for failure in report.failures:
        click.echo(_("  failed: %(failure)s", failure=failure), err=True)
    matched = match_article_images(session)
    click.echo(_("Pictures on our pages copied from a known photo: %(count)s", count=matched))
    raised = raise_photo_items(session)
    click.echo(_("Review items: %(raised)s raised, %(refreshed)s updated",
                 raised=raised["raised"], refreshed=raised["refreshed"]))
    if report.failures and not report.new:
        sys.exit(1)


@report_group.command("photos")
@click.option("--format", "fmt", type=click.Choice(reports.FORMATS), default="json",
              show_default=True)
@OUTPUT
@with_appcontext
@friendly
def report_photos(fmt, output):
    """One row per picture on our pages: its original, agency, kind, credit and licence."""
    db.check_connection(db.get_engine())
    output.write(reports.render(db.get_session(), "photos", fmt))
