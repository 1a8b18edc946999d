"""Times, deadlines and labels for pages with many rows, in the reader's language and zone.

The template filters in filters.py ask Flask-Babel for the reader's locale, zone and catalogue
on every call; on a 50-row queue page those look-ups cost more than the database. PageFormat
looks them up once per request and gives the same text (tests/test_queue.py compares both).
"""

from datetime import UTC, datetime

from babel import dates
from flask_babel import get_locale, get_timezone, get_translations

from ..labels import label

DEFAULT_PATTERN = "yyyy-MM-dd HH:mm ZZZZ"  # as filters.local_time
# Patterns made only of numbers, which read the same in every locale, as strftime formats.
_NUMERIC = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "MM-dd HH:mm": "%m-%d %H:%M"}


class PageFormat:
    """Formatting for one request; create it inside the request."""

    def __init__(self) -> None:
        self.translations = get_translations()
        self.locale = get_locale()
        self.zone = get_timezone()
        self._labels: dict[tuple[int, str | None], str] = {}
        self._zone_names: dict[object, str] = {}

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
        """filters.local_time: the time in the reader's zone, the zone named as Babel names it."""
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
            if offset not in self._zone_names:
                self._zone_names[offset] = dates.format_datetime(
                    value, "ZZZZ", tzinfo=self.zone, locale=self.locale)
            text += " " + self._zone_names[offset]
        return text

    def duration_words(self, seconds: float) -> str:
        """filters.duration_words."""
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
        """filters.time_left."""
        if due is None:
            return "—"
        seconds = (due - now).total_seconds()
        if seconds < 0:
            return self.gettext("overdue by %(duration)s", duration=self.duration_words(seconds))
        return self.gettext("%(duration)s left", duration=self.duration_words(seconds))
