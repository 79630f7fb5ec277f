"""Link records: an actor's part in an event (`Participation`) and links between events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row

from gql.data import listing
from gql.data.connections import Connection
from gql.types.fields import RowObject, column, to_one
from schema import enums

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.event import EventType
    from gql.types.statement import StatementType


@strawberry.interface(
    name="Claimed",
    description="A link or participation, with whose word it rests on: stated by the source "
    "(and by whom), or inferred by the coder (and why).",
)
class Claimed(RowObject):
    """Who says that a link or a participation holds (fields shared by both)."""

    basis: enums.ClaimBasis = column(
        "basis",
        description="STATED: the source says so; INFERRED: the coder's reading of it (see "
        "`reason`).",
    )
    reason: str | None = column(
        "reason", description="Why the coder reads it so, for an INFERRED one."
    )
    claimant: Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None = to_one(
        listing.ACTORS,
        "claimant_id",
        description="The actor who says so, when the source attributes it to someone.",
    )
    statement: Annotated[StatementType, strawberry.lazy("gql.types.statement")] | None = to_one(
        listing.STATEMENTS, "statement_id", description="The statement that says so, if recorded."
    )


@strawberry.type(
    name="Participation",
    description="An actor's part in an event: who did what to whom (perpetrator, target, "
    "participant, responder, announcer, ...).",
)
class ParticipationType(Claimed):
    """An actor in an event, with a role."""

    table_listing: ClassVar[listing.Listing] = listing.PARTICIPATIONS
    row: strawberry.Private[Row[Any]]
    role: enums.ParticipationRole = column("role", description="The part the actor played.")
    note: str | None = column("note", description="A note on the actor's part.")
    evidence: str | None = column(
        "evidence", description="The words of the source that name the actor's part, verbatim."
    )
    actor: Annotated[ActorType, strawberry.lazy("gql.types.actor")] = to_one(
        listing.ACTORS, "actor_id", description="The actor."
    )
    event: Annotated[EventType, strawberry.lazy("gql.types.event")] = to_one(
        listing.EVENTS, "event_id", description="The event."
    )


@strawberry.type(
    name="EventLink",
    description="A typed link between two events: `event` is part of / a response to / "
    "follows `target`.",
)
class EventLinkType(Claimed):
    """A link from one event to another."""

    table_listing: ClassVar[listing.Listing] = listing.EVENT_LINKS
    row: strawberry.Private[Row[Any]]
    kind: enums.EventLinkKind = column("kind", description="How `event` relates to `target`.")
    evidence: str | None = column(
        "evidence", description="The words of the source that state the link, verbatim."
    )
    event: Annotated[EventType, strawberry.lazy("gql.types.event")] = to_one(
        listing.EVENTS,
        "event_id",
        description="The linking event (the part, the response, the follower).",
    )
    target: Annotated[EventType, strawberry.lazy("gql.types.event")] = to_one(
        listing.EVENTS,
        "target_id",
        description="The event linked to (the whole, the cause, the predecessor).",
    )


@strawberry.type(name="ParticipationConnection", description="A page of participations.")
class ParticipationConnection(Connection[ParticipationType]):
    """A page of participations."""


@strawberry.type(name="EventLinkConnection", description="A page of links between events.")
class EventLinkConnection(Connection[EventLinkType]):
    """A page of event links."""
