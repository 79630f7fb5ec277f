"""The `orderBy:` inputs: sort fields per record kind, always ending in the primary key.

Each `...OrderField` enum is made from the `orders` of a `gql.data.listing.Listing`, where each
sort field is declared once with its description: a sort field added there is offered here.
The primary key is appended as the last sort key in every ordering, so records that tie on the
requested fields still come in one fixed order and keyset cursors are unambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Protocol

import strawberry

from gql.data.listing import ACTORS, EVENTS, FIGURES, SOURCES, STATEMENTS, Listing
from gql.types.vocabularies import OrderDirection

_DIRECTION = "Which way to sort; ascending unless given."


def _type_name(listing: Listing) -> str:
    """The GraphQL name of a listing's records: `Event` for events."""
    return listing.name[:1].upper() + listing.name[1:]


def _order_enum(listing: Listing, plural: str) -> type[Enum]:
    """The `...OrderField` enum of a listing: one value per sort field, described there."""
    values = {
        name: strawberry.enum_value(name, description=sort.description)
        for name, sort in listing.orders.items()
    }
    made = Enum(f"{_type_name(listing)}OrderField", values)  # type: ignore[misc]
    return strawberry.enum(made, description=f"Fields to sort {plural} by.")


def _order_input(listing: Listing, plural: str) -> type:
    """The `...Order` input of a listing: a sort field and a direction."""
    name = _type_name(listing)
    fields = _order_enum(listing, plural)
    namespace = {
        "__module__": __name__,
        "__doc__": f"A sort key for {plural}.",
        "__annotations__": {"field": fields, "direction": OrderDirection},
        "field": strawberry.field(description="What to sort by."),
        "direction": strawberry.field(default=OrderDirection.ASC, description=_DIRECTION),
    }
    made: type = strawberry.input(
        type(f"{name}Order", (), namespace), description=f"One sort key for {plural}."
    )
    return made


EventOrder = _order_input(EVENTS, "events")
ActorOrder = _order_input(ACTORS, "actors")
StatementOrder = _order_input(STATEMENTS, "statements")
FigureOrder = _order_input(FIGURES, "figures")
SourceOrder = _order_input(SOURCES, "sources")


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
