"""The `moderation` commands, grouped by what they look after.

May import: any room. Imported by: the app factory only.
"""

from functools import wraps

import click
from flask import Flask


def friendly(command):
    """Turn the desk's own errors into a one-line message and exit code 1, never a traceback."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        # Imported here so that importing one command module stays light (start-up time).
        from .. import accounts
        from ..plumbing import db
        from ..plumbing.config import ConfigError

        try:
            return command(*args, **kwargs)
        except (db.DatabaseUnavailable, ConfigError, accounts.AccountError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapped


def init_app(app: Flask) -> None:
    """Register every command on the app's CLI group."""
    from ..plumbing.doctor import doctor_command
    from .check import check_command
    from .data import backup_command, restore_command  # also adds `mail purge`
    from .feedback import feedback_group
    from .library import articles_group, originals_group
    from .mail import mail_group, notices_group
    from .matching import match_command, review_group
    from .photos import photos_group  # also adds `report photos`
    from .reports import report_group
    from .setup import audit_group, init_db_command, run_command, users_group
    from .site import articles_fetch  # noqa: F401  (adds `articles fetch|feed|sitemap`)
    from .tokens import tokens_group, webhooks_group

    for command in (init_db_command, users_group, audit_group, run_command, doctor_command,
                    articles_group, originals_group, mail_group, notices_group, tokens_group,
                    webhooks_group, match_command, report_group, backup_command,
                    restore_command, check_command):
        app.cli.add_command(command)
    app.cli.add_command(feedback_group)
    app.cli.add_command(review_group)
    app.cli.add_command(photos_group)
