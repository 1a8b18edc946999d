"""Signing in and out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import accounts
from ..db import get_session
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
        session = get_session()
        throttle = accounts.Throttle(
            max_failures=int(current_app.config["LOGIN_MAX_FAILURES"]),
            window_seconds=int(current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]),
        )
        try:
            user = accounts.authenticate(
                session=session, email=form.email.data, password=form.password.data,
                address=client_address(), throttle=throttle,
            )
        except accounts.TooManyAttempts:
            session.commit()
            return render_template("errors/429.html"), 429
        session.commit()
        if user is not None:
            login_user(user)
            return redirect(safe_next(form.next.data, url_for("queue.index")))
        # One message for every failure, so the page never tells which part was wrong.
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        session = get_session()
        user = session.merge(current_user._get_current_object())
        accounts.end_sessions(session=session, user=user)
        session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
