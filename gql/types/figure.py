"""The `Figure` type: a reported quantity, as a claim — who says how many of what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from gql.data import listing
from gql.data.connections import Connection
from gql.types.fields import column, computed, to_many, to_one, value_object
from gql.types.record import Record
from gql.types.specs import Computed
from gql.types.values import DateSpan, date_span
from schema import enums
from schema.figures import read_figure

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.event import EventType
    from gql.types.figure_aggregates import FigureAggregates
    from gql.types.statement import StatementType

#: The columns a figure's readings (`schema.figures.read_figure`) are computed from.
_READING = ("status", "qualifier", "value", "lower", "upper")


def _reading(part: str) -> Computed:
    """One number of the figure's reading: "low", "best" or "high" (no SQL twin)."""

    def number(status: str, qualifier: str, value: Any, lower: Any, upper: Any) -> int | None:
        reading = read_figure(
            status=status, qualifier=qualifier, value=value, lower=lower, upper=upper
        )
        found: int | None = None if reading is None else getattr(reading, part)
        return found

    number.__name__ = part
    return Computed(number, _READING)


@strawberry.type(
    name="Figure",
    description="A reported quantity as a claim: what is counted, the number or bounds, the "
    "qualifier ('more than', 'about'), the words, who reported it and when, and which larger "
    "figure it is part of. Unknown is never zero: see `status`.",
)
class FigureType(Record):
    """A figure."""

    node_kind: ClassVar[str] = "Figure"
    table_listing: ClassVar[listing.Listing] = listing.FIGURES
    kind: enums.FigureKind = column("kind", description="What is counted.")
    unit: str = column("unit", description="What one unit of the count is (usually 'people').")
    status: enums.FigureStatus = column(
        "status",
        description="VALUE: the source gives a number, bounds or a vague quantity; UNKNOWN: it "
        "says the number is not known (never read as 0); NONE: it says there were none.",
    )
    value: int | None = column("value", description="The stated number, if one is stated.")
    lower: int | None = column(
        "lower", description="The lower bound as printed ('more than 5,100' → 5100), if any."
    )
    upper: int | None = column("upper", description="The upper bound as printed, if any.")
    qualifier: enums.FigureQualifier = column(
        "qualifier",
        description="How the source qualifies the number (exact, about, more than, ...).",
    )
    raw: str | None = column("raw", description="The figure's words, verbatim.")
    attribution: str | None = column(
        "attribution",
        description="The source's words of attribution ('according to the statement').",
    )
    counted_group: str | None = column(
        "counted_group",
        description="Who is counted when not an actor: 'civilians', 'unknown', ...",
    )
    note: str | None = column("note", description="A note on how the figure was read.")
    low: int | None = computed(
        _reading("low"),
        description="The lowest number the claim allows, as used in totals: the lower bound as "
        "printed (exclusive bounds are not bumped: 'more than 5,100' → 5100), else the value; "
        "0 for UP_TO/LESS_THAN without a lower bound and for status NONE; null when the figure "
        "has no number (UNKNOWN, or vague without bounds).",
    )
    best: int | None = computed(
        _reading("best"),
        description="The single number used in totals: the stated value, else the lower bound, "
        "else the upper bound; 0 for status NONE; null when the figure has no number.",
    )
    high: int | None = computed(
        _reading("high"),
        description="The highest number the claim allows: the upper bound as printed, else the "
        "value; null when the claim is open-ended (MORE_THAN, AT_LEAST, only a lower bound) or "
        "has no number.",
    )
    as_of: DateSpan | None = value_object(
        date_span("as_of_"), description="The date the figure is as of, if the source gives one."
    )
    event: Annotated[EventType, strawberry.lazy("gql.types.event")] | None = to_one(
        listing.EVENTS, "event_id", description="The event the figure is about."
    )
    claimant: Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None = to_one(
        listing.ACTORS,
        "claimant_id",
        description="The actor who reported the figure (its claimant).",
    )
    statement: Annotated[StatementType, strawberry.lazy("gql.types.statement")] | None = to_one(
        listing.STATEMENTS, "statement_id", description="The statement that reported the figure."
    )
    counted_actor: Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None = to_one(
        listing.ACTORS,
        "counted_actor_id",
        description="The actor whose people are counted (one side's dead), if the source says.",
    )
    part_of: FigureType | None = to_one(
        listing.FIGURES,
        "part_of_id",
        description="The larger figure this one is part of ('about 300 arrested at the "
        "borders' is part of 'more than 5,100 arrested').",
    )
    part_of_basis: enums.ClaimBasis = column(
        "part_of_basis",
        description="STATED: the source says the figure is part of `partOf`; INFERRED: the "
        "coder reads it so (see `partOfReason`). Totals follow `partOf` either way.",
    )
    part_of_reason: str | None = column(
        "part_of_reason", description="Why the coder reads the figure as part of `partOf`."
    )
    parts: list[FigureType] = to_many(
        listing.FIGURE_PARTS,
        description="The figures that are part of this one, in as-of date order.",
    )
    estimate_of: FigureType | None = to_one(
        listing.FIGURES,
        "estimate_of_id",
        description="The first figure of the same quantity, when this one is another estimate "
        "of it (see `estimateRelation`); totals count the quantity once.",
    )
    estimate_relation: enums.EstimateRelation | None = column(
        "estimate_relation",
        description="How this figure stands to `estimateOf`: ALTERNATIVE (another estimate), "
        "REVISION (replaces it: the latest revision counts) or CONFLICTING (a rival claim).",
    )
    estimates: list[FigureType] = to_many(
        listing.FIGURE_ESTIMATES,
        description="The other estimates of this figure's quantity (figures whose `estimateOf` "
        "is this one), in as-of date order.",
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
    def aggregates(
        self,
    ) -> Annotated[FigureAggregates, strawberry.lazy("gql.types.figure_aggregates")]:
        """Aggregates of the figures this connection ranges over."""
        from gql.types.figure_aggregates import FigureAggregates

        return FigureAggregates(scope=self.scope)
