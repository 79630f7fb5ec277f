"""The `Source` type (a report records were read from) and the `Dataset` type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row

from gql.context import Info
from gql.data import listing
from gql.data.connections import Connection
from gql.types import pages
from gql.types.fields import RowObject, column, connection, to_one, value_object
from gql.types.node import Node
from gql.types.paging_arguments import After, Before, First, Last
from gql.types.values import DateSpan, date_span

if TYPE_CHECKING:
    from gql.types.actor import ActorConnection
    from gql.types.aggregates import SourceAggregates
    from gql.types.event import EventConnection
    from gql.types.figure import FigureConnection
    from gql.types.statement import StatementConnection
    from gql.types.versions import DatasetVersionConnection


@strawberry.type(
    name="Source",
    description="A report (or dataset row) that records were read from: headline, outlet, "
    "publication date, text — and every record derived from it.",
)
class SourceType(Node, RowObject):
    """A source."""

    node_kind: ClassVar[str] = "Source"
    table_listing: ClassVar[listing.Listing] = listing.SOURCES
    row: strawberry.Private[Row[Any]]
    slug: str = column("slug", description="The source's ID in its seed file.")
    headline: str = column("headline", description="The headline or title.")
    outlet: str | None = column("outlet", description="The publisher, if known.")
    url: str | None = column("url", description="Where it was published, if known.")
    language: str = column("language", description="BCP 47 language tag of the text, e.g. en.")
    text: str | None = column(
        "text",
        description="The full text, or the excerpts used; evidence offsets point into it.",
    )
    licence: str | None = column("licence", description="Licence or copyright note.")
    external_id: str | None = column("external_id", description="The ID in an imported dataset.")
    published: DateSpan | None = value_object(
        date_span("published_"),
        description="When it was published, exact or approximate; `note` says how it was "
        "inferred when the source does not state it.",
    )
    dataset: DatasetType = to_one(
        listing.DATASETS, "dataset_id", description="The dataset the source belongs to."
    )
    events: Annotated[EventConnection, strawberry.lazy("gql.types.event")] = connection(
        listing.SOURCE_EVENTS, pages.EVENTS, description="Events read from this source."
    )
    actors: Annotated[ActorConnection, strawberry.lazy("gql.types.actor")] = connection(
        listing.SOURCE_ACTORS, pages.ACTORS, description="Actors read from this source."
    )
    statements: Annotated[StatementConnection, strawberry.lazy("gql.types.statement")] = connection(
        listing.SOURCE_STATEMENTS,
        pages.STATEMENTS,
        description="Statements read from this source.",
    )
    figures: Annotated[FigureConnection, strawberry.lazy("gql.types.figure")] = connection(
        listing.SOURCE_FIGURES, pages.FIGURES, description="Figures read from this source."
    )


@strawberry.type(
    name="SourceConnection",
    description="A page of sources, with the total count and aggregates of all matching sources.",
)
class SourceConnection(Connection[SourceType]):
    """A page of sources."""

    @strawberry.field(description="Counts over all matching sources, pagination ignored.")
    def aggregates(self) -> Annotated[SourceAggregates, strawberry.lazy("gql.types.aggregates")]:
        """Aggregates of the sources this connection ranges over."""
        from gql.types.aggregates import SourceAggregates

        return SourceAggregates(scope=self.scope)


@strawberry.type(
    name="Dataset",
    description="A named set of records, loaded (and replaced) as a whole from seed files or "
    "an import.",
)
class DatasetType(Node, RowObject):
    """A dataset."""

    node_kind: ClassVar[str] = "Dataset"
    table_listing: ClassVar[listing.Listing] = listing.DATASETS
    row: strawberry.Private[Row[Any]]
    name: str = column("name", description="The dataset's name; filter records by it.")
    title: str | None = column("title", description="A human title.")
    description: str | None = column("description", description="What the dataset holds.")
    licence: str | None = column("licence", description="Terms the records are published under.")
    citation: str | None = column("citation", description="How to cite the dataset.")
    url: str | None = column("url", description="Where the dataset comes from.")
    content_hash: str = column(
        "content_hash",
        description="Hash of the dataset's records: changes exactly when its data changes.",
    )
    sources: SourceConnection = connection(
        listing.DATASET_SOURCES, pages.SOURCES, description="The dataset's sources."
    )
    events: Annotated[EventConnection, strawberry.lazy("gql.types.event")] = connection(
        listing.DATASET_EVENTS, pages.EVENTS, description="The dataset's events."
    )

    @strawberry.field(
        description="The dataset's versions, newest first: one per load that changed it, "
        "each with the records it added, changed and removed."
    )
    async def versions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Annotated[DatasetVersionConnection, strawberry.lazy("gql.types.versions")]:
        """A page of the dataset's versions."""
        from gql.types.versions import dataset_versions

        return await dataset_versions(info, self.db_id, first, after, last, before)
