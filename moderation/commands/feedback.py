"""`moderation feedback ...`: reviewers' verdicts on matches, as labelled data."""

import click
from flask.cli import with_appcontext

from ..plumbing import db
from ..provenance import labelled_examples
from . import friendly


@click.group("feedback")
def feedback_group():
    """Reviewers' verdicts on article-original pairs (confirmed or rejected matches)."""


@feedback_group.command("export")
@click.option("--format", "fmt", type=click.Choice(labelled_examples.FORMATS), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
@with_appcontext
@friendly
def feedback_export(fmt: str, output):
    """Labelled examples: article, original, publisher, verdict, kind, score, coverage,
    engine version, when and in which case."""
    db.check_connection(db.get_engine())
    output.write(labelled_examples.render(db.get_session(), fmt))
