"""Value objects spread over a record's row (`DateSpan`, `Location`, `Evidence`) and the
direct-quote rule: each defined once, its Python computation beside its SQL twin.

A value object is a Strawberry type plus an `Embedded` spec saying which columns make it and
when it is there. The general executor builds the object with `Embedded.value(row)`; the fast
path writes the same parts in SQL (`gql.fastpath.inline`) or reads them from the row
(`gql.fastpath.compiler`). Every computed part carries both forms here, next to each other,
so a change to one is made where the other is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import strawberry
from sqlalchemy import Boolean, Date, Text, cast, func, literal_column, or_
from sqlalchemy.sql.elements import ColumnElement

from gql.data import listing
from gql.data.listing import Listing
from gql.types.fields import RowObject, column
from gql.types.specs import Column, Computed, Embedded
from schema import enums

# --- the Python computations and their SQL twins ---------------------------------------------


def _present(value: Any) -> bool:
    return value is not None


def _present_sql(value: ColumnElement[Any]) -> ColumnElement[Any]:
    return value.is_not(None)


def _either(first: Any, second: Any) -> bool:
    return first is not None or second is not None


def _either_sql(first: ColumnElement[Any], second: ColumnElement[Any]) -> ColumnElement[Any]:
    return or_(first.is_not(None), second.is_not(None))


def _or_start(end: Any, start: Any) -> Any:
    return end or start


def _or_start_sql(end: ColumnElement[Any], start: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(end, start, type_=Date)


def _precision(precision: str | None) -> str:
    return precision or enums.DatePrecision.DAY.value


def _precision_sql(precision: ColumnElement[Any]) -> ColumnElement[Any]:
    day = literal_column(f"'{enums.DatePrecision.DAY.value}'", Text)
    return func.coalesce(precision, day, type_=Text)


def _is_quote(mode: str) -> bool:
    return bool(mode == enums.StatementMode.QUOTE.value)


def _is_quote_sql(mode: ColumnElement[Any]) -> ColumnElement[Any]:
    quote = literal_column(f"'{enums.StatementMode.QUOTE.value}'", Text)
    return cast(mode == quote, Boolean)


#: Whether a statement's `text` is a direct quote: its mode is QUOTE.
DIRECT_QUOTE = Computed(_is_quote, ("mode",), _is_quote_sql, null=False)


# --- DateSpan ----------------------------------------------------------------------------------


@strawberry.type(
    name="DateSpan",
    description="A date or date range, with how precisely it is known and how it was derived. "
    "A one-day date has `start` = `end`.",
)
class DateSpan:
    """A date or date range."""

    start: dt.date = strawberry.field(
        description="The first possible day; for precision BEFORE (the source gives no "
        "start) the same as `end`, a day to sort by rather than a known first day."
    )
    end: dt.date = strawberry.field(description="The last possible day (= `start` for one day).")
    precision: enums.DatePrecision = strawberry.field(
        description="How precisely the date is known."
    )
    note: str | None = strawberry.field(
        description="How the date was derived, e.g. 'on Sunday' resolved against the "
        "publication date; null when the source states it plainly."
    )
    expression: str | None = strawberry.field(
        description="The source's words for the date, verbatim ('on Sunday', 'Tuesday night'), "
        "when the coder recorded them."
    )
    relative_to: enums.DateAnchor | None = strawberry.field(
        description="What `expression` is relative to (PUBLICATION: the source's publication "
        "date); the date was derived from, or checked against, it when the data was loaded."
    )
    time_of_day: enums.TimeOfDay | None = strawberry.field(
        description="The part of the day, when the source gives it ('Tuesday night' → NIGHT)."
    )


#: The columns that say how a date was derived, named `<prefix><part>` for every prefix.
_DERIVATION = ("expression", "relative_to", "time_of_day")


def date_span(prefix: str) -> Embedded:
    """The `DateSpan` of the columns `<prefix>start`, `<prefix>end`, `<prefix>precision`,
    `<prefix>note`; the prefix "date_" stands for start_date, end_date, date_precision,
    date_note. There is a span when its start is known."""
    if prefix == "date_":
        first, last, precision, note = "start_date", "end_date", "date_precision", "date_note"
    else:
        first, last = f"{prefix}start", f"{prefix}end"
        precision, note = f"{prefix}precision", f"{prefix}note"
    return Embedded(
        DateSpan,
        Computed(_present, (first,), _present_sql, null=False),
        {
            "start": Column(first),
            # Never null where the span is present: then the start is not null.
            "end": Computed(_or_start, (last, first), _or_start_sql, null=False),
            "precision": Computed(_precision, (precision,), _precision_sql, null=False),
            "note": Column(note),
            **{part: Column(f"{prefix}{part}") for part in _DERIVATION},
        },
        guaranteed=(first,),
    )


# --- Location ----------------------------------------------------------------------------------


@strawberry.type(
    name="Location",
    description="Where something happened: country, regions, place and optional coordinates.",
)
class Location(RowObject):
    """A location: an event's main one (`Event.location`, columns of the event's row) or one of
    its further locations (`Event.otherLocations`, rows of their own with the same columns)."""

    table_listing: ClassVar[Listing] = listing.OTHER_LOCATIONS
    country_code: str = column("country_code", description="ISO 3166-1 alpha-2 code, e.g. KZ.")
    country: str | None = column("country", description="The country's English name.")
    admin1: str | None = column(
        "admin1",
        description="First-order division: region, or a city with regional status (Almaty).",
    )
    admin2: str | None = column("admin2", description="Second-order division (district).")
    place: str | None = column("place", description="The named place: city, town or site.")
    latitude: float | None = column("latitude", description="Latitude in decimal degrees (WGS 84).")
    longitude: float | None = column(
        "longitude", description="Longitude in decimal degrees (WGS 84)."
    )
    coordinate_precision: enums.CoordinatePrecision | None = column(
        "coordinate_precision",
        description="What the coordinates stand for (the exact site, a city centroid, ...).",
    )
    geonames_id: int | None = column(
        "geonames_id", description="GeoNames ID of the place the coordinates were taken from."
    )
    description: str | None = column(
        "description",
        description="The source's words for a place it names only loosely, with no region or "
        "town to code it by: 'the west of the country'.",
    )


#: An event's location: there when its country is known.
LOCATION = Embedded(
    Location,
    Computed(_present, ("country_code",), _present_sql, null=False),
    {
        **{
            name: Column(name)
            for name in (
                "country_code",
                "country",
                "admin1",
                "admin2",
                "place",
                "latitude",
                "longitude",
                "coordinate_precision",
                "geonames_id",
            )
        },
        # An event's row names the description as its location's.
        "description": Column("location_description"),
    },
    guaranteed=("country_code",),
)


# --- Evidence ----------------------------------------------------------------------------------


@strawberry.type(
    name="Evidence",
    description="The words of the source a record was read from: the exact sentence or span, "
    "and where it sits in the source's text.",
)
class Evidence:
    """An evidence span."""

    text: str | None = strawberry.field(description="The exact words, verbatim from the source.")
    start: int | None = strawberry.field(
        description="Offset of the first character in the source's `text` (0-based, in "
        "Unicode code points); null when the source has no text."
    )
    end: int | None = strawberry.field(
        description="Offset just past the last character in the source's `text`."
    )
    locator: str | None = strawberry.field(
        description="Where in a source without text the record comes from (e.g. 'row 1234')."
    )


#: A record's evidence: there when it names words or a locator.
EVIDENCE = Embedded(
    Evidence,
    Computed(_either, ("evidence", "locator"), _either_sql, null=False),
    {
        "text": Column("evidence"),
        "start": Column("evidence_start"),
        "end": Column("evidence_end"),
        "locator": Column("locator"),
    },
)
