"""The `Source` type (a report records were read from) and the `Dataset` type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row

from gql import listing
from gql.arguments import After, Before, First, Last
from gql.connections import Connection
from gql.context import Info
from gql.lists import PageArgs, by_id, nested_connection
from gql.node import Node
from gql.ordering import ActorOrder, EventOrder, FigureOrder, SourceOrder, StatementOrder
from gql.record_filters import (
    ActorFilter,
    EventFilter,
    FigureFilter,
    SourceFilter,
    StatementFilter,
)
from gql.types.common import DateSpan

if TYPE_CHECKING:
    from gql.aggregates import SourceAggregates
    from gql.types.actor import ActorConnection
    from gql.types.event import EventConnection
    from gql.types.figure import FigureConnection
    from gql.types.statement import StatementConnection

_EVENTS = Annotated[
    EventFilter | None, strawberry.argument(description="Only events matching this.")
]
_EVENT_ORDER = Annotated[
    list[EventOrder] | None, strawberry.argument(description="Sort keys; default: date.")
]


@strawberry.type(
    name="Source",
    description="A report (or dataset row) that records were read from: headline, outlet, "
    "publication date, text — and every record derived from it.",
)
class SourceType(Node):
    """A source."""

    node_kind: ClassVar[str] = "Source"
    slug: str = strawberry.field(description="The source's ID in its seed file.")
    headline: str = strawberry.field(description="The headline or title.")
    outlet: str | None = strawberry.field(description="The publisher, if known.")
    url: str | None = strawberry.field(description="Where it was published, if known.")
    language: str = strawberry.field(description="BCP 47 language tag of the text, e.g. en.")
    text: str | None = strawberry.field(
        description="The full text, or the excerpts used; evidence offsets point into it."
    )
    licence: str | None = strawberry.field(description="Licence or copyright note.")
    external_id: str | None = strawberry.field(description="The ID in an imported dataset.")
    dataset_id: strawberry.Private[int]
    row: strawberry.Private[Row[Any]]

    @classmethod
    def from_row(cls, row: Row[Any]) -> SourceType:
        """The source of a `source` table row."""
        return cls(
            db_id=row.id,
            slug=row.slug,
            headline=row.headline,
            outlet=row.outlet,
            url=row.url,
            language=row.language,
            text=row.text,
            licence=row.licence,
            external_id=row.external_id,
            dataset_id=row.dataset_id,
            row=row,
        )

    @strawberry.field(
        description="When it was published, exact or approximate; `note` says how it was "
        "inferred when the source does not state it."
    )
    def published(self) -> DateSpan | None:
        """The publication date."""
        row = self.row
        return DateSpan.of(
            row.published_start, row.published_end, row.published_precision, row.published_note
        )

    @strawberry.field(description="The dataset the source belongs to.")
    async def dataset(self, info: Info) -> DatasetType:
        """The source's dataset."""
        found = await by_id(info, listing.DATASETS, self.dataset_id, DatasetType.from_row)
        assert found is not None  # a foreign key guarantees it
        return found

    @strawberry.field(description="Events read from this source.")
    async def events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _EVENTS = None,
        order_by: _EVENT_ORDER = None,
    ) -> Annotated[EventConnection, strawberry.lazy("gql.types.event")]:
        """Events from the source."""
        from gql.types.event import EventConnection, EventType

        return await nested_connection(
            info,
            EventConnection,
            listing.SOURCE_EVENTS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=EventType.from_row,
        )

    @strawberry.field(description="Actors read from this source.")
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
        order_by: Annotated[
            list[ActorOrder] | None, strawberry.argument(description="Sort keys; default: name.")
        ] = None,
    ) -> Annotated[ActorConnection, strawberry.lazy("gql.types.actor")]:
        """Actors from the source."""
        from gql.types.actor import ActorConnection, ActorType

        return await nested_connection(
            info,
            ActorConnection,
            listing.SOURCE_ACTORS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=ActorType.from_row,
        )

    @strawberry.field(description="Statements read from this source.")
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
        order_by: Annotated[
            list[StatementOrder] | None,
            strawberry.argument(description="Sort keys; default: date said."),
        ] = None,
    ) -> Annotated[StatementConnection, strawberry.lazy("gql.types.statement")]:
        """Statements from the source."""
        from gql.types.statement import StatementConnection, StatementType

        return await nested_connection(
            info,
            StatementConnection,
            listing.SOURCE_STATEMENTS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=StatementType.from_row,
        )

    @strawberry.field(description="Figures read from this source.")
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
        order_by: Annotated[
            list[FigureOrder] | None,
            strawberry.argument(description="Sort keys; default: as-of date."),
        ] = None,
    ) -> Annotated[FigureConnection, strawberry.lazy("gql.types.figure")]:
        """Figures from the source."""
        from gql.types.figure import FigureConnection, FigureType

        return await nested_connection(
            info,
            FigureConnection,
            listing.SOURCE_FIGURES,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=FigureType.from_row,
        )


@strawberry.type(
    name="SourceConnection",
    description="A page of sources, with the total count and aggregates of all matching sources.",
)
class SourceConnection(Connection[SourceType]):
    """A page of sources."""

    @strawberry.field(description="Counts over all matching sources, pagination ignored.")
    def aggregates(self) -> Annotated[SourceAggregates, strawberry.lazy("gql.aggregates")]:
        """Aggregates of the sources this connection ranges over."""
        from gql.aggregates import SourceAggregates

        return SourceAggregates(scope=self.scope)


@strawberry.type(
    name="Dataset",
    description="A named set of records, loaded (and replaced) as a whole from seed files or "
    "an import.",
)
class DatasetType(Node):
    """A dataset."""

    node_kind: ClassVar[str] = "Dataset"
    name: str = strawberry.field(description="The dataset's name; filter records by it.")
    title: str | None = strawberry.field(description="A human title.")
    description: str | None = strawberry.field(description="What the dataset holds.")
    licence: str | None = strawberry.field(description="Terms the records are published under.")
    citation: str | None = strawberry.field(description="How to cite the dataset.")
    url: str | None = strawberry.field(description="Where the dataset comes from.")
    content_hash: str = strawberry.field(
        description="Hash of the dataset's records: changes exactly when its data changes."
    )

    @classmethod
    def from_row(cls, row: Row[Any]) -> DatasetType:
        """The dataset of a `dataset` table row."""
        return cls(
            db_id=row.id,
            name=row.name,
            title=row.title,
            description=row.description,
            licence=row.licence,
            citation=row.citation,
            url=row.url,
            content_hash=row.content_hash,
        )

    @strawberry.field(description="The dataset's sources.")
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
        order_by: Annotated[
            list[SourceOrder] | None,
            strawberry.argument(description="Sort keys; default: publication date."),
        ] = None,
    ) -> SourceConnection:
        """The dataset's sources."""
        return await nested_connection(
            info,
            SourceConnection,
            listing.DATASET_SOURCES,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=SourceType.from_row,
        )

    @strawberry.field(description="The dataset's events.")
    async def events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: _EVENTS = None,
        order_by: _EVENT_ORDER = None,
    ) -> Annotated[EventConnection, strawberry.lazy("gql.types.event")]:
        """The dataset's events."""
        from gql.types.event import EventConnection, EventType

        return await nested_connection(
            info,
            EventConnection,
            listing.DATASET_EVENTS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=EventType.from_row,
        )
