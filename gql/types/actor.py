"""The `Actor` type: a person, body, force, organisation, group or crowd."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry.scalars import JSON

from gql.data import listing
from gql.data.connections import Connection
from gql.types import pages
from gql.types.fields import column, computed, connection, to_many, to_one, value_object
from gql.types.record import Record
from gql.types.specs import Computed
from gql.types.values import DateSpan, date_span
from schema import enums

if TYPE_CHECKING:
    from gql.types.aggregates import ActorAggregates
    from gql.types.figure import FigureConnection
    from gql.types.links import ParticipationConnection
    from gql.types.statement import StatementConnection


def _strings(values: Any) -> list[Any]:
    return list(values or [])


@strawberry.type(
    name="Actor",
    description="A person, state body, security force, organisation, group or crowd: what it "
    "took part in, what it said, which figures it reported, and where it belongs.",
)
class ActorType(Record):
    """An actor."""

    node_kind: ClassVar[str] = "Actor"
    table_listing: ClassVar[listing.Listing] = listing.ACTORS
    name: str = column("name", description="The name, as the source gives it.")
    aliases: list[str] = computed(
        Computed(_strings, ("aliases",)), description="Other names the source uses."
    )
    kind: enums.ActorKind = column("kind", description="What sort of actor.")
    country_code: str | None = column(
        "country_code",
        description="ISO 3166-1 alpha-2 code of the actor's country, if it has one.",
    )
    title: str | None = column(
        "title",
        description="The role or title the actor held when it appears (e.g. 'Interior Minister').",
    )
    possibly_same_as: list[ActorType] = to_many(
        listing.ACTOR_POSSIBLY_SAME_AS,
        description="Actors that may be this one under another name ('the police' and 'law "
        "enforcement'): the source never says they are one, so they are kept apart, linked "
        "both ways. By name.",
    )
    title_held: DateSpan | None = value_object(
        date_span("title_held_"),
        description="When the actor held `title`, as far as the source says; null when it "
        "does not say.",
    )
    description: str | None = column("description", description="Who or what the actor is.")
    external_id: str | None = column("external_id", description="The ID in an imported dataset.")
    codes: JSON = column("codes", description="Original codes from an imported dataset.")
    parent: ActorType | None = to_one(
        listing.ACTORS,
        "parent_id",
        description="The actor this one belongs to: a minister's ministry, a force's state.",
    )
    children: ActorConnection = connection(
        listing.ACTOR_CHILDREN,
        pages.ACTORS,
        description="Actors that belong to this one (its `parent` is this actor).",
    )
    participations: Annotated[ParticipationConnection, strawberry.lazy("gql.types.links")] = (
        connection(
            listing.ACTOR_PARTICIPATIONS,
            pages.PARTICIPATIONS,
            description="The events the actor took part in, each with its role, in date order.",
        )
    )
    statements: Annotated[StatementConnection, strawberry.lazy("gql.types.statement")] = connection(
        listing.ACTOR_STATEMENTS,
        pages.STATEMENTS,
        description="Statements the actor made (it is their speaker).",
    )
    statements_about: Annotated[StatementConnection, strawberry.lazy("gql.types.statement")] = (
        connection(
            listing.ACTOR_STATEMENTS_ABOUT,
            pages.STATEMENTS,
            description="Statements by anyone that are about this actor.",
        )
    )
    reported_figures: Annotated[FigureConnection, strawberry.lazy("gql.types.figure")] = connection(
        listing.ACTOR_REPORTED_FIGURES,
        pages.FIGURES,
        description="Figures the actor reported (it is their claimant).",
    )
    counted_in: Annotated[FigureConnection, strawberry.lazy("gql.types.figure")] = connection(
        listing.ACTOR_COUNTED_IN,
        pages.FIGURES,
        description="Figures that count this actor's people (e.g. one side's dead).",
    )


@strawberry.type(
    name="ActorConnection",
    description="A page of actors, with the total count and aggregates of all matching actors.",
)
class ActorConnection(Connection[ActorType]):
    """A page of actors."""

    @strawberry.field(description="Counts over all matching actors, pagination ignored.")
    def aggregates(self) -> Annotated[ActorAggregates, strawberry.lazy("gql.types.aggregates")]:
        """Aggregates of the actors this connection ranges over."""
        from gql.types.aggregates import ActorAggregates

        return ActorAggregates(scope=self.scope)
