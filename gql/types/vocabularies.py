"""The controlled vocabularies as GraphQL enums, documented value by value.

The enums of `schema.enums` are registered with Strawberry as they are (resolvers return their
members), named after their class, with the class docstring as the enum's description and each
member's `.description` as the value's. GraphQL names are the member names (`PEACEFUL_PROTEST`);
the database and seed files hold the lower-case values (`peaceful_protest`).
"""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from schema import enums

_VOCABULARIES: tuple[type[enums.DescribedEnum], ...] = (
    enums.DatePrecision,
    enums.DateAnchor,
    enums.ClaimBasis,
    enums.TimeOfDay,
    enums.CoordinatePrecision,
    enums.EventType,
    enums.EventSubType,
    enums.EventLinkKind,
    enums.ActorKind,
    enums.ParticipationRole,
    enums.StatementKind,
    enums.StatementMode,
    enums.FigureKind,
    enums.FigureQualifier,
    enums.FigureStatus,
    enums.EstimateRelation,
)


def _register(vocabulary: type[enums.DescribedEnum]) -> None:
    if hasattr(vocabulary, "__strawberry_definition__"):
        return
    doc = " ".join((vocabulary.__doc__ or vocabulary.__name__).split())
    strawberry.enum(vocabulary, name=vocabulary.__name__, description=doc)
    definition: StrawberryEnumDefinition = vocabulary.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = vocabulary[value.name].description


for _vocabulary in _VOCABULARIES:
    _register(_vocabulary)


@strawberry.enum(name="OrderDirection", description="Which way to sort.")
class OrderDirection(Enum):
    """Sort direction."""

    ASC = strawberry.enum_value("asc", description="Smallest (earliest, A–Z) first.")
    DESC = strawberry.enum_value("desc", description="Largest (latest, Z–A) first.")


@strawberry.enum(name="TimeInterval", description="The width of a timeline bucket.")
class TimeInterval(Enum):
    """Timeline bucket width."""

    DAY = strawberry.enum_value("day", description="One bucket per calendar day.")
    WEEK = strawberry.enum_value(
        "week", description="One bucket per ISO week, Monday to Sunday; keyed by its Monday."
    )
    MONTH = strawberry.enum_value(
        "month", description="One bucket per calendar month; keyed by its first day."
    )
    QUARTER = strawberry.enum_value(
        "quarter",
        description="One bucket per calendar quarter (January–March, ...); keyed by its first day.",
    )
    YEAR = strawberry.enum_value(
        "year", description="One bucket per calendar year; keyed by 1 January."
    )
