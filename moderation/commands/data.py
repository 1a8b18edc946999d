"""Looking after the data: backup and restore, and the retention of raw mail."""

import sys
from pathlib import Path

import click
from alembic.util import CommandError
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..mailroom import retention
from ..plumbing import audit, backup, db
from ..plumbing.config import ConfigError
from . import friendly
from .mail import mail_group


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def _counts(counts: dict[str, int]) -> str:
    return _("%(articles)s articles, %(originals)s originals, %(notices)s notices, "
             "%(cases)s cases, %(messages)s messages, %(audit_events)s audit events, "
             "%(users)s users", **{key: counts.get(key, 0) for key in backup.COUNTED})


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the backup here "
              "(default: instance/backups/moderation-<UTC time>.tar.gz).")
@with_appcontext
@friendly
def backup_command(output):
    """Back up the database and stored reports into one archive, while the desk runs."""
    url = current_app.config["DATABASE_URL"]
    db.check_connection(db.get_engine())
    try:
        path, manifest = backup.create(url, current_app.instance_path, output)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Backed up the %(backend)s database %(url)s to %(path)s (%(size)s).",
                 backend={"sqlite": "SQLite", "postgresql": "PostgreSQL"}[manifest.backend],
                 url=db.describe_url(url), path=path,
                 size=_size(path.stat().st_size)))
    click.echo(_("Rows: %(counts)s.", counts=_counts(manifest.counts)))
    click.echo(_("Instance files: %(n)s (stored reports, the boilerplate model).",
                 n=len(manifest.files)))
    click.echo(_("Not included: instance/secret_key and config.toml (secrets: keep them apart); "
                 "instance/matching (`moderation match` rebuilds it)."))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
@friendly
def restore_command(file, yes):
    """Replace the database with a backup's; stop the web app and mail fetcher first."""
    url = current_app.config["DATABASE_URL"]
    engine = db.get_engine()
    db.check_connection(engine)
    present = backup.counts(engine)
    if any(present.values()) and not yes:
        raise click.ClickException(_(
            "the database %(url)s already holds data (%(counts)s); give --yes to replace it "
            "with the backup", url=db.describe_url(url), counts=_counts(present)))
    engine.dispose()
    try:
        manifest = backup.restore(url, current_app.instance_path, file)
        engine.dispose()
        db.upgrade(engine)  # a backup made by an older version gets this version's schema
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    except CommandError as exc:
        raise click.ClickException(_("the restored database cannot be migrated: %(error)s",
                                     error=exc)) from None
    with db.transaction() as session:
        audit.record(session, "backup.restore", actor="command", object_type="backup",
                     object_id=file.name[:64],
                     after={"file": file.name, "made": manifest.created_at or None,
                            "revision": manifest.revision, "sha256": manifest.sha256 or None})
    chain = audit.verify(db.get_session())
    click.echo(_("Restored %(file)s into %(url)s.", file=file, url=db.describe_url(url)))
    click.echo(_("Rows: %(counts)s.", counts=_counts(backup.counts(engine))))
    if not chain.ok:
        click.echo(_("Audit log broken at event id %(id)s: %(problem)s (%(n)s events read).",
                     id=chain.first_bad_id, problem=chain.problem, n=chain.checked), err=True)
        sys.exit(1)
    click.echo(_("Audit log intact: %(n)s events checked.", n=chain.checked))


@mail_group.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), default=None,
              help="Days to keep raw mail (default: RAW_MAIL_RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Only count what would be dropped.")
@with_appcontext
@friendly
def mail_purge(days, dry_run):
    """Drop the raw bytes of old mail whose case is closed; parsed text and notices stay."""
    if days is None:
        try:
            days = int(current_app.config.get("RAW_MAIL_RETENTION_DAYS") or 0)
        except (TypeError, ValueError):
            raise ConfigError("RAW_MAIL_RETENTION_DAYS must be a whole number of days") from None
    if days < 1:
        click.echo(_("RAW_MAIL_RETENTION_DAYS is 0: raw mail is kept for ever. "
                     "Give --older-than DAYS to purge anyway."))
        return
    db.check_connection(db.get_engine())
    report = retention.purge(db.get_session(), days, dry_run=dry_run, actor="command")
    text = (_("Would drop the raw bytes of %(n)s message(s) received before %(cutoff)s "
              "(%(size)s).", n=report.messages, cutoff=report.cutoff.date(),
              size=_size(report.bytes)) if dry_run else
            _("Dropped the raw bytes of %(n)s message(s) received before %(cutoff)s "
              "(%(size)s); their text, notices and cases are kept.", n=report.messages,
              cutoff=report.cutoff.date(), size=_size(report.bytes)))
    click.echo(text)
