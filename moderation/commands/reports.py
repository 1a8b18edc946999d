"""`moderation report ...`: the provenance and transparency reports, for people and for cron."""

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import reports
from ..plumbing import db
from . import friendly

FORMAT = click.option("--format", "fmt", type=click.Choice(reports.FORMATS), default="json",
                      show_default=True)
OUTPUT = click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
                      help="Write here instead of standard output.")
SINCE = click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="First day of the period (UTC), e.g. 2024-01-01.")
UNTIL = click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Last day of the period (UTC), included.")
NO_MAIL = click.option("--no-mail", is_flag=True,
                       help="Do not mail the report even when REPORT_RECIPIENTS is set.")
NO_REDACT = click.option("--no-redact", is_flag=True,
                         help="Keep private claimants' e-mail addresses (internal use only).")


@click.group("report")
def report_group():
    """Reports for editors, managers and regulators."""


def _run(name: str, fmt: str, output, since, until, no_mail: bool, redact: bool = True) -> None:
    db.check_connection(db.get_engine())
    try:
        period = reports.Period.from_dates(since, until)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        run = reports.generate(db.get_session(), name, fmt, instance_path=current_app.instance_path,
                               config=current_app.config, period=period, mail=not no_mail,
                               actor="command", redact=redact)
    except reports.ReportMailError as exc:
        raise click.ClickException(str(exc)) from None
    output.write(run.content)


@report_group.command("provenance")
@FORMAT
@OUTPUT
@SINCE
@UNTIL
@NO_MAIL
@with_appcontext
@friendly
def report_provenance(fmt, output, since, until, no_mail):
    """Per article, its originals: kind, score, coverage, credited or not (HTML: the full report)."""
    _run("provenance", fmt, output, since, until, no_mail)


@report_group.command("transparency")
@FORMAT
@OUTPUT
@SINCE
@UNTIL
@NO_MAIL
@NO_REDACT
@with_appcontext
@friendly
def report_transparency(fmt, output, since, until, no_mail, no_redact):
    """Notices by kind, jurisdiction and claimant; actions; time to decision; disputes."""
    _run("transparency", fmt, output, since, until, no_mail, redact=not no_redact)
