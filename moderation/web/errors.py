"""Friendly error pages: a clear message, never a traceback, nothing half-written."""

import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..plumbing.db import close_session

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 409, 413, 429, 500, 503}


def _render(code: int, message: str | None = None):
    if request.path.startswith("/api/"):
        # Machines calling the API get JSON, as from its views (web/api.py).
        response = jsonify(error=message or HTTP_STATUS_CODES.get(code, "error").lower())
        response.status_code = code
        response.headers["Cache-Control"] = "no-store"
        return response
    template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
    return render_template(template, code=code, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _render(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_error(error):
        close_session()
        log.error("database unavailable: %s", str(error.orig).splitlines()[0] if error.orig else error)
        # The page is drawn as for a visitor: who is signed in is in the database, and asking
        # it again would turn this clear page into a bare server error.
        g._login_user = current_app.login_manager.anonymous_user()
        return _render(503)

    @app.errorhandler(Exception)
    def unexpected(error):
        close_session()
        log.exception("unexpected error")
        return _render(500)
