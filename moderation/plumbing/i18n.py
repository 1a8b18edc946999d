"""Language and time zone of the person reading a page or running a command."""

from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, get_translations
from flask_login import current_user

LOCALES = ("zh_Hans", "en")
# Each language named in itself, so anyone can find their own in the switch.
LOCALE_NAMES = {"zh_Hans": "简体中文", "en": "English"}
# Browser language tags and the interface language each one gets.
_BROWSER_TAGS = {"zh-Hans": "zh_Hans", "zh-CN": "zh_Hans", "zh-SG": "zh_Hans", "zh": "zh_Hans",
                 "en": "en"}


def select_locale() -> str:
    """The user's own choice, else this browser session's, else Accept-Language, else the default."""
    if has_request_context():
        user_locale = getattr(current_user, "locale", None)
        if user_locale in LOCALES:
            return user_locale
        if session.get("locale") in LOCALES:
            return session["locale"]
        best = request.accept_languages.best_match(list(_BROWSER_TAGS))
        if best:
            return _BROWSER_TAGS[best]
    return str(current_app.config["DEFAULT_LOCALE"])


def select_timezone() -> str:
    """The user's own zone, else the desk's default display zone."""
    user_zone = getattr(current_user, "timezone", None) if has_request_context() else None
    return user_zone or str(current_app.config["DEFAULT_TIMEZONE"])


def translations():
    """The reader's catalogue, as ``flask_babel.get_translations()`` gives it, found once per
    page instead of once per string: a case page translates some 300 strings, and Flask-Babel
    looks up its request state several times for each. Kept beside Flask-Babel's own locale
    for the request and asked again when that changes (``force_locale``, ``refresh``)."""
    if not has_app_context():
        return get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    memo = getattr(state, "desk_translations", None)
    if locale is not None and memo is not None and memo[0] is locale:
        return memo[1]
    found = get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.desk_translations = (locale, found)
    return found


def gettext(msgid: str) -> str:
    return translations().ugettext(msgid)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # Templates translate through the per-page catalogue (Flask-Babel installs the same
    # callables, each asking for the catalogue again).
    app.jinja_env.install_gettext_callables(
        gettext=gettext,
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
