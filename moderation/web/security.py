"""Access checks and redirect safety for the views."""

import unicodedata
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user


def is_safe_next(target: str | None) -> bool:
    """Accept only a path on this site: no scheme, no host, no backslash tricks."""
    if not target or len(target) > 2000:
        return False
    if any(unicodedata.category(ch).startswith("C") for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_next(target) else default


def admin_required(view):
    """Only administrators may use this view (403 for everyone else)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def client_address() -> str:
    """The client's address as seen by this process (behind a proxy, configure ProxyFix)."""
    return (request.remote_addr or "unknown")[:64]
