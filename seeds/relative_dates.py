"""Dates written as the source writes them ("on Sunday"), derived from its publication date.

A report says "on Sunday", not "9 January 2022". A seed record may keep those words with what
they are relative to:

    date: {expression: On Sunday, relative_to: publication}

and the loader derives the date from the source's publication date: a weekday is the last such
day on or before publication ("last Tuesday": strictly before), "today"/"tonight" the day of
publication, "yesterday"/"last night" the day before. When the publication date is itself a
range, so is the derived date: every day the words can mean. Re-dating a source therefore
re-dates every record that says how its date was derived.

A record may also give `start` (and `end`) itself, narrowed by reasoning the words do not carry
(the riots ran 4–8 January, so "Tuesday night" is the 4th); the loader then checks that the
given dates lie within what the words allow, and reports them when they do not. The part of the
day is read from the words when not given ("Tuesday night" → night).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from schema.catalogue import RECORD_KINDS
from schema.enums import DateAnchor, DatePrecision, TimeOfDay
from schema.records import DateSpan
from seeds.issues import Issue
from seeds.seedset import DatasetSeed, Placed, SeedSet

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(rf"\b(?P<last>last\s+)?(?P<day>{'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
#: Words for a day counted back from publication: how many days back.
_DAYS_BACK = (
    (re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE), 1),
    (re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.IGNORECASE), 0),
)
_TIMES = (
    (re.compile(r"\bmorning\b", re.IGNORECASE), TimeOfDay.MORNING),
    (re.compile(r"\bafternoon\b", re.IGNORECASE), TimeOfDay.AFTERNOON),
    (re.compile(r"\bevening\b", re.IGNORECASE), TimeOfDay.EVENING),
    (re.compile(r"\b(?:night|tonight)\b", re.IGNORECASE), TimeOfDay.NIGHT),
)


def resolve_relative_dates(seeds: SeedSet) -> list[Issue]:
    """Derive (or check) every date given relative to its source's publication date."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        for spec in RECORD_KINDS.values():
            for placed in dataset.of_kind(spec.name).values():
                for span in spec.spans:
                    issues.extend(_resolve(dataset, spec.name, placed, span.field))
    return issues


def meanings(expression: str, published: DateSpan) -> tuple[dt.date, dt.date] | None:
    """The first and last day `expression` can mean, published any day of `published`; None
    when the words name no day this module can count."""
    days = [
        published.first + dt.timedelta(days=n)
        for n in range((published.last - published.first).days + 1)
    ]
    weekday = _WEEKDAY.search(expression)
    if weekday is not None:
        target = _WEEKDAYS.index(weekday["day"].lower())
        strictly = weekday["last"] is not None
        found = [_last_weekday(day, target, strictly) for day in days]
    else:
        back = next((n for pattern, n in _DAYS_BACK if pattern.search(expression)), None)
        if back is None:
            return None
        found = [day - dt.timedelta(days=back) for day in days]
    return min(found), max(found)


def _last_weekday(day: dt.date, weekday: int, strictly: bool) -> dt.date:
    back = (day.weekday() - weekday) % 7
    return day - dt.timedelta(days=back or (7 if strictly else 0))


def _resolve(dataset: DatasetSeed, kind: str, placed: Placed[Any], field: str) -> Iterator[Issue]:
    value: DateSpan | None = getattr(placed.record, field)
    if value is None or value.relative_to is not DateAnchor.PUBLICATION:
        return
    assert value.expression is not None  # the model requires it with `relative_to`
    if kind == "source":
        yield placed.issue((field, "relative_to"), "a publication date is not relative to itself")
        return
    source = dataset.sources.get(placed.source or "")
    published = source.record.published if source is not None else None
    if published is None or published.start is None:
        yield placed.issue(
            (field, "relative_to"),
            f"relative to the publication date, but source '{placed.source}' has none",
        )
        return
    found = meanings(value.expression, published)
    if found is None:
        yield placed.issue(
            (field, "expression"),
            f"cannot count {value.expression!r} from the publication date (a weekday, "
            "'today', 'yesterday', 'last night' …): give `start` (and `end`) instead",
        )
        return
    first, last = found
    if value.start is not None and not (first <= value.start and value.last <= last):
        yield placed.issue(
            (field, "start"),
            f"{value.expression!r}, published {_days(published.first, published.last)}, means "
            f"{_days(first, last)}; the date given is {_days(value.start, value.last)}",
        )
        return
    update: dict[str, Any] = {}
    if value.start is None:
        update.update(
            start=first,
            end=None if last == first else last,
            precision=DatePrecision.DAY if last == first else DatePrecision.RANGE,
        )
    if value.time_of_day is None:
        update["time_of_day"] = next(
            (time for pattern, time in _TIMES if pattern.search(value.expression)), None
        )
    placed.record = placed.record.model_copy(update={field: value.model_copy(update=update)})


def _days(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
