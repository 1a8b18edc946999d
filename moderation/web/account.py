"""A person's own settings: language, time zone, password."""

from zoneinfo import available_timezones

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from wtforms import SelectChoice

from .. import accounts
from ..plumbing import audit
from ..plumbing.db import get_session
from .forms import PasswordForm, PreferencesForm

bp = Blueprint("account", __name__, url_prefix="/account")
_ZONES = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc"))


def _preferences_form() -> PreferencesForm:
    form = PreferencesForm(prefix="prefs")
    form.timezone.choices = [SelectChoice(zone) for zone in _ZONES]
    return form


@bp.route("/", methods=["GET", "POST"])
def settings():
    prefs = _preferences_form()
    password = PasswordForm(prefix="pw")
    user = current_user._get_current_object()
    if prefs.submit.data and prefs.validate_on_submit():
        session = get_session()
        before = {"locale": user.locale, "timezone": user.timezone}
        user.locale, user.timezone = prefs.locale.data, prefs.timezone.data
        session.add(user)
        audit.record(session, "user.preferences", actor=user, object_type="user",
                     object_id=user.id, before=before,
                     after={"locale": user.locale, "timezone": user.timezone})
        session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("account.settings"))
    if password.submit.data and password.validate_on_submit():
        session = get_session()
        if not accounts.check_password(user.password_hash, password.current.data):
            flash(_("The current password is not right."), "error")
        else:
            accounts.set_password(session=session, user=user, password=password.password.data,
                                  actor=user)
            session.commit()
            login_user(user)  # the new session token signs out other sessions, not this one
            flash(_("Your password is changed; other sessions are signed out."), "success")
            return redirect(url_for("account.settings"))
    if not prefs.is_submitted():
        prefs.locale.data = user.locale or current_app.config["DEFAULT_LOCALE"]
        prefs.timezone.data = user.timezone or current_app.config["DEFAULT_TIMEZONE"]
    return render_template("account/settings.html", prefs=prefs, password=password)
