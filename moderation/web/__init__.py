"""Web pages: sign-in and access rules shared by every blueprint.

May import: any room. Imported by: the app factory only.
"""

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, logout_user
from flask_wtf import CSRFProtect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from ..models import User
from ..plumbing import site_settings
from ..plumbing.db import get_session
from . import (
    account,
    admin,
    api,
    api_check,  # noqa: F401 (it adds /api/check and /api/openapi.json to api.bp)
    articles,
    auth,
    cases,
    errors,
    headers,
    health,
    licences,
    originals,
    photos,
    queue,
    reports,
    review,
    settings,
    thresholds,
)
from .filters import init_app as init_filters

# Endpoints anyone may reach; everything else needs a signed-in, active user.
PUBLIC_ENDPOINTS = {
    "auth.login", "auth.set_language", "health.healthz", "health.readyz", "static",
    # Machines call the API with a token of their own (checked by the view), not a session.
    "api.removed", "api.check", "api.openapi",
}

LAST_SEEN_STEP = 30  # seconds
login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Find the user named by the cookie, if its session token is still current."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = get_session().exec(select(User).where(User.id == int(user_id))).first()
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def session_expired(now: float) -> bool:
    """Past SESSION_HOURS since sign-in, or SESSION_IDLE_MINUTES since the last request."""
    signed_in, last_seen = session.get("signed_in_at"), session.get("last_seen_at")
    if not isinstance(signed_in, int | float):
        return True  # a session from before sign-in times were kept has no known age
    if now - signed_in > float(current_app.config["SESSION_HOURS"]) * 3600:
        return True
    idle = float(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    return isinstance(last_seen, int | float) and now - last_seen > idle


def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    login_page = url_for("auth.login", next=request.full_path.rstrip("?"))
    if not current_user.is_authenticated:
        return redirect(login_page)
    now = time.time()
    if session_expired(now):
        logout_user()
        for key in ("signed_in_at", "last_seen_at"):
            session.pop(key, None)
        flash(_("Your session has expired; sign in again."), "info")
        return redirect(login_page)
    # Refreshed at most every half minute: the cookie is then re-signed and sent again only
    # that often, not on every request (the idle limit is counted in minutes anyway).
    last_seen = session.get("last_seen_at")
    if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_STEP:
        session["last_seen_at"] = int(now)
    return None


def apply_settings():
    """Saved admin settings apply to every request, whichever worker serves it."""
    if request.endpoint in ("static", "health.healthz"):
        return
    try:
        site_settings.apply(current_app, get_session(),
                            max_age=current_app.config["SETTINGS_MAX_AGE_SECONDS"])
    except SQLAlchemyError:
        get_session().rollback()  # the page itself will say if the database is needed and down


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    # Called by machines with a bearer token and no cookies, so there is no session to forge.
    csrf.exempt(api.bp)
    app.before_request(require_login)
    app.before_request(apply_settings)
    for module in (auth, queue, cases, review, articles, originals, reports, admin, settings,
                   account, health, api):
        app.register_blueprint(module.bp)
    # The licence register and the thresholds page (issue #10).
    app.register_blueprint(licences.bp)
    app.register_blueprint(thresholds.bp)
    app.register_blueprint(photos.bp)
    errors.init_app(app)
    headers.init_app(app)
    init_filters(app)
