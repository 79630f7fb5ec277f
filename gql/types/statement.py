"""The `Statement` type: a speech act — who said what, when, about what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row

from gql import listing
from gql.connections import Connection
from gql.context import Info
from gql.lists import ListFirst, by_id, related_list
from gql.types.common import DateSpan, Record, record_fields
from schema import enums

if TYPE_CHECKING:
    from gql.aggregates import StatementAggregates
    from gql.types.actor import ActorType
    from gql.types.event import EventType
    from gql.types.figure import FigureType


@strawberry.type(
    name="Statement",
    description="A speech act: the speaker and their role at the time, when it was said, what "
    "kind of act it is (announcement, claim, characterization, ...), the words — quoted or "
    "paraphrased — and which events and actors it is about.",
)
class StatementType(Record):
    """A statement."""

    node_kind: ClassVar[str] = "Statement"
    speaker_title: str | None = strawberry.field(
        description="The speaker's role or title when speaking, as the source gives it."
    )
    kind: enums.StatementKind = strawberry.field(description="What kind of speech act.")
    mode: enums.StatementMode = strawberry.field(
        description="Whether `text` is a direct quote, a partial quote or a paraphrase."
    )
    text: str = strawberry.field(
        description="The quoted words or the paraphrase, as the source gives them."
    )
    attribution: str | None = strawberry.field(
        description="The source's words of attribution ('the Minister stated')."
    )
    speaker_id: strawberry.Private[int]
    row: strawberry.Private[Row[Any]]

    @classmethod
    def from_row(cls, row: Row[Any]) -> StatementType:
        """The statement of a `statement` table row."""
        return cls(
            **record_fields(row),
            speaker_title=row.speaker_title,
            kind=enums.StatementKind(row.kind),
            mode=enums.StatementMode(row.mode),
            text=row.text,
            attribution=row.attribution,
            speaker_id=row.speaker_id,
            row=row,
        )

    @strawberry.field(description="True when `text` is the speaker's own words, quoted whole.")
    def direct_quote(self) -> bool:
        """Whether the text is a direct quote."""
        return self.mode is enums.StatementMode.QUOTE

    @strawberry.field(description="When it was said; null when the source does not say.")
    def date(self) -> DateSpan | None:
        """The statement's date."""
        row = self.row
        return DateSpan.of(row.start_date, row.end_date, row.date_precision, row.date_note)

    @strawberry.field(description="Who said it.")
    async def speaker(self, info: Info) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")]:
        """The speaker."""
        from gql.types.actor import ActorType

        found = await by_id(info, listing.ACTORS, self.speaker_id, ActorType.from_row)
        assert found is not None  # a foreign key guarantees it
        return found

    @strawberry.field(description="The events the statement is about, in date order.")
    async def about_events(
        self, info: Info, first: ListFirst = None
    ) -> list[Annotated[EventType, strawberry.lazy("gql.types.event")]]:
        """Events the statement is about."""
        from gql.types.event import EventType

        return await related_list(
            info, listing.STATEMENT_ABOUT_EVENTS, self.db_id, EventType.from_row, first
        )

    @strawberry.field(description="The actors the statement is about, by name.")
    async def about_actors(
        self, info: Info, first: ListFirst = None
    ) -> list[Annotated[ActorType, strawberry.lazy("gql.types.actor")]]:
        """Actors the statement is about."""
        from gql.types.actor import ActorType

        return await related_list(
            info, listing.STATEMENT_ABOUT_ACTORS, self.db_id, ActorType.from_row, first
        )

    @strawberry.field(description="The figures reported in this statement, in as-of date order.")
    async def figures(
        self, info: Info, first: ListFirst = None
    ) -> list[Annotated[FigureType, strawberry.lazy("gql.types.figure")]]:
        """Figures the statement reports."""
        from gql.types.figure import FigureType

        return await related_list(
            info, listing.STATEMENT_FIGURES, self.db_id, FigureType.from_row, first
        )


@strawberry.type(
    name="StatementConnection",
    description="A page of statements, with the total count and aggregates of all matching "
    "statements.",
)
class StatementConnection(Connection[StatementType]):
    """A page of statements."""

    @strawberry.field(description="Counts over all matching statements, pagination ignored.")
    def aggregates(self) -> Annotated[StatementAggregates, strawberry.lazy("gql.aggregates")]:
        """Aggregates of the statements this connection ranges over."""
        from gql.aggregates import StatementAggregates

        return StatementAggregates(scope=self.scope)
