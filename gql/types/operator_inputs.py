"""GraphQL filter inputs, turned into the plain JSON filters that `schema.filters` compiles.

The input types mirror `schema.filters` key for key (camelCase, PostGraphile operators), so a
`filter:` argument copied from GraphiQL works unchanged as an export filter. This module only
declares the types and converts them to dicts; all SQL is made in `schema.filters`.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.base import has_strawberry_definition
from strawberry.utils.str_converters import to_camel_case

from schema import enums

E = TypeVar("E")

_EQ = "Equal to the value."
_NE = "Not equal to the value; also matches records where the field is empty."
_IN = "Equal to one of the values (at most 1000)."
_NOT_IN = "Equal to none of the values; also matches records where the field is empty."
_NULL = "True: the field is empty; false: it has a value."
_LT, _LE = "Less than the value.", "Less than or equal to the value."
_GT, _GE = "Greater than the value.", "Greater than or equal to the value."


def _op(description: str) -> Any:
    return strawberry.field(default=None, description=description)


@strawberry.input(description="Conditions on a text field; all given operators must hold.")
class StringFilter:
    """Text operators."""

    equal_to: str | None = _op(_EQ)
    not_equal_to: str | None = _op(_NE)
    in_: list[str] | None = strawberry.field(name="in", default=None, description=_IN)
    not_in: list[str] | None = _op(_NOT_IN)
    is_null: bool | None = _op(_NULL)
    less_than: str | None = _op("Sorts before the value.")
    less_than_or_equal_to: str | None = _op("Sorts before or equal to the value.")
    greater_than: str | None = _op("Sorts after the value.")
    greater_than_or_equal_to: str | None = _op("Sorts after or equal to the value.")
    includes_insensitive: str | None = _op(
        "Contains the text, ignoring case (on SQLite, case is ignored for ASCII letters only)."
    )
    starts_with: str | None = _op("Starts with the text (case-sensitive).")


@strawberry.input(description="Conditions on an integer field; all given operators must hold.")
class IntFilter:
    """Integer operators."""

    equal_to: int | None = _op(_EQ)
    not_equal_to: int | None = _op(_NE)
    in_: list[int] | None = strawberry.field(name="in", default=None, description=_IN)
    not_in: list[int] | None = _op(_NOT_IN)
    is_null: bool | None = _op(_NULL)
    less_than: int | None = _op(_LT)
    less_than_or_equal_to: int | None = _op(_LE)
    greater_than: int | None = _op(_GT)
    greater_than_or_equal_to: int | None = _op(_GE)


@strawberry.input(description="Conditions on a number field; all given operators must hold.")
class FloatFilter:
    """Number operators."""

    equal_to: float | None = _op(_EQ)
    not_equal_to: float | None = _op(_NE)
    in_: list[float] | None = strawberry.field(name="in", default=None, description=_IN)
    not_in: list[float] | None = _op(_NOT_IN)
    is_null: bool | None = _op(_NULL)
    less_than: float | None = _op(_LT)
    less_than_or_equal_to: float | None = _op(_LE)
    greater_than: float | None = _op(_GT)
    greater_than_or_equal_to: float | None = _op(_GE)


@strawberry.input(description="Conditions on a single date; all given operators must hold.")
class DateFilter:
    """Date operators."""

    equal_to: dt.date | None = _op(_EQ)
    not_equal_to: dt.date | None = _op(_NE)
    in_: list[dt.date] | None = strawberry.field(name="in", default=None, description=_IN)
    not_in: list[dt.date] | None = _op(_NOT_IN)
    is_null: bool | None = _op(_NULL)
    less_than: dt.date | None = _op("Before the day.")
    less_than_or_equal_to: dt.date | None = _op("On or before the day.")
    greater_than: dt.date | None = _op("After the day.")
    greater_than_or_equal_to: dt.date | None = _op("On or after the day.")


@strawberry.input(
    description="Conditions on a date range (a record's first to last possible day), compared "
    "by overlap: `{greaterThanOrEqualTo: A, lessThanOrEqualTo: B}` matches every record whose "
    "range overlaps A–B, including a riot from 2 to 9 January for A–B = 4–10 January."
)
class DateRangeFilter:
    """Date range operators (overlap)."""

    equal_to: dt.date | None = _op("The range contains the day.")
    not_equal_to: dt.date | None = _op("The range does not contain the day (or is empty).")
    in_: list[dt.date] | None = strawberry.field(
        name="in", default=None, description="The range contains one of the days."
    )
    not_in: list[dt.date] | None = _op("The range contains none of the days (or is empty).")
    is_null: bool | None = _op("True: the record has no date; false: it has one.")
    less_than: dt.date | None = _op("The range starts before the day.")
    less_than_or_equal_to: dt.date | None = _op("The range starts on or before the day.")
    greater_than: dt.date | None = _op("The range ends after the day.")
    greater_than_or_equal_to: dt.date | None = _op("The range ends on or after the day.")


@strawberry.input(description="Conditions on a vocabulary field.")
class EnumFilter(Generic[E]):
    """Operators of a vocabulary (enum) field."""

    equal_to: E | None = _op(_EQ)
    not_equal_to: E | None = _op(_NE)
    in_: list[E] | None = strawberry.field(name="in", default=None, description=_IN)
    not_in: list[E] | None = _op(_NOT_IN)
    is_null: bool | None = _op(_NULL)


@strawberry.input(description="Conditions on a value of `EventType`.")
class EventTypeFilter(EnumFilter[enums.EventType]):
    """Conditions on a value of EventType."""


@strawberry.input(description="Conditions on a value of `EventSubType`.")
class EventSubTypeFilter(EnumFilter[enums.EventSubType]):
    """Conditions on a value of EventSubType."""


@strawberry.input(description="Conditions on a value of `DatePrecision`.")
class DatePrecisionFilter(EnumFilter[enums.DatePrecision]):
    """Conditions on a value of DatePrecision."""


@strawberry.input(description="Conditions on a value of `CoordinatePrecision`.")
class CoordinatePrecisionFilter(EnumFilter[enums.CoordinatePrecision]):
    """Conditions on a value of CoordinatePrecision."""


@strawberry.input(description="Conditions on a value of `EventLinkKind`.")
class EventLinkKindFilter(EnumFilter[enums.EventLinkKind]):
    """Conditions on a value of EventLinkKind."""


@strawberry.input(description="Conditions on a value of `ActorKind`.")
class ActorKindFilter(EnumFilter[enums.ActorKind]):
    """Conditions on a value of ActorKind."""


@strawberry.input(description="Conditions on a value of `ParticipationRole`.")
class ParticipationRoleFilter(EnumFilter[enums.ParticipationRole]):
    """Conditions on a value of ParticipationRole."""


@strawberry.input(description="Conditions on a value of `StatementKind`.")
class StatementKindFilter(EnumFilter[enums.StatementKind]):
    """Conditions on a value of StatementKind."""


@strawberry.input(description="Conditions on a value of `StatementMode`.")
class StatementModeFilter(EnumFilter[enums.StatementMode]):
    """Conditions on a value of StatementMode."""


@strawberry.input(description="Conditions on a value of `FigureKind`.")
class FigureKindFilter(EnumFilter[enums.FigureKind]):
    """Conditions on a value of FigureKind."""


@strawberry.input(description="Conditions on a value of `FigureQualifier`.")
class FigureQualifierFilter(EnumFilter[enums.FigureQualifier]):
    """Conditions on a value of FigureQualifier."""


@strawberry.input(description="Conditions on a value of `FigureStatus`.")
class FigureStatusFilter(EnumFilter[enums.FigureStatus]):
    """Conditions on a value of FigureStatus."""


def to_json_filter(value: Any) -> Any:
    """A filter input as the plain JSON `schema.filters` compiles (unset keys left out)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if has_strawberry_definition(value):
        result: dict[str, Any] = {}
        for field in value.__strawberry_definition__.fields:
            item = getattr(value, field.python_name)
            if item is None or item is strawberry.UNSET:
                continue
            name = field.graphql_name or to_camel_case(field.python_name)
            result[name] = to_json_filter(item)
        return result
    if isinstance(value, list):
        return [to_json_filter(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
