"""The `moderation` command: a Flask CLI group over create_app (also `flask --app moderation`)."""

import sys

import click
from flask.cli import FlaskGroup

from .plumbing.config import ConfigError


def _create_app(*_args):
    from . import create_app

    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


main = FlaskGroup(
    name="moderation", create_app=_create_app, add_default_commands=False,
    add_version_option=False, load_dotenv=False, set_debug_flag=False,
    help="The moderation desk: provenance, takedown requests, reviews and reports.",
)
