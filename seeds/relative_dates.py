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
day is read from the words when not given ("Tuesday night" → night), and a night may run past
midnight into the next day.

Two other anchors count a weekday inside another record's dates rather than back from
publication: `relative_to: part_of` (an event's weekday within the event it is part of — the
riots' 4-8 January make "Tuesday night" the 4th) and `relative_to: event` (a figure's weekday
within its event's dates).
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


def within(expression: str, span: DateSpan) -> tuple[dt.date, dt.date] | None:
    """The first and last day `expression` (a weekday) can mean inside `span`; None when it
    names no weekday, or none falls inside."""
    weekday = _WEEKDAY.search(expression)
    if weekday is None:
        return None
    target = _WEEKDAYS.index(weekday["day"].lower())
    days = [
        span.first + dt.timedelta(days=n)
        for n in range((span.last - span.first).days + 1)
        if (span.first + dt.timedelta(days=n)).weekday() == target
    ]
    return (days[0], days[-1]) if days else None


def _anchor(
    dataset: DatasetSeed, kind: str, placed: Placed[Any], anchor: DateAnchor
) -> tuple[DateSpan, str] | str:
    """The span a relative date is counted from, and how to name it; or what is missing."""
    record = placed.record
    if anchor is DateAnchor.PUBLICATION:
        if kind == "source":
            return "a publication date is not relative to itself"
        source = dataset.sources.get(placed.source or "")
        published = source.record.published if source is not None else None
        if published is None or published.start is None:
            return f"relative to the publication date, but source '{placed.source}' has none"
        return published, "published"
    if anchor is DateAnchor.PART_OF and kind == "event":
        wholes = [link.event for link in record.links if link.kind.value == "part_of"]
        whole = dataset.events.get(wholes[0]) if len(wholes) == 1 else None
        if whole is None or whole.record.date.start is None:
            return "relative to the event it is part of, but it names no one `part_of` event"
        return whole.record.date, f"within {whole.record.id}'s dates"
    if anchor is DateAnchor.EVENT and kind == "figure":
        event = dataset.events.get(record.event or "")
        if event is None or event.record.date.start is None:
            return "relative to its event's dates, but the figure names no event"
        return event.record.date, f"within {event.record.id}'s dates"
    return f"`relative_to: {anchor.value}` does not apply to a {kind}'s date"


def _resolve(dataset: DatasetSeed, kind: str, placed: Placed[Any], field: str) -> Iterator[Issue]:
    value: DateSpan | None = getattr(placed.record, field)
    if value is None or value.relative_to is None:
        return
    assert value.expression is not None  # the model requires it with `relative_to`
    anchored = _anchor(dataset, kind, placed, value.relative_to)
    if isinstance(anchored, str):
        yield placed.issue((field, "relative_to"), anchored)
        return
    span, named = anchored
    if value.relative_to is DateAnchor.PUBLICATION:
        found = meanings(value.expression, span)
    else:
        found = within(value.expression, span)
    if found is None:
        where = (
            "from the publication date (a weekday, 'today', 'yesterday', 'last night' …)"
            if value.relative_to is DateAnchor.PUBLICATION
            else f"{named} ({_days(span.first, span.last)}): no such weekday in them"
        )
        yield placed.issue(
            (field, "expression"),
            f"cannot count {value.expression!r} {where}: give `start` (and `end`) instead",
        )
        return
    first, last = found
    time_of_day = value.time_of_day or _time_of_day(value.expression)
    if time_of_day is TimeOfDay.NIGHT:
        last += dt.timedelta(days=1)  # a night may run past midnight
    if value.start is not None and not (first <= value.start and value.last <= last):
        yield placed.issue(
            (field, "start"),
            f"{value.expression!r}, {named} {_days(span.first, span.last)}, means "
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
        update["time_of_day"] = time_of_day
    placed.record = placed.record.model_copy(update={field: value.model_copy(update=update)})


def _time_of_day(expression: str) -> TimeOfDay | None:
    return next((time for pattern, time in _TIMES if pattern.search(expression)), None)


def _days(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
