"""The `Figure` type: a reported quantity, as a claim — who says how many of what."""

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
from schema.figures import Reading, read_figure

if TYPE_CHECKING:
    from gql.aggregates import FigureAggregates
    from gql.types.actor import ActorType
    from gql.types.event import EventType
    from gql.types.statement import StatementType


@strawberry.type(
    name="Figure",
    description="A reported quantity as a claim: what is counted, the number or bounds, the "
    "qualifier ('more than', 'about'), the words, who reported it and when, and which larger "
    "figure it is part of. Unknown is never zero: see `status`.",
)
class FigureType(Record):
    """A figure."""

    node_kind: ClassVar[str] = "Figure"
    kind: enums.FigureKind = strawberry.field(description="What is counted.")
    unit: str = strawberry.field(description="What one unit of the count is (usually 'people').")
    status: enums.FigureStatus = strawberry.field(
        description="VALUE: the source gives a number, bounds or a vague quantity; UNKNOWN: it "
        "says the number is not known (never read as 0); NONE: it says there were none."
    )
    value: int | None = strawberry.field(description="The stated number, if one is stated.")
    lower: int | None = strawberry.field(
        description="The lower bound as printed ('more than 5,100' → 5100), if any."
    )
    upper: int | None = strawberry.field(description="The upper bound as printed, if any.")
    qualifier: enums.FigureQualifier = strawberry.field(
        description="How the source qualifies the number (exact, about, more than, ...)."
    )
    raw: str | None = strawberry.field(description="The figure's words, verbatim.")
    attribution: str | None = strawberry.field(
        description="The source's words of attribution ('according to the statement')."
    )
    counted_group: str | None = strawberry.field(
        description="Who is counted when not an actor: 'civilians', 'unknown', ..."
    )
    note: str | None = strawberry.field(description="A note on how the figure was read.")
    event_id: strawberry.Private[int | None]
    claimant_id: strawberry.Private[int | None]
    statement_id: strawberry.Private[int | None]
    part_of_id: strawberry.Private[int | None]
    counted_actor_id: strawberry.Private[int | None]
    row: strawberry.Private[Row[Any]]

    @classmethod
    def from_row(cls, row: Row[Any]) -> FigureType:
        """The figure of a `figure` table row."""
        return cls(
            **record_fields(row),
            kind=enums.FigureKind(row.kind),
            unit=row.unit,
            status=enums.FigureStatus(row.status),
            value=row.value,
            lower=row.lower,
            upper=row.upper,
            qualifier=enums.FigureQualifier(row.qualifier),
            raw=row.raw,
            attribution=row.attribution,
            counted_group=row.counted_group,
            note=row.note,
            event_id=row.event_id,
            claimant_id=row.claimant_id,
            statement_id=row.statement_id,
            part_of_id=row.part_of_id,
            counted_actor_id=row.counted_actor_id,
            row=row,
        )

    def _reading(self) -> Reading | None:
        return read_figure(
            status=self.status.value,
            qualifier=self.qualifier.value,
            value=self.value,
            lower=self.lower,
            upper=self.upper,
        )

    @strawberry.field(
        description="The lowest number the claim allows, as used in totals: the lower bound as "
        "printed (exclusive bounds are not bumped: 'more than 5,100' → 5100), else the value; "
        "0 for UP_TO/LESS_THAN without a lower bound and for status NONE; null when the figure "
        "has no number (UNKNOWN, or vague without bounds)."
    )
    def low(self) -> int | None:
        """The figure's low reading."""
        reading = self._reading()
        return None if reading is None else reading.low

    @strawberry.field(
        description="The single number used in totals: the stated value, else the lower bound, "
        "else the upper bound; 0 for status NONE; null when the figure has no number."
    )
    def best(self) -> int | None:
        """The figure's best reading."""
        reading = self._reading()
        return None if reading is None else reading.best

    @strawberry.field(
        description="The highest number the claim allows: the upper bound as printed, else the "
        "value; null when the claim is open-ended (MORE_THAN, AT_LEAST, only a lower bound) or "
        "has no number."
    )
    def high(self) -> int | None:
        """The figure's high reading."""
        reading = self._reading()
        return None if reading is None else reading.high

    @strawberry.field(description="The date the figure is as of, if the source gives one.")
    def as_of(self) -> DateSpan | None:
        """The figure's as-of date."""
        row = self.row
        return DateSpan.of(row.as_of_start, row.as_of_end, row.as_of_precision, row.as_of_note)

    @strawberry.field(description="The event the figure is about.")
    async def event(
        self, info: Info
    ) -> Annotated[EventType, strawberry.lazy("gql.types.event")] | None:
        """The figure's event."""
        from gql.types.event import EventType

        return await by_id(info, listing.EVENTS, self.event_id, EventType.from_row)

    @strawberry.field(description="The actor who reported the figure (its claimant).")
    async def claimant(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The figure's claimant."""
        from gql.types.actor import ActorType

        return await by_id(info, listing.ACTORS, self.claimant_id, ActorType.from_row)

    @strawberry.field(description="The statement that reported the figure.")
    async def statement(
        self, info: Info
    ) -> Annotated[StatementType, strawberry.lazy("gql.types.statement")] | None:
        """The figure's statement."""
        from gql.types.statement import StatementType

        return await by_id(info, listing.STATEMENTS, self.statement_id, StatementType.from_row)

    @strawberry.field(
        description="The actor whose people are counted (one side's dead), if the source says."
    )
    async def counted_actor(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The counted actor."""
        from gql.types.actor import ActorType

        return await by_id(info, listing.ACTORS, self.counted_actor_id, ActorType.from_row)

    @strawberry.field(
        description="The larger figure this one is part of ('about 300 arrested at the "
        "borders' is part of 'more than 5,100 arrested')."
    )
    async def part_of(self, info: Info) -> FigureType | None:
        """The figure this one is part of."""
        return await by_id(info, listing.FIGURES, self.part_of_id, FigureType.from_row)

    @strawberry.field(description="The figures that are part of this one, in as-of date order.")
    async def parts(self, info: Info, first: ListFirst = None) -> list[FigureType]:
        """The figure's parts."""
        return await related_list(
            info, listing.FIGURE_PARTS, self.db_id, FigureType.from_row, first
        )


@strawberry.type(
    name="FigureConnection",
    description="A page of figures, with the total count and aggregates (totals that never "
    "double count a part) of all matching figures.",
)
class FigureConnection(Connection[FigureType]):
    """A page of figures."""

    @strawberry.field(
        description="Counts and low/best/high totals over all matching figures, pagination ignored."
    )
    def aggregates(self) -> Annotated[FigureAggregates, strawberry.lazy("gql.aggregates")]:
        """Aggregates of the figures this connection ranges over."""
        from gql.aggregates import FigureAggregates

        return FigureAggregates(scope=self.scope)
