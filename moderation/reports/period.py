"""The period a report covers, and the SQL that buckets times by month on each backend."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session


@dataclass(frozen=True)
class Period:
    """From ``since`` (inclusive) to ``until`` (exclusive), both UTC; None leaves a side open."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def from_dates(cls, since: date | str | None = None, until: date | str | None = None
                   ) -> "Period":
        """Whole UTC days: ``until`` is included, so 2024-01-01..2024-01-31 is all of January."""
        start, end = _day(since), _day(until)
        if start and end and end < start:
            raise ValueError("the end of the period is before its start")
        return cls(start, end + timedelta(days=1) if end else None)

    def where(self, column) -> list:
        """Conditions keeping ``column`` inside the period."""
        conditions = []
        if self.since is not None:
            conditions.append(column >= self.since)
        if self.until is not None:
            conditions.append(column < self.until)
        return conditions

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and (self.since is None or moment >= self.since) and (
            self.until is None or moment < self.until)

    def as_dict(self) -> dict:
        last = self.until - timedelta(days=1) if self.until else None
        return {"since": self.since.date().isoformat() if self.since else None,
                "until": last.date().isoformat() if last else None}


def _day(value: date | str | None) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date like 2024-01-31") from None
    if isinstance(value, datetime):
        value = value.date()
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def month_of(session: Session, column):
    """A SQL expression giving 'YYYY-MM' for a UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)  # SQLite keeps UTC text, as UTCDateTime writes it
