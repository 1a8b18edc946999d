"""Template helpers: times in the reader's zone, short texts."""

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale

from ..labels import KIND, LANGUAGE, STATUS, label
from .forms import EmptyForm


def local_time(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm zzz") -> str:
    """A UTC time shown in the reader's time zone, with the zone named."""
    if value is None:
        return "—"
    return format_datetime(value, fmt)


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(lambda code: label(STATUS, code), "status_label")
    app.add_template_filter(lambda code: label(KIND, code), "kind_label")
    app.add_template_filter(lambda code: label(LANGUAGE, code), "language_label")
    app.jinja_env.globals.update(EmptyForm=EmptyForm, get_locale=get_locale)
