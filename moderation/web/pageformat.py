"""Times, deadlines and labels in the reader's language and zone, for templates and rows.

Asking Flask-Babel for the reader's locale, zone and catalogue on every call, and formatting
each time with Babel's pattern engine, costs more than the database on a 50-row queue page.
PageFormat looks them up once per request and writes numeric patterns with strftime; the
text is Babel's (tests/test_queue.py compares both). The template filters use it too.
"""

from datetime import UTC, datetime

from babel import dates
from flask import g
from flask_babel import get_locale, get_timezone, get_translations

from ..plumbing.labels import label

DEFAULT_PATTERN = "yyyy-MM-dd HH:mm ZZZZ"  # "2026-03-08 14:30 GMT+08:00"
# Patterns made only of numbers, which read the same in every locale, as strftime formats.
_NUMERIC = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "MM-dd HH:mm": "%m-%d %H:%M"}
# A zone's name at an offset, per language ("GMT+08:00"): the same every time, so kept for the
# process (a handful of entries: the staff's zones and their summer and winter offsets).
_ZONE_NAMES: dict[tuple[str, str, object], str] = {}


class PageFormat:
    """Formatting for one request; create it inside the request."""

    def __init__(self) -> None:
        self.translations = get_translations()
        self.locale = get_locale()
        self.zone = get_timezone()
        self._labels: dict[tuple[int, str | None], str] = {}

    @classmethod
    def current(cls) -> "PageFormat":
        """This request's PageFormat, made anew when the locale or zone changes within it
        (``force_locale``, a reader's zone changed on the account page)."""
        locale, zone = get_locale(), get_timezone()
        made = g.get("desk_page_format")
        if made is None or made.locale != locale or made.zone != zone:
            made = g.desk_page_format = cls()
        return made

    def gettext(self, msgid: str, **variables) -> str:
        text = self.translations.ugettext(msgid)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int) -> str:
        return self.translations.ungettext(singular, plural, num) % {"num": num}

    def label(self, table: dict, code: str | None) -> str:
        """labels.label, translated once per code and page."""
        key = (id(table), code)
        if key not in self._labels:
            self._labels[key] = label(table, code)
        return self._labels[key]

    def local_time(self, value: datetime | None, pattern: str = DEFAULT_PATTERN) -> str:
        """A UTC time in the reader's zone (Babel pattern), the zone named as Babel names it."""
        if value is None:
            return "—"
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        numeric, _, zone = pattern.partition(" ZZZZ")
        if numeric not in _NUMERIC or zone:
            return dates.format_datetime(value, pattern, tzinfo=self.zone, locale=self.locale)
        local = value.astimezone(self.zone)
        text = local.strftime(_NUMERIC[numeric])
        if pattern.endswith(" ZZZZ"):
            offset = local.utcoffset()
            key = (str(self.locale), str(self.zone), offset)
            if key not in _ZONE_NAMES:
                _ZONE_NAMES[key] = dates.format_datetime(
                    value, "ZZZZ", tzinfo=self.zone, locale=self.locale)
            text += " " + _ZONE_NAMES[key]
        return text

    def duration_words(self, seconds: float) -> str:
        """'2 h 10 min' / '2 小时 10 分钟': days and hours, or hours and minutes."""
        minutes = int(abs(seconds) // 60)
        days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
        if days:
            parts = [self.ngettext("%(num)d d", "%(num)d d", days)]
            if hours:
                parts.append(self.ngettext("%(num)d h", "%(num)d h", hours))
        elif hours:
            parts = [self.ngettext("%(num)d h", "%(num)d h", hours)]
            if mins:
                parts.append(self.ngettext("%(num)d min", "%(num)d min", mins))
        else:
            parts = [self.ngettext("%(num)d min", "%(num)d min", mins)]
        return " ".join(parts)

    def time_left(self, due: datetime | None, now: datetime) -> str:
        """How long until a deadline, counted in real time, or how long it is overdue."""
        if due is None:
            return "—"
        seconds = (due - now).total_seconds()
        if seconds < 0:
            return self.gettext("overdue by %(duration)s", duration=self.duration_words(seconds))
        return self.gettext("%(duration)s left", duration=self.duration_words(seconds))
