"""Liveness and readiness for load balancers and process managers (no sign-in needed).

/healthz says the process answers. /readyz also tries the database, the mailbox and the
outgoing mail server, each within a short timeout. Anyone may call it, so the answer names
no host, user or password: the reasons go to the log.
"""

import imaplib
import logging
import os
import smtplib
import socket
import ssl
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from ..plumbing import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
# Short enough for a load balancer's probe, long enough for a server across a network.
TIMEOUT_SECONDS = 3.0
NOT_CONFIGURED = "not configured"
_IMAP_FAILURES = (IMAPClientError, imaplib.IMAP4.error, OSError, ssl.SSLError, socket.timeout)


def _result(ok: bool, detail: str) -> dict:
    return {"ok": ok, "detail": detail}


@cache
def _head_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(db.MIGRATIONS)).get_heads())


def check_database() -> dict:
    """SELECT 1, and the schema at the newest migration."""
    engine = db.get_engine()
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            if not sa.inspect(connection).has_table("alembic_version"):
                return _result(False, "no schema: run `moderation init-db`")
            current = set(connection.execute(
                sa.text("SELECT version_num FROM alembic_version")).scalars())
    except sa.exc.SQLAlchemyError as exc:
        log.warning("readiness: database unavailable: %s", _first_line(exc))
        return _result(False, "unreachable")
    if current != set(_head_revisions()):
        return _result(False, "schema out of date: run `moderation init-db`")
    return _result(True, "ok")


def check_mailbox(config: dict) -> dict:
    """A login to the IMAP server when one is configured, else a writable Maildir."""
    if config.get("IMAP_HOST"):
        return _check_imap(config)
    maildir = Path(str(config["MAILDIR"]))
    existing = maildir if maildir.exists() else next(
        (parent for parent in maildir.parents if parent.exists()), maildir)
    if existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        return _result(True, "maildir writable")
    log.warning("readiness: %s cannot be written", existing)
    return _result(False, "maildir not writable")


def _check_imap(config: dict) -> dict:
    security = str(config.get("IMAP_SECURITY") or "ssl").lower()
    port = int(config.get("IMAP_PORT") or (993 if security == "ssl" else 143))
    client = None
    try:
        client = IMAPClient(config["IMAP_HOST"], port=port, ssl=security == "ssl",
                            ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS)
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(config.get("IMAP_USER") or "", config.get("IMAP_PASSWORD") or "")
        client.logout()
        client = None
        return _result(True, "login accepted")
    except LoginError:
        log.warning("readiness: the IMAP server refused the login")
        return _result(False, "login refused")
    except _IMAP_FAILURES as exc:
        log.warning("readiness: IMAP server unavailable: %s", _first_line(exc))
        return _result(False, "unreachable")
    finally:
        if client is not None:
            _quietly(client.shutdown)


def check_smtp(config: dict) -> dict:
    """Connect, EHLO (STARTTLS) and log in when a user is configured."""
    if not config.get("SMTP_HOST"):
        return _result(True, NOT_CONFIGURED)
    security = str(config.get("SMTP_SECURITY") or "starttls").lower()
    host, port = str(config["SMTP_HOST"]), int(config.get("SMTP_PORT") or 587)
    client: smtplib.SMTP | None = None
    try:
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        client.ehlo()
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if config.get("SMTP_USER"):
            client.login(str(config["SMTP_USER"]), str(config.get("SMTP_PASSWORD") or ""))
        client.quit()
        return _result(True, "login accepted" if config.get("SMTP_USER") else "answers")
    except smtplib.SMTPAuthenticationError:
        log.warning("readiness: the SMTP server refused the login")
        _close(client)
        return _result(False, "login refused")
    except smtplib.SMTPException as exc:  # before OSError, which it is a kind of
        log.warning("readiness: the SMTP server said no: %s", _first_line(exc))
        _close(client)
        return _result(False, "refused")
    except OSError as exc:
        log.warning("readiness: SMTP server unavailable: %s", _first_line(exc))
        _close(client)
        return _result(False, "unreachable")


def _close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        _quietly(client.close)


def _quietly(action) -> None:
    try:
        action()
    except (OSError, smtplib.SMTPException, *_IMAP_FAILURES):
        pass  # closing a broken connection may fail again


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    config = current_app.config
    checks = {
        "database": check_database(),
        "mailbox": check_mailbox(config),
        "smtp": check_smtp(config),
    }
    ready = all(check["ok"] for check in checks.values())
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return response
