"""The `Statement` type: a speech act — who said what, when, about what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql.data import listing
from gql.data.connections import Connection
from gql.types.fields import column, computed, to_many, to_one, value_object
from gql.types.record import Record
from gql.types.values import DIRECT_QUOTE, DateSpan, date_span
from schema import enums

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.aggregates import StatementAggregates
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
    table_listing: ClassVar[listing.Listing] = listing.STATEMENTS
    speaker_title: str | None = column(
        "speaker_title",
        description="The speaker's role or title when speaking, as the source gives it.",
    )
    kind: enums.StatementKind = column("kind", description="What kind of speech act.")
    mode: enums.StatementMode = column(
        "mode", description="Whether `text` is a direct quote, a partial quote or a paraphrase."
    )
    text: str = column(
        "text", description="The quoted words or the paraphrase, as the source gives them."
    )
    attribution: str | None = column(
        "attribution", description="The source's words of attribution ('the Minister stated')."
    )
    attribution_covers: str | None = column(
        "attribution_covers",
        description="The part of the evidence the attribution applies to, verbatim, when it "
        "covers only some clauses of the sentence; null when it covers all of it.",
    )
    direct_quote: bool = computed(
        DIRECT_QUOTE, description="True when `text` is the speaker's own words, quoted whole."
    )
    date: DateSpan | None = value_object(
        date_span("date_"), description="When it was said; null when the source does not say."
    )
    speaker: Annotated[ActorType, strawberry.lazy("gql.types.actor")] = to_one(
        listing.ACTORS, "speaker_id", description="Who said it."
    )
    about_events: list[Annotated[EventType, strawberry.lazy("gql.types.event")]] = to_many(
        listing.STATEMENT_ABOUT_EVENTS,
        description="The events the statement is about, in date order.",
    )
    about_actors: list[Annotated[ActorType, strawberry.lazy("gql.types.actor")]] = to_many(
        listing.STATEMENT_ABOUT_ACTORS, description="The actors the statement is about, by name."
    )
    figures: list[Annotated[FigureType, strawberry.lazy("gql.types.figure")]] = to_many(
        listing.STATEMENT_FIGURES,
        description="The figures reported in this statement, in as-of date order.",
    )
    speech_act: StatementType | None = to_one(
        listing.STATEMENTS,
        "speech_act_id",
        description="The first statement of the same speech act (one press release, one "
        "speech), when this one is another part of it.",
    )
    speech_act_parts: list[StatementType] = to_many(
        listing.STATEMENT_SPEECH_ACT_PARTS,
        description="The other parts of the speech act this statement opens, in date order.",
    )
    reported_by: StatementType | None = to_one(
        listing.STATEMENTS,
        "reported_by_id",
        description="The statement that reports this one ('the ministry said that the NSC "
        "said'), when it is known only through it.",
    )
    reports: list[StatementType] = to_many(
        listing.STATEMENT_REPORTS,
        description="The statements this one reports (what others said, according to it).",
    )


@strawberry.type(
    name="StatementConnection",
    description="A page of statements, with the total count and aggregates of all matching "
    "statements.",
)
class StatementConnection(Connection[StatementType]):
    """A page of statements."""

    @strawberry.field(description="Counts over all matching statements, pagination ignored.")
    def aggregates(self) -> Annotated[StatementAggregates, strawberry.lazy("gql.types.aggregates")]:
        """Aggregates of the statements this connection ranges over."""
        from gql.types.aggregates import StatementAggregates

        return StatementAggregates(scope=self.scope)
