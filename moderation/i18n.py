"""Language and time zone of the person reading a page."""

from flask import Flask, request
from flask_babel import Babel
from flask_login import current_user

LOCALES = ("zh_Hans", "en")
# Each language named in itself, so anyone can find their own in the switch.
LOCALE_NAMES = {"zh_Hans": "简体中文", "en": "English"}


def select_locale() -> str:
    """The user's own choice, else the browser's preference, else the site default."""
    from flask import current_app

    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    best = request.accept_languages.best_match(["zh-Hans", "zh-CN", "zh", "en"]) if request else None
    if best:
        return "en" if best == "en" else "zh_Hans"
    return str(current_app.config["DEFAULT_LOCALE"])


def select_timezone() -> str:
    from flask import current_app

    user_zone = getattr(current_user, "timezone", None) if current_user else None
    return user_zone or str(current_app.config["DEFAULT_TIMEZONE"])


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
