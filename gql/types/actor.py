"""The `Actor` type: a person, body, force, organisation, group or crowd."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from gql import listing
from gql.arguments import After, Before, First, Last
from gql.connections import Connection
from gql.context import Info
from gql.lists import PageArgs, by_id, nested_connection
from gql.ordering import ActorOrder, FigureOrder, StatementOrder
from gql.record_filters import ActorFilter, FigureFilter, ParticipationFilter, StatementFilter
from gql.types.common import Record, record_fields
from schema import enums

if TYPE_CHECKING:
    from gql.aggregates import ActorAggregates
    from gql.types.figure import FigureConnection
    from gql.types.links import ParticipationConnection
    from gql.types.statement import StatementConnection

_FIGURES = Annotated[
    FigureFilter | None, strawberry.argument(description="Only figures matching this.")
]
_FIGURE_ORDER = Annotated[
    list[FigureOrder] | None, strawberry.argument(description="Sort keys; default: as-of date.")
]
_STATEMENTS = Annotated[
    StatementFilter | None, strawberry.argument(description="Only statements matching this.")
]
_STATEMENT_ORDER = Annotated[
    list[StatementOrder] | None, strawberry.argument(description="Sort keys; default: date said.")
]


@strawberry.type(
    name="Actor",
    description="A person, state body, security force, organisation, group or crowd: what it "
    "took part in, what it said, which figures it reported, and where it belongs.",
)
class ActorType(Record):
    """An actor."""

    node_kind: ClassVar[str] = "Actor"
    name: str = strawberry.field(description="The name, as the source gives it.")
    aliases: list[str] = strawberry.field(description="Other names the source uses.")
    kind: enums.ActorKind = strawberry.field(description="What sort of actor.")
    country_code: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2 code of the actor's country, if it has one."
    )
    title: str | None = strawberry.field(
        description="The role or title the actor held when it appears (e.g. 'Interior Minister')."
    )
    description: str | None = strawberry.field(description="Who or what the actor is.")
    external_id: str | None = strawberry.field(description="The ID in an imported dataset.")
    codes: JSON = strawberry.field(description="Original codes from an imported dataset.")
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row[Any]) -> ActorType:
        """The actor of an `actor` table row."""
        return cls(
            **record_fields(row),
            name=row.name,
            aliases=list(row.aliases or []),
            kind=enums.ActorKind(row.kind),
            country_code=row.country_code,
            title=row.title,
            description=row.description,
            external_id=row.external_id,
            codes=row.codes,
            parent_id=row.parent_id,
        )

    @strawberry.field(
        description="The actor this one belongs to: a minister's ministry, a force's state."
    )
    async def parent(self, info: Info) -> ActorType | None:
        """The actor's parent."""
        return await by_id(info, listing.ACTORS, self.parent_id, ActorType.from_row)

    @strawberry.field(description="Actors that belong to this one (its `parent` is this actor).")
    async def children(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            ActorFilter | None, strawberry.argument(description="Only actors matching this.")
        ] = None,
        order_by: Annotated[
            list[ActorOrder] | None, strawberry.argument(description="Sort keys; default: name.")
        ] = None,
    ) -> ActorConnection:
        """The actor's children."""
        return await nested_connection(
            info,
            ActorConnection,
            listing.ACTOR_CHILDREN,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=ActorType.from_row,
        )

    @strawberry.field(
        description="The events the actor took part in, each with its role, in date order."
    )
    async def participations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            ParticipationFilter | None,
            strawberry.argument(
                description="Only parts matching this, e.g. `{role: {equalTo: PERPETRATOR}}`."
            ),
        ] = None,
    ) -> Annotated[ParticipationConnection, strawberry.lazy("gql.types.links")]:
        """The actor's participations."""
        from gql.types.links import ParticipationConnection, ParticipationType

        return await nested_connection(
            info,
            ParticipationConnection,
            listing.ACTOR_PARTICIPATIONS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=None,
            to_node=ParticipationType.from_row,
        )

    @strawberry.field(description="Statements the actor made (it is their speaker).")
    async def statements(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _STATEMENTS = None,
        order_by: _STATEMENT_ORDER = None,
    ) -> Annotated[StatementConnection, strawberry.lazy("gql.types.statement")]:
        """The actor's statements."""
        from gql.types.statement import StatementConnection, StatementType

        return await nested_connection(
            info,
            StatementConnection,
            listing.ACTOR_STATEMENTS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=StatementType.from_row,
        )

    @strawberry.field(description="Statements by anyone that are about this actor.")
    async def statements_about(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _STATEMENTS = None,
        order_by: _STATEMENT_ORDER = None,
    ) -> Annotated[StatementConnection, strawberry.lazy("gql.types.statement")]:
        """Statements about the actor."""
        from gql.types.statement import StatementConnection, StatementType

        return await nested_connection(
            info,
            StatementConnection,
            listing.ACTOR_STATEMENTS_ABOUT,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=StatementType.from_row,
        )

    @strawberry.field(description="Figures the actor reported (it is their claimant).")
    async def reported_figures(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _FIGURES = None,
        order_by: _FIGURE_ORDER = None,
    ) -> Annotated[FigureConnection, strawberry.lazy("gql.types.figure")]:
        """Figures the actor claimed."""
        from gql.types.figure import FigureConnection, FigureType

        return await nested_connection(
            info,
            FigureConnection,
            listing.ACTOR_REPORTED_FIGURES,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=FigureType.from_row,
        )

    @strawberry.field(description="Figures that count this actor's people (e.g. one side's dead).")
    async def counted_in(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _FIGURES = None,
        order_by: _FIGURE_ORDER = None,
    ) -> Annotated[FigureConnection, strawberry.lazy("gql.types.figure")]:
        """Figures counting the actor."""
        from gql.types.figure import FigureConnection, FigureType

        return await nested_connection(
            info,
            FigureConnection,
            listing.ACTOR_COUNTED_IN,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=FigureType.from_row,
        )


@strawberry.type(
    name="ActorConnection",
    description="A page of actors, with the total count and aggregates of all matching actors.",
)
class ActorConnection(Connection[ActorType]):
    """A page of actors."""

    @strawberry.field(description="Counts over all matching actors, pagination ignored.")
    def aggregates(self) -> Annotated[ActorAggregates, strawberry.lazy("gql.aggregates")]:
        """Aggregates of the actors this connection ranges over."""
        from gql.aggregates import ActorAggregates

        return ActorAggregates(scope=self.scope)
