"""Calendar periods (day, ISO week, month, quarter, year) as SQL, and the honest-bucket rule.

A record's date is a span: its first and last possible day, and how precisely it is known.
Placing it in one period by its first day invents precision: riots "from 4 to 8 January" and a
decree "between 4 and 15 January" would both land on 4 January, and a timeline of them shows a
spike that no source reported. So the rule, for timelines and for grouping by a period, is:

- a record **is in** a period when its whole span lies inside it (first and last possible day
  in the same period) and its span is not open: a `before` date (start unknown) and a `covers`
  date (known to fill the span, possibly longer) are never wholly inside anything;
- every other dated record **spans periods**, and is reported as such, in the period of its
  first possible day (a timeline's `spanning` count; a group whose period is null and whose
  `spansPeriods` is true), never hidden and never counted twice.

Every dated record is thus counted exactly once: in its period, or as spanning.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    TIMESTAMP,
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    not_,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from schema.enums import DatePrecision

#: The period widths, narrowest first.
INTERVALS = ("day", "week", "month", "quarter", "year")
#: Precisions whose span is never wholly inside a period: the start is unknown (`before`), or
#: the event may have outlasted the span (`covers`).
OPEN_PRECISIONS = (DatePrecision.BEFORE.value, DatePrecision.COVERS.value)
#: On SQLite, a month's or a year's first day: the date's first characters, then the rest.
_ISO_PREFIX = {"month": (7, "-01"), "year": (4, "-01-01")}


def period_start(dialect: str, column: ColumnElement[Any], interval: str) -> ColumnElement[Any]:
    """The first day of the `interval` holding the date `column`.

    Format strings are SQL literals, not parameters, so PostgreSQL sees the same expression
    in SELECT and GROUP BY.
    """
    if interval == "day":
        return column
    if dialect != "sqlite":
        # Truncated as a timestamp without time zone: `date_trunc` of a bare date goes through
        # `timestamptz` and the session's time zone, which took half of a year grouping's time.
        truncated = func.date_trunc(literal_column(f"'{interval}'"), cast(column, TIMESTAMP))
        return cast(truncated, Date)
    if interval in _ISO_PREFIX:
        # SQLite stores dates as ISO text: a month or year starts where its prefix does, and
        # cutting the text is cheaper than date()'s parsing (a third of a grouping's time).
        rest = _ISO_PREFIX[interval][1]
        return type_coerce(
            _iso_prefix(column, interval).op("||")(literal_column(f"'{rest}'")), Date
        )
    if interval == "week":
        # the next Sunday (or this one), then back to its Monday: the ISO week's start
        return func.date(
            column, literal_column("'weekday 0'"), literal_column("'-6 days'"), type_=Date
        )
    # A quarter: the month's start, back (month - 1) % 3 months.
    month = cast(func.strftime(literal_column("'%m'"), column), Integer)
    back = func.printf(literal_column("'-%d months'"), (month - 1) % 3)
    return func.date(column, literal_column("'start of month'"), back, type_=Date)


def _iso_prefix(column: ColumnElement[Any], interval: str) -> ColumnElement[Any]:
    """On SQLite, the characters of an ISO date that name its month or year."""
    length = _ISO_PREFIX[interval][0]
    return func.substr(column, literal_column("1"), literal_column(str(length)))


def period_end(start: dt.date, interval: str) -> dt.date:
    """The last day of the period starting on `start`."""
    if interval == "day":
        return start
    if interval == "week":
        return start + dt.timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[interval]
    index = start.month - 1 + months
    following = dt.date(start.year + index // 12, index % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def is_within(
    dialect: str,
    start: ColumnElement[Any],
    end: ColumnElement[Any],
    precision: ColumnElement[Any] | None,
    interval: str,
) -> ColumnElement[bool]:
    """Whether a dated span lies wholly inside one period (see the module's rule)."""
    last = func.coalesce(end, start, type_=Date)
    if dialect == "sqlite" and interval in _ISO_PREFIX:
        # Two dates share a month or year when their prefixes are equal: no period is built
        # for the comparison (a region-by-year grouping evaluates this for every event).
        same = _iso_prefix(start, interval) == _iso_prefix(last, interval)
    else:
        same = period_start(dialect, start, interval) == period_start(dialect, last, interval)
    if precision is None:
        return same
    return and_(same, not_(func.coalesce(precision, "").in_(OPEN_PRECISIONS)))


def honest_period(
    dialect: str,
    start: ColumnElement[Any],
    end: ColumnElement[Any],
    precision: ColumnElement[Any] | None,
    interval: str,
) -> ColumnElement[Any]:
    """The period a span is in, or NULL when it spans periods (or has no date)."""
    within = is_within(dialect, start, end, precision, interval)
    return case((within, period_start(dialect, start, interval)), else_=None)


def as_date(value: Any) -> dt.date:
    """A period value as a date (SQLite may hand back text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
