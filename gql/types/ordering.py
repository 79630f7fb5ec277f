"""The `orderBy:` inputs: sort fields per record kind, always ending in the primary key.

Each `...OrderField` value is a key of the `orders` of a `gql.data.listing.Listing`. The primary key
is appended as the last sort key in every ordering, so records that tie on the requested
fields still come in one fixed order and keyset cursors are unambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Protocol

import strawberry

from gql.types.vocabularies import OrderDirection

_DIRECTION = "Which way to sort; ascending unless given."


@strawberry.enum(description="Fields to sort events by.")
class EventOrderField(Enum):
    """Event sort fields."""

    DATE = strawberry.enum_value("DATE", description="The first possible day.")
    END_DATE = strawberry.enum_value("END_DATE", description="The last possible day.")
    TITLE = strawberry.enum_value("TITLE", description="The title.")
    TYPE = strawberry.enum_value("TYPE", description="The event type (by its stored value).")
    SUB_TYPE = strawberry.enum_value("SUB_TYPE", description="The sub-type (by stored value).")
    COUNTRY = strawberry.enum_value(
        "COUNTRY", description="The country code; events without one first."
    )
    ADMIN1 = strawberry.enum_value("ADMIN1", description="The region; events without one first.")
    PLACE = strawberry.enum_value("PLACE", description="The place; events without one first.")
    SLUG = strawberry.enum_value("SLUG", description="The slug.")


@strawberry.enum(description="Fields to sort actors by.")
class ActorOrderField(Enum):
    """Actor sort fields."""

    NAME = strawberry.enum_value("NAME", description="The name.")
    KIND = strawberry.enum_value("KIND", description="The kind (by stored value).")
    COUNTRY = strawberry.enum_value(
        "COUNTRY", description="The country code; actors without one first."
    )
    SLUG = strawberry.enum_value("SLUG", description="The slug.")


@strawberry.enum(description="Fields to sort statements by.")
class StatementOrderField(Enum):
    """Statement sort fields."""

    DATE = strawberry.enum_value(
        "DATE", description="The first possible day it was said; undated statements first."
    )
    KIND = strawberry.enum_value("KIND", description="The kind (by stored value).")
    SLUG = strawberry.enum_value("SLUG", description="The slug.")


@strawberry.enum(description="Fields to sort figures by.")
class FigureOrderField(Enum):
    """Figure sort fields."""

    AS_OF = strawberry.enum_value(
        "AS_OF", description="The first day the figure is as of; figures without one first."
    )
    BEST = strawberry.enum_value(
        "BEST", description="The best number (`Figure.best`); figures without one first."
    )
    KIND = strawberry.enum_value("KIND", description="What is counted (by stored value).")
    SLUG = strawberry.enum_value("SLUG", description="The slug.")


@strawberry.enum(description="Fields to sort sources by.")
class SourceOrderField(Enum):
    """Source sort fields."""

    PUBLISHED = strawberry.enum_value(
        "PUBLISHED", description="The first possible publication day; undated sources first."
    )
    HEADLINE = strawberry.enum_value("HEADLINE", description="The headline.")
    SLUG = strawberry.enum_value("SLUG", description="The slug.")


@strawberry.input(description="One sort key for events.")
class EventOrder:
    """An event sort key."""

    field: EventOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="One sort key for actors.")
class ActorOrder:
    """An actor sort key."""

    field: ActorOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="One sort key for statements.")
class StatementOrder:
    """A statement sort key."""

    field: StatementOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="One sort key for figures.")
class FigureOrder:
    """A figure sort key."""

    field: FigureOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="One sort key for sources.")
class SourceOrder:
    """A source sort key."""

    field: SourceOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


class _OrderInput(Protocol):
    @property
    def field(self) -> Enum: ...

    @property
    def direction(self) -> OrderDirection: ...


def sort_request(order_by: Sequence[_OrderInput] | None) -> list[tuple[str, bool]] | None:
    """(field, descending) pairs for `Listing.ordering`, or None for the default order."""
    if not order_by:
        return None
    return [(str(item.field.value), item.direction is OrderDirection.DESC) for item in order_by]
