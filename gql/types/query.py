"""The root `Query` type: lookups by ID and slug, and the root connections."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from gql.context import Info
from gql.data import listing
from gql.types import lookups, pages
from gql.types.actor import ActorConnection, ActorType
from gql.types.event import EventConnection, EventType
from gql.types.fields import root_connection
from gql.types.figure import FigureConnection, FigureType
from gql.types.node import Node
from gql.types.paging_arguments import After, Before, First, Last
from gql.types.source import DatasetType, SourceConnection, SourceType
from gql.types.statement import StatementConnection, StatementType
from gql.types.versions import (
    ChangeFeed,
    ChangesSince,
    DatasetVersionConnection,
    HistoryRecordKind,
    change_feed,
    dataset_versions,
)
from schema.core import DATASET

_SLUG = Annotated[str, strawberry.argument(description="The record's slug (its seed-file ID).")]
_IN_DATASET = Annotated[
    str | None,
    strawberry.argument(
        description="The dataset's name. Needed only when the slug is used in several "
        "datasets; without it such a lookup is an error that lists them."
    ),
]


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

    @strawberry.field(
        description="Every dataset's versions, newest first (the newest is the version of "
        "the whole database)."
    )
    async def dataset_versions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> DatasetVersionConnection:
        """A page of all versions."""
        return await dataset_versions(info, None, first, after, last, before)

    @strawberry.field(
        description="What changed since a version or a time: each record added, changed or "
        "removed, netted over the versions since, for a client that keeps a copy in sync "
        '(ACLED\'s "updated since" and deletions, exact). An error says how far back '
        "history goes when `since` reaches before it."
    )
    async def changes(
        self,
        info: Info,
        since: Annotated[
            ChangesSince,
            strawberry.argument(description="After this version (`id`) or this time."),
        ],
        datasets: Annotated[
            list[str] | None, strawberry.argument(description="Only these datasets.")
        ] = None,
        kinds: Annotated[
            list[HistoryRecordKind] | None,
            strawberry.argument(description="Only records of these kinds."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> ChangeFeed:
        """The change feed since `since`."""
        return await change_feed(info, since, datasets or [], kinds or [], first, after)

    events = root_connection(
        EventConnection,
        pages.EVENTS,
        description="Events, filtered, searched and sorted, a page at a time.",
    )
    actors = root_connection(
        ActorConnection,
        pages.ACTORS,
        description="Actors, filtered, searched and sorted, a page at a time.",
    )
    statements = root_connection(
        StatementConnection,
        pages.STATEMENTS,
        description="Statements, filtered, searched and sorted, a page at a time.",
    )
    figures = root_connection(
        FigureConnection,
        pages.FIGURES,
        description="Figures, filtered, searched and sorted, a page at a time.",
    )
    sources = root_connection(
        SourceConnection,
        pages.SOURCES,
        description="Sources, filtered, searched and sorted, a page at a time.",
    )
