"""The contact mailbox: import, fetch, retry; notices export."""

import json
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from .. import mailroom
from ..mailbox import MaildirSource, SourceError, open_source
from ..mailroom import lock as mailboxlock
from ..mailroom.batch import retry_quarantined
from ..models import MailMessage, Notice
from ..plumbing import db, site_settings
from ..replies.outbox import SMTPSettings, send_due
from . import friendly


@click.group("mail")
def mail_group():
    """Mail received at the contact mailbox."""


@mail_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
@friendly
def mail_import(paths):
    """Import mail from Maildir folders, mbox files, .eml files or folders of them."""
    db.upgrade(db.get_engine())
    session, failed = db.get_session(), False
    site_settings.apply(current_app, session)
    for path in paths:
        try:
            with open_source(path) as source:
                receipt = mailroom.receive(
                    session, source, config=current_app.config, source_name=f"file:{path.resolve()}"
                )
        except SourceError as exc:
            click.echo(f"{path}: {exc}", err=True)
            failed = True
            continue
        click.echo(f"{path}: {receipt.summary()}")
    if failed:
        raise SystemExit(1)


def _local_maildir(config) -> MaildirSource:
    """The local Maildir inbox (``MAILDIR``, by default instance/mail), made if missing: the
    mailbox `mail fetch` reads when no IMAP server is configured."""
    path = Path(str(config["MAILDIR"]))
    try:
        for folder in ("new", "cur", "tmp"):
            (path / folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(f"The local Maildir {path} cannot be made: {exc.strerror}.") from None
    return MaildirSource(path)


def _fetch_once(session) -> mailroom.Receipt | None:
    """One pass over the mailbox; None when another fetcher is reading it right now.

    The IMAP mailbox when one is configured, else the local Maildir."""
    site_settings.apply(current_app, session)  # staff may have changed them since the last pass
    if current_app.config.get("IMAP_HOST"):
        source = mailroom.imap_source(session, current_app.config)  # not connected yet
        key = source.key_prefix
    else:
        source = _local_maildir(current_app.config)
        key = f"maildir:{source.path}"
    with mailboxlock.reading(db.get_engine(), current_app.instance_path, key) as mine:
        if not mine:
            return None
        with source:
            return mailroom.receive(
                session, source, config=current_app.config, source_name=key,
                limit=int(current_app.config["MAIL_PASS_LIMIT"]),
            )


def _putbacks(session) -> None:
    from ..cases.restoration import due_putbacks

    restored = due_putbacks(session, config=current_app.config)
    if restored:
        click.echo(_("put back: case(s) %(ids)s restored", ids=", ".join(map(str, restored))))


def _deliver_webhooks(session) -> None:
    from ..cases.webhook import WebhookSettings, deliver_pending

    settings = WebhookSettings.from_config(current_app.config)
    if settings is not None:
        report = deliver_pending(session, settings)
        if report.delivered or report.failed or report.waiting:
            click.echo(
                _(
                    "webhooks: %(delivered)s delivered, %(waiting)s waiting to retry, "
                    "%(failed)s failed",
                    delivered=report.delivered,
                    waiting=report.waiting,
                    failed=report.failed,
                )
            )


def _send_replies(session) -> None:
    settings = SMTPSettings.from_config(current_app.config)
    if settings is not None:
        report = send_due(session, settings)
        if report.handled:
            click.echo(
                _(
                    "replies: %(sent)s sent, %(waiting)s waiting to retry, %(failed)s failed",
                    sent=report.sent,
                    waiting=report.waiting,
                    failed=report.failed,
                )
            )


@mail_group.command("fetch")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep fetching; each pass also puts back due pages, sends queued replies "
    "and delivers webhook events.",
)
@click.option(
    "--interval",
    default=60,
    show_default=True,
    type=click.IntRange(min=1),
    help="Seconds between passes with --watch.",
)
@with_appcontext
@friendly
def mail_fetch(watch, interval):
    """Fetch new mail from the configured IMAP mailbox, or else from the local Maildir."""
    db.upgrade(db.get_engine())
    session = db.get_session()
    while True:
        receipt = None
        try:
            receipt = _fetch_once(session)
            if receipt is None:
                click.echo(_("mailbox: another fetcher is reading it; this pass only sends "
                             "replies and puts pages back."))
            else:
                note = (
                    _(" (the mailbox was renumbered; re-read and de-duplicated)")
                    if (receipt.resynced)
                    else ""
                )
                click.echo(_("mailbox: %(summary)s", summary=receipt.summary()) + note)
            interrupted = retry_quarantined(session, config=current_app.config,
                                            interrupted_only=True)
            if interrupted:
                click.echo(_("mailbox: %(n)s message(s) an interrupted pass had stored were "
                             "read now", n=len(interrupted)))
            _putbacks(session)
            _send_replies(session)
            _deliver_webhooks(session)
        except SourceError as exc:
            if not watch:
                raise click.ClickException(str(exc)) from None
            click.echo(
                _("mailbox: %(error)s Trying again in %(n)s s.", error=exc, n=interval), err=True
            )
        except (db.DatabaseUnavailable, DBAPIError) as exc:
            # A restarted or unreachable database: in --watch, wait and carry on. What was
            # committed stays; what was not is fetched again and de-duplicated.
            if not watch:
                raise
            session.rollback()
            reason = exc if isinstance(exc, db.DatabaseUnavailable) else \
                _("the database connection was lost.")
            click.echo(
                _("database: %(error)s Trying again in %(n)s s.", error=reason, n=interval),
                err=True,
            )
        if not watch:
            return
        session.close()
        if receipt is None or not receipt.more:
            time.sleep(interval)  # else more mail is waiting: the next pass starts at once


