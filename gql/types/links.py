"""Link records: an actor's part in an event (`Participation`) and links between events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row

from gql import listing
from gql.connections import Connection
from gql.context import Info
from gql.lists import by_id
from schema import enums

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.event import EventType


async def _event(info: Info, key: int) -> EventType:
    from gql.types.event import EventType

    found = await by_id(info, listing.EVENTS, key, EventType.from_row)
    assert found is not None  # a foreign key guarantees it
    return found


@strawberry.type(
    name="Participation",
    description="An actor's part in an event: who did what to whom (perpetrator, target, "
    "participant, responder, announcer, ...).",
)
class ParticipationType:
    """An actor in an event, with a role."""

    role: enums.ParticipationRole = strawberry.field(description="The part the actor played.")
    note: str | None = strawberry.field(description="A note on the actor's part.")
    evidence: str | None = strawberry.field(
        description="The words of the source that name the actor's part, verbatim."
    )
    event_id: strawberry.Private[int]
    actor_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Row[Any]) -> ParticipationType:
        """The participation of a `participation` table row."""
        return cls(
            role=enums.ParticipationRole(row.role),
            note=row.note,
            evidence=row.evidence,
            event_id=row.event_id,
            actor_id=row.actor_id,
        )

    @strawberry.field(description="The actor.")
    async def actor(self, info: Info) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")]:
        """The participating actor."""
        from gql.types.actor import ActorType

        found = await by_id(info, listing.ACTORS, self.actor_id, ActorType.from_row)
        assert found is not None  # a foreign key guarantees it
        return found

    @strawberry.field(description="The event.")
    async def event(self, info: Info) -> Annotated[EventType, strawberry.lazy("gql.types.event")]:
        """The event taken part in."""
        return await _event(info, self.event_id)


@strawberry.type(
    name="EventLink",
    description="A typed link between two events: `event` is part of / a response to / "
    "follows `target`.",
)
class EventLinkType:
    """A link from one event to another."""

    kind: enums.EventLinkKind = strawberry.field(description="How `event` relates to `target`.")
    evidence: str | None = strawberry.field(
        description="The words of the source that state the link, verbatim."
    )
    event_id: strawberry.Private[int]
    target_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Row[Any]) -> EventLinkType:
        """The link of an `eventlink` table row."""
        return cls(
            kind=enums.EventLinkKind(row.kind),
            evidence=row.evidence,
            event_id=row.event_id,
            target_id=row.target_id,
        )

    @strawberry.field(description="The linking event (the part, the response, the follower).")
    async def event(self, info: Info) -> Annotated[EventType, strawberry.lazy("gql.types.event")]:
        """The event the link starts from."""
        return await _event(info, self.event_id)

    @strawberry.field(description="The event linked to (the whole, the cause, the predecessor).")
    async def target(self, info: Info) -> Annotated[EventType, strawberry.lazy("gql.types.event")]:
        """The event the link points to."""
        return await _event(info, self.target_id)


@strawberry.type(name="ParticipationConnection", description="A page of participations.")
class ParticipationConnection(Connection[ParticipationType]):
    """A page of participations."""


@strawberry.type(name="EventLinkConnection", description="A page of links between events.")
class EventLinkConnection(Connection[EventLinkType]):
    """A page of event links."""
