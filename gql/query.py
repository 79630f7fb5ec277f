"""The root `Query` type: lookups by ID and slug, and the root connections."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from gql import listing, lookups
from gql.arguments import After, Before, First, Last, Search
from gql.context import Info
from gql.filters import to_json_filter
from gql.lists import PageArgs, connection, make_scope
from gql.node import Node
from gql.ordering import (
    ActorOrder,
    EventOrder,
    FigureOrder,
    SourceOrder,
    StatementOrder,
    sort_request,
)
from gql.record_filters import (
    ActorFilter,
    EventFilter,
    FigureFilter,
    SourceFilter,
    StatementFilter,
)
from gql.types.actor import ActorConnection, ActorType
from gql.types.event import EventConnection, EventType
from gql.types.figure import FigureConnection, FigureType
from gql.types.source import DatasetType, SourceConnection, SourceType
from gql.types.statement import StatementConnection, StatementType
from schema.core import DATASET

_SLUG = Annotated[str, strawberry.argument(description="The record's slug (its seed-file ID).")]
_IN_DATASET = Annotated[
    str | None,
    strawberry.argument(
        description="The dataset's name. Needed only when the slug is used in several "
        "datasets; without it such a lookup is an error that lists them."
    ),
]


def _order(description: str) -> strawberry.types.arguments.StrawberryArgumentAnnotation:
    return strawberry.argument(
        description=f"Sort keys, applied in turn (default: {description}); the primary key is "
        "always the final tiebreaker, so the order is total and cursors are stable."
    )


@strawberry.type(
    name="Query",
    description="Event records from news: events, the actors in them, what was said, and the "
    "figures reported — each with its source and the words it was read from.",
)
class Query:
    """The root query type."""

    @strawberry.field(description="Any record by its global `id`; null if there is none.")
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        """A node by global ID."""
        return await lookups.node(info, id)

    @strawberry.field(
        description="Records by global IDs, in the same order (null for each one not found); "
        "at most 100 IDs."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        """Nodes by global IDs."""
        return await lookups.nodes(info, ids)

    @strawberry.field(description="An event by slug; null if there is none.")
    async def event(self, info: Info, slug: _SLUG, dataset: _IN_DATASET = None) -> EventType | None:
        """An event by slug."""
        return await lookups.by_slug(info, listing.EVENTS, slug, dataset, EventType.from_row)

    @strawberry.field(description="An actor by slug; null if there is none.")
    async def actor(self, info: Info, slug: _SLUG, dataset: _IN_DATASET = None) -> ActorType | None:
        """An actor by slug."""
        return await lookups.by_slug(info, listing.ACTORS, slug, dataset, ActorType.from_row)

    @strawberry.field(description="A statement by slug; null if there is none.")
    async def statement(
        self, info: Info, slug: _SLUG, dataset: _IN_DATASET = None
    ) -> StatementType | None:
        """A statement by slug."""
        return await lookups.by_slug(
            info, listing.STATEMENTS, slug, dataset, StatementType.from_row
        )

    @strawberry.field(description="A figure by slug; null if there is none.")
    async def figure(
        self, info: Info, slug: _SLUG, dataset: _IN_DATASET = None
    ) -> FigureType | None:
        """A figure by slug."""
        return await lookups.by_slug(info, listing.FIGURES, slug, dataset, FigureType.from_row)

    @strawberry.field(description="A source by slug; null if there is none.")
    async def source(
        self, info: Info, slug: _SLUG, dataset: _IN_DATASET = None
    ) -> SourceType | None:
        """A source by slug."""
        return await lookups.by_slug(info, listing.SOURCES, slug, dataset, SourceType.from_row)

    @strawberry.field(description="A dataset by name; null if there is none.")
    async def dataset(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The dataset's name.")],
    ) -> DatasetType | None:
        """A dataset by name."""
        rows = await info.context.db.all(select(DATASET).where(DATASET.c.name == name))
        return DatasetType.from_row(rows[0]) if rows else None

    @strawberry.field(description="Every dataset loaded, by name.")
    async def datasets(self, info: Info) -> list[DatasetType]:
        """All datasets."""
        rows = await info.context.db.all(select(DATASET).order_by(DATASET.c.name))
        return [DatasetType.from_row(row) for row in rows]

    @strawberry.field(description="Events, filtered, searched and sorted, a page at a time.")
    async def events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Only events matching this.")
        ] = None,
        order_by: Annotated[list[EventOrder] | None, _order("date")] = None,
        search: Search = None,
    ) -> EventConnection:
        """Root event connection."""
        scope = make_scope(info, listing.EVENTS, filter=to_json_filter(filter), search=search)
        return await connection(
            info,
            EventConnection,
            scope,
            PageArgs(first, after, last, before),
            order=sort_request(order_by),
            to_node=EventType.from_row,
        )

    @strawberry.field(description="Actors, filtered, searched and sorted, a page at a time.")
    async def actors(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            ActorFilter | None, strawberry.argument(description="Only actors matching this.")
        ] = None,
        order_by: Annotated[list[ActorOrder] | None, _order("name")] = None,
        search: Search = None,
    ) -> ActorConnection:
        """Root actor connection."""
        scope = make_scope(info, listing.ACTORS, filter=to_json_filter(filter), search=search)
        return await connection(
            info,
            ActorConnection,
            scope,
            PageArgs(first, after, last, before),
            order=sort_request(order_by),
            to_node=ActorType.from_row,
        )

    @strawberry.field(description="Statements, filtered, searched and sorted, a page at a time.")
    async def statements(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            StatementFilter | None,
            strawberry.argument(description="Only statements matching this."),
        ] = None,
        order_by: Annotated[list[StatementOrder] | None, _order("date said")] = None,
        search: Search = None,
    ) -> StatementConnection:
        """Root statement connection."""
        scope = make_scope(info, listing.STATEMENTS, filter=to_json_filter(filter), search=search)
        return await connection(
            info,
            StatementConnection,
            scope,
            PageArgs(first, after, last, before),
            order=sort_request(order_by),
            to_node=StatementType.from_row,
        )

    @strawberry.field(description="Figures, filtered, searched and sorted, a page at a time.")
    async def figures(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            FigureFilter | None, strawberry.argument(description="Only figures matching this.")
        ] = None,
        order_by: Annotated[list[FigureOrder] | None, _order("as-of date")] = None,
        search: Search = None,
    ) -> FigureConnection:
        """Root figure connection."""
        scope = make_scope(info, listing.FIGURES, filter=to_json_filter(filter), search=search)
        return await connection(
            info,
            FigureConnection,
            scope,
            PageArgs(first, after, last, before),
            order=sort_request(order_by),
            to_node=FigureType.from_row,
        )

    @strawberry.field(description="Sources, filtered, searched and sorted, a page at a time.")
    async def sources(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            SourceFilter | None, strawberry.argument(description="Only sources matching this.")
        ] = None,
        order_by: Annotated[list[SourceOrder] | None, _order("publication date")] = None,
        search: Search = None,
    ) -> SourceConnection:
        """Root source connection."""
        scope = make_scope(info, listing.SOURCES, filter=to_json_filter(filter), search=search)
        return await connection(
            info,
            SourceConnection,
            scope,
            PageArgs(first, after, last, before),
            order=sort_request(order_by),
            to_node=SourceType.from_row,
        )
