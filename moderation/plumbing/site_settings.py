"""Settings staff change on the admin pages, kept in the database; the environment still wins."""

import time

from flask import Flask
from sqlmodel import Session

from ..models import Setting, User, utcnow
from . import audit
from .config import read_env_config

# Setting -> kind of value. Passwords and the webhook secret are not here: environment only.
EDITABLE = {
    "SITE_DOMAINS": "list", "SLA_HOURS_US": "int", "SLA_HOURS_EU": "int", "SLA_HOURS_CN": "int",
    "SLA_HOURS_DEFAULT": "int", "IMAP_HOST": "str", "IMAP_PORT": "int", "IMAP_SECURITY": "str",
    "IMAP_USER": "str", "IMAP_FOLDER": "str", "IMAP_PROCESSED_FOLDER": "str", "SMTP_HOST": "str",
    "SMTP_PORT": "int", "SMTP_SECURITY": "str", "SMTP_USER": "str", "MAIL_FROM": "str",
    "WEBHOOK_URL": "str", "FETCH_CLAIMED_ORIGINALS": "bool",
}
SECRETS = ("IMAP_PASSWORD", "SMTP_PASSWORD", "WEBHOOK_SECRET")
SITE_KEY, TEMPLATES_KEY = "site", "reply_templates"


class SettingsError(ValueError):
    """A value that cannot be saved; the message says which and why."""


def locked_keys() -> set[str]:
    """Settings given in the environment: shown, but not editable on the page."""
    return set(read_env_config())


def saved(session: Session, key: str) -> dict:
    row = session.get(Setting, key)
    return dict(row.value) if row else {}


def coerce(name: str, raw: str) -> object:
    kind = EDITABLE[name]
    raw = (raw or "").strip()
    if kind == "int":
        if not raw.isdigit():
            raise SettingsError(f"{name} must be a whole number")
        return int(raw)
    if kind == "bool":
        return raw in ("1", "true", "on", "yes")
    if kind == "list":
        return [item.strip().lower() for item in raw.replace("\n", ",").split(",") if item.strip()]
    if "\n" in raw or "\r" in raw:
        raise SettingsError(f"{name} must be one line")
    return raw


def save(session: Session, key: str, values: dict, *, actor: User) -> None:
    """Store one group of settings and record the change; the caller commits."""
    row = session.get(Setting, key) or Setting(key=key)
    before = dict(row.value or {})
    row.value, row.updated_at, row.updated_by_id = dict(values), utcnow(), actor.id
    session.add(row)
    audit.record(session, "settings.change", actor=actor, object_type="setting", object_id=key,
                 before=before, after=dict(values))


def apply(app: Flask, session: Session, *, max_age: float = 0.0) -> None:
    """Put saved settings into the app's configuration, except those the environment sets.

    ``max_age``: seconds for which settings read by this process are good enough. Every web
    request applies them; reading them once every few seconds instead of on each request
    spares a query per request, and a change reaches the other workers within that time
    (the worker that saved it applies it at once).
    """
    now = time.monotonic()
    if max_age and now - app.extensions.get("moderation.settings_read", -max_age) < max_age:
        return
    locked = app.config.setdefault("ENV_LOCKED", locked_keys())
    for name, value in saved(session, SITE_KEY).items():
        if name in EDITABLE and name not in locked:
            app.config[name] = value
    app.config["REPLY_TEMPLATES"] = saved(session, TEMPLATES_KEY)
    app.extensions["moderation.settings_read"] = now
