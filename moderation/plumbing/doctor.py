"""`moderation doctor`: check the configuration and say in words what is wrong."""

import os
import stat
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from . import db
from .i18n import LOCALES


def checks(config: dict, instance_path: Path) -> list[tuple[bool, str]]:
    """Each check as (passed, sentence)."""
    results: list[tuple[bool, str]] = []
    secret = instance_path / "secret_key"
    if secret.exists():
        mode = stat.S_IMODE(secret.stat().st_mode)
        results.append((mode & 0o077 == 0, f"secret key file {secret} has mode {mode:o}"
                        + ("" if mode & 0o077 == 0 else ": others can read it, run chmod 600")))
    try:
        db.check_connection(db.get_engine())
        results.append((True, f"database reachable: {db.describe_url(config['DATABASE_URL'])}"))
        if db.schema_exists(db.get_engine()):
            results.append((True, "database schema present"))
        else:
            results.append((False, "database has no schema yet: run `moderation init-db`"))
    except db.DatabaseUnavailable as exc:
        results.append((False, str(exc)))
    for key in ("DEFAULT_TIMEZONE", "SITE_TIMEZONE"):
        try:
            ZoneInfo(str(config[key]))
            results.append((True, f"{key} is {config[key]}"))
        except (ZoneInfoNotFoundError, ValueError):
            results.append((False, f"{key} {config[key]!r} is not a known time zone"))
    results.append((config["DEFAULT_LOCALE"] in LOCALES,
                    f"DEFAULT_LOCALE is {config['DEFAULT_LOCALE']} (choices: {', '.join(LOCALES)})"))
    domains = config.get("SITE_DOMAINS") or []
    results.append((bool(domains), f"site domains: {', '.join(domains) or 'none configured'}"))
    if config.get("IMAP_HOST"):
        has_credentials = bool(config.get("IMAP_USER") and config.get("IMAP_PASSWORD"))
        results.append((has_credentials, "IMAP mailbox configured"
                        + ("" if has_credentials else " but MODERATION_IMAP_USER/PASSWORD are missing")))
    else:
        results.append((True, f"no IMAP mailbox configured; mail is read from {config['MAILDIR']}"))
    if config.get("SMTP_HOST"):
        results.append((True, f"replies go out through {config['SMTP_HOST']}:{config['SMTP_PORT']}"))
    else:
        results.append((True, "no SMTP server configured: replies stay queued until one is set"))
    if not os.access(instance_path, os.W_OK):
        results.append((False, f"instance folder {instance_path} is not writable"))
    return results


@click.command("doctor")
@with_appcontext
def doctor_command():
    """Check the configuration and say what is wrong."""
    results = checks(current_app.config, Path(current_app.instance_path))
    for passed, sentence in results:
        click.echo(("ok    " if passed else "FAIL  ") + sentence)
    failures = sum(1 for passed, _ in results if not passed)
    if failures:
        click.echo(_("%(n)s problem(s) found.", n=failures), err=True)
        raise SystemExit(1)
    click.echo(_("Everything looks right."))
