"""Template helpers: times in the reader's zone, time left to a deadline, labels."""

from datetime import datetime

from flask import Flask
from flask_babel import get_locale

from ..models import utcnow
from ..plumbing import labels
from ..plumbing.i18n import LOCALE_NAMES
from ..plumbing.labels import (
    CASE_KIND,
    JURISDICTION,
    KIND,
    LANGUAGE,
    PHOTO_KIND,
    STATUS,
    VERDICT,
    label,
)
from .forms import EmptyForm
from .pageformat import DEFAULT_PATTERN, PageFormat


def local_time(value: datetime | None, fmt: str = DEFAULT_PATTERN) -> str:
    """A UTC time shown in the reader's time zone, with its offset named."""
    return PageFormat.current().local_time(value, fmt)


def time_left(due: datetime | None, now: datetime | None = None) -> str:
    """How long until a deadline, counted in real time, or how long it is overdue."""
    return PageFormat.current().time_left(due, now or utcnow())


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(time_left, "time_left")
    app.add_template_filter(lambda code: label(STATUS, code), "status_label")
    app.add_template_filter(lambda code: label(KIND, code), "kind_label")
    app.add_template_filter(lambda code: label(PHOTO_KIND, code) if code else "—",
                            "photo_kind_label")
    app.add_template_filter(lambda code: label(LANGUAGE, code), "language_label")
    app.add_template_filter(lambda code: label(CASE_KIND, code), "case_kind_label")
    app.add_template_filter(lambda code: label(VERDICT, code), "verdict_label")
    app.add_template_filter(lambda code: label(JURISDICTION, code), "jurisdiction_label")
    for name, table in (("decision", labels.DECISION), ("notice_kind", labels.NOTICE_KIND),
                        ("role", labels.ROLE), ("element", labels.ELEMENT),
                        ("classification", labels.CLASSIFICATION),
                        ("sender_badge", labels.SENDER_BADGE),
                        ("reply_status", labels.REPLY_STATUS),
                        ("settings_group", labels.SETTINGS_GROUP), ("setting", labels.SETTING),
                        ("template", labels.TEMPLATE),
                        ("review_reason", labels.REVIEW_REASON),
                        ("review_action", labels.REVIEW_ACTION),
                        ("licence_kind", labels.LICENCE_KIND)):
        app.add_template_filter(lambda code, table=table: label(table, code), f"{name}_label")
    app.jinja_env.globals.update(
        EmptyForm=EmptyForm, get_locale=get_locale, LOCALE_NAMES=LOCALE_NAMES
    )
