"""The moderation desk: provenance of reposted articles, takedown requests, reviews, reports."""

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

from .plumbing.config import VERSION as __version__  # noqa: E402,F401


def instance_folder() -> Path:
    """./instance, or the folder named by MODERATION_INSTANCE_PATH."""
    configured = os.environ.get("MODERATION_INSTANCE_PATH")
    return Path(configured).expanduser().resolve() if configured else Path.cwd() / "instance"


def create_app(test_config: dict | None = None, *, pages: bool = True) -> Flask:
    """Build the application: configuration, database, sign-in, CSRF, pages and commands.

    pages=False builds it for a command that only reads and writes the database (`moderation
    check`, `match`): no web pages and no command registry, which saves most of the start-up.
    """
    from .plumbing import db, i18n, logs
    from .plumbing.config import build_config

    instance_path = Path((test_config or {}).get("INSTANCE_PATH") or instance_folder())
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.update(build_config(instance_path, test_config))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=int(app.config["SESSION_HOURS"])),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=60 * 1024 * 1024,
    )
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # One trusted proxy: its client address and scheme (for Secure cookies and HSTS).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    logs.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    if not pages:
        return app
    from .commands import init_app as init_cli
    from .web import init_app as init_web

    init_web(app)
    init_cli(app)
    return app
