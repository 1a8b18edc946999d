"""Matching articles to originals."""

import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlmodel import select

from .. import provenance
from ..models import Article, Provenance
from ..plumbing import db
from ..provenance import review
from . import friendly


@click.command("match")
@click.option("--all", "everything", is_flag=True, help="Match every article (the default).")
@click.option("--article", "article_ids", type=int, multiple=True, help="Match this article id.")
@click.option("--force", is_flag=True,
              help="Match again even the articles whose text, engine version and candidate "
                   "originals are unchanged since their last match (skipped otherwise).")
@with_appcontext
@friendly
def match_command(everything, article_ids, force):
    """Compute provenance: which originals each article was taken from."""
    db.upgrade(db.get_engine())
    session = db.get_session()
    index = provenance.get_index()
    state = provenance.reconcile(session, index)
    click.echo(
        _(
            "Index: %(held)s originals (%(indexed)s indexed now, %(removed)s removed).",
            held=state["held"],
            indexed=state["indexed"],
            removed=state["removed"],
        )
    )
    if article_ids:
        missing = set(article_ids) - set(
            session.exec(select(Article.id).where(Article.id.in_(article_ids))).all()
        )
        if missing:
            raise click.ClickException(
                _("no article with id %(ids)s", ids=", ".join(map(str, sorted(missing))))
            )
    ids = list(article_ids) or None
    with click.progressbar(
        length=0, label="Matching", show_pos=True, file=sys.stderr if sys.stderr.isatty() else None
    ) as bar:
        counts = provenance.match_articles(session, index, ids, on_item=lambda: bar.update(1),
                                           force=force)
    click.echo(
        _(
            "Articles: %(matched)s matched, %(unmatched)s without a known original, "
            "%(unchanged)s unchanged since their last match (skipped).",
            matched=counts["matched"],
            unmatched=counts["unmatched"],
            unchanged=counts["unchanged"],
        )
    )

    click.echo(_("Review items: %(raised)s raised, %(refreshed)s brought up to date.",
                 raised=counts.get("raised", 0), refreshed=counts.get("refreshed", 0)))


@click.group("review")
def review_group():
    """Review items raised from provenance."""


@review_group.command("scan")
@with_appcontext
@friendly
def review_scan_command():
    """Weigh every matched article again without re-matching (after new complaints or licences)."""
    db.upgrade(db.get_engine())
    session = db.get_session()
    ids = list(session.exec(select(Provenance.article_id).distinct()).all())
    counts = review.raise_items(session, ids)
    session.commit()
    click.echo(_("Review items: %(raised)s raised, %(refreshed)s brought up to date.",
                 raised=counts["raised"], refreshed=counts["refreshed"]))