@mail_group.command("retry")
@with_appcontext
@friendly
def mail_retry():
    """Read quarantined messages again."""
    db.check_connection(db.get_engine())
    results = retry_quarantined(db.get_session(), config=current_app.config)
    still = sum(1 for r in results if r.outcome == "quarantined")
    click.echo(
        _(
            "%(n)s quarantined message(s) read again: %(ok)s now understood, %(still)s still "
            "quarantined.",
            n=len(results),
            ok=len(results) - still,
            still=still,
        )
    )


@click.group("notices")
def notices_group():
    """Notices read from received mail."""


def notice_record(message: MailMessage, notice: Notice | None) -> dict:
    """One message as `notices export` describes it (docs/DESIGN.md)."""
    claimant = dict.fromkeys(("name", "email", "organisation", "phone", "address"))
    statements = dict.fromkeys(("good_faith", "accuracy", "perjury", "signature"), False)
    record = {
        "message_id": message.message_id,
        "classification": message.classification,
        "kind": None,
        "claimant": claimant,
        "target_urls": [],
        "original_urls": [],
        "statements": statements,
        "jurisdiction": None,
        "missing_elements": [],
        "asks_payment": False,
        "amount": None,
        "currency": None,
        "deadline_at": None,
        "kind_reasons": [],
        "sources": {},
        "uncertain": [],
        "case_id": message.case_id,
        "subject": message.subject,
        "from": message.from_addr,
        "received_at": message.received_at.isoformat(),
    }
    if message.classification == "quarantined":
        record["reason"] = message.quarantine_reason
    if notice is not None:
        claimant.update({k: (notice.claimant or {}).get(k) for k in claimant})
        statements.update({k: bool((notice.statements or {}).get(k)) for k in statements})
        record.update(
            kind=notice.kind,
            target_urls=notice.target_urls,
            original_urls=notice.original_urls,
            jurisdiction=notice.jurisdiction,
            missing_elements=notice.missing_elements,
            case_id=notice.case_id or message.case_id,
            verification=notice.verification,
            asks_payment=bool(notice.asks_payment),
            amount=notice.amount,
            currency=notice.currency,
            deadline_at=notice.deadline_at.isoformat() if notice.deadline_at else None,
            kind_reasons=list(notice.kind_reasons or []),
            # Per field, the line of the letter it was read from ("From: …" for the header).
            sources=dict(notice.field_sources or {}),
            uncertain=list(notice.uncertain or []),
        )
    return record


@notices_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--no-redact", is_flag=True, help="Keep phone numbers, postal addresses and "
              "private e-mail addresses (internal use only).")
@with_appcontext
@friendly
def notices_export(fmt, output, no_redact):
    """One JSON object per received message, notices or not; personal data redacted."""
    from ..photos.claims import claimed_photos, export_photos
    from ..reports import redacted

    db.check_connection(db.get_engine())
    session = db.get_session()
    rows = session.exec(
        select(MailMessage, Notice)
        .outerjoin(Notice, Notice.message_id == MailMessage.id)
        .order_by(MailMessage.id)
    )
    rows = list(rows)
    claims = claimed_photos(session, [m.id for m, _ in rows])
    records = [notice_record(m, n) | {"photos": export_photos(claims.get(m.id, []))}
               for m, n in rows]
    if not no_redact:
        keep = redacted.notices_domains(session, current_app.config)
        records = [redacted.notice_record(record, keep) for record in records]
    json.dump(records, output, ensure_ascii=False, indent=2)
    output.write("\n")
