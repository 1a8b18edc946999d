"""Admin settings: our domains, deadlines, mailbox, outgoing mail, webhook, reply wording."""

from string import Template

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import replies
from ..plumbing import site_settings
from ..plumbing.db import get_session
from .forms import EmptyForm
from .security import admin_required

bp = Blueprint("settings", __name__, url_prefix="/admin")
GROUPS = (
    ("site", ("SITE_DOMAINS", "FETCH_CLAIMED_ORIGINALS")),
    ("sla", ("SLA_HOURS_US", "SLA_HOURS_EU", "SLA_HOURS_CN", "SLA_HOURS_DEFAULT")),
    ("mailbox", ("IMAP_HOST", "IMAP_PORT", "IMAP_SECURITY", "IMAP_USER", "IMAP_FOLDER",
                 "IMAP_PROCESSED_FOLDER")),
    ("smtp", ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USER", "MAIL_FROM")),
    ("webhook", ("WEBHOOK_URL",)),
)


def _current(name: str):
    from ..cases import DEFAULT_SLA_HOURS

    value = current_app.config.get(name)
    if value is None and name.startswith("SLA_HOURS_"):
        value = DEFAULT_SLA_HOURS[name.removeprefix("SLA_HOURS_")]
    return ", ".join(value) if isinstance(value, list) else value


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def edit():
    session = get_session()
    locked = site_settings.locked_keys()
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = site_settings.saved(session, site_settings.SITE_KEY)
        try:
            for name in site_settings.EDITABLE:
                if name in locked:
                    continue
                kind = site_settings.EDITABLE[name]
                if kind == "bool":
                    values[name] = site_settings.coerce(name, request.form.get(name, ""))
                elif name in request.form:
                    values[name] = site_settings.coerce(name, request.form[name])
        except site_settings.SettingsError as exc:
            flash(_("Not saved: %(reason)s", reason=str(exc)), "error")
        else:
            site_settings.save(session, site_settings.SITE_KEY, values,
                               actor=current_user._get_current_object())
            session.commit()
            site_settings.apply(current_app, session)
            flash(_("Settings saved."), "success")
            return redirect(url_for("settings.edit"))
    secrets = {name: bool(current_app.config.get(name)) for name in site_settings.SECRETS}
    return render_template("admin/settings.html", form=form, groups=GROUPS, locked=locked,
                           current=_current, kinds=site_settings.EDITABLE, secrets=secrets)


@bp.route("/templates", methods=["GET", "POST"])
@admin_required
def templates():
    session = get_session()
    form = EmptyForm()
    custom = site_settings.saved(session, site_settings.TEMPLATES_KEY)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        key = request.form.get("key", "")
        name, _dot, language = key.partition(".")
        if name not in replies.TEMPLATES or language not in ("en", "zh"):
            abort(400)
        if request.form.get("reset"):
            custom.pop(key, None)
        else:
            subject = " ".join(request.form.get("subject", "").split())
            body = request.form.get("body", "").replace("\r\n", "\n").strip()
            allowed = replies.placeholders(name, language)
            try:
                used = set(Template(body).get_identifiers()) | set(
                    Template(subject).get_identifiers())
                valid = Template(body).is_valid()
            except ValueError:
                used, valid = set(), False
            if not subject or not body or not valid or used - allowed:
                flash(_("Not saved: the text is empty or uses names the template does not know "
                        "(%(names)s).", names=", ".join(sorted(used - allowed)) or "$"), "error")
                return redirect(url_for("settings.templates", _anchor=key))
            custom[key] = {"subject": subject, "body": body}
        site_settings.save(session, site_settings.TEMPLATES_KEY, custom,
                           actor=current_user._get_current_object())
        session.commit()
        flash(_("Reply wording saved."), "success")
        return redirect(url_for("settings.templates", _anchor=key))
    rows = []
    for name in replies.TEMPLATES:
        for language in ("zh", "en"):
            key = f"{name}.{language}"
            subject, body = replies.template_text(name, language)
            mine = custom.get(key)
            rows.append({"key": key, "name": name, "language": language,
                         "subject": mine["subject"] if mine else subject,
                         "body": mine["body"] if mine else body, "custom": bool(mine),
                         "names": sorted(replies.placeholders(name, language))})
    return render_template("admin/templates.html", form=form, rows=rows)
