"""Signing in and out."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import accounts
from ..plumbing.db import get_session
from ..plumbing.i18n import LOCALES
from .forms import EmptyForm, LoginForm
from .security import client_address, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    target = safe_next(request.values.get("next"), url_for("queue.index"))
    if current_user.is_authenticated:
        return redirect(target)
    if request.method == "GET":
        form.next.data = target
    if form.validate_on_submit():
        db_session = get_session()
        throttle = accounts.Throttle(
            max_failures=int(current_app.config["LOGIN_MAX_FAILURES"]),
            window_seconds=int(current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]),
        )
        try:
            user = accounts.authenticate(
                session=db_session, email=form.email.data, password=form.password.data,
                address=client_address(), throttle=throttle,
            )
        except accounts.TooManyAttempts:
            db_session.commit()
            return render_template("errors/429.html"), 429
        db_session.commit()
        if user is not None:
            login_user(user)
            # The absolute session lifetime counts from here (see require_login).
            session["signed_in_at"] = session["last_seen_at"] = int(time.time())
            return redirect(safe_next(form.next.data, url_for("queue.index")))
        # One message for every failure, so the page never tells which part was wrong.
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        db_session = get_session()
        user = db_session.merge(current_user._get_current_object())
        accounts.end_sessions(session=db_session, user=user)
        db_session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language: for this browser, and for the user when signed in."""
    form = EmptyForm()
    choice = request.form.get("locale")
    if form.validate_on_submit() and choice in LOCALES:
        session["locale"] = choice
        if current_user.is_authenticated and current_user.locale != choice:
            db_session = get_session()
            user = current_user._get_current_object()
            user.locale = choice
            db_session.add(user)
            db_session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("queue.index")))
