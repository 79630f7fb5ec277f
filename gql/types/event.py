"""The `Event` type: something that happened, with everything recorded about it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry.scalars import JSON

from gql.context import Info
from gql.data import listing
from gql.data.connections import Connection
from gql.types import pages
from gql.types.fields import column, connection, to_many, value_object
from gql.types.record import Record
from gql.types.values import LOCATION, DateSpan, Location, date_span
from schema import enums

if TYPE_CHECKING:
    from gql.types.aggregates import EventAggregates
    from gql.types.figure import FigureConnection
    from gql.types.links import EventLinkConnection, EventLinkType, ParticipationType
    from gql.types.statement import StatementConnection


@strawberry.type(
    name="Event",
    description="Something that happened: what (type and sub-type), when, where, who took "
    "part in which role, what was said and which figures were reported about it — each with "
    "the source words it was read from.",
)
class EventType(Record):
    """An event."""

    node_kind: ClassVar[str] = "Event"
    table_listing: ClassVar[listing.Listing] = listing.EVENTS
    title: str = column("title", description="A short title.")
    type: enums.EventType = column("type", description="The event type (after ACLED).")
    sub_type: enums.EventSubType = column("sub_type", description="The sub-type within `type`.")
    description: str | None = column(
        "description", description="What happened, in a few sentences."
    )
    umbrella: bool = column(
        "umbrella",
        description="An aggregate event that stands for its parts (the events `partOf` it), "
        "such as riots across a country: the grouped counts of `aggregates` count the parts, "
        "not the umbrella (see `umbrellaCount`).",
    )
    external_id: str | None = column(
        "external_id",
        description="The event's ID in an imported dataset (e.g. an ACLED or UCDP event ID).",
    )
    codes: JSON = column(
        "codes", description="Original codes and fields from an imported dataset, as given there."
    )
    date: DateSpan = value_object(
        date_span("date_"),
        description="When it happened: first and last possible day, precision.",
    )
    start_date: dt.date = column(
        "start_date", description="The first possible day (same as `date.start`)."
    )
    end_date: dt.date = column(
        "end_date", description="The last possible day (same as `date.end`)."
    )
    location: Location | None = value_object(
        LOCATION,
        description="Where it happened (the first place the source names, when it names "
        "several: see `otherLocations`); null when the source gives no place. The location "
        "filters (`countryCode`, `admin1`, ...) match this one.",
    )
    other_locations: list[Location] = to_many(
        listing.EVENT_OTHER_LOCATIONS,
        description="Further places the event happened in or covers, besides `location` (a "
        "decree declaring a state of emergency in two regions), in the source's order; empty "
        "for most events.",
    )
    participants: list[Annotated[ParticipationType, strawberry.lazy("gql.types.links")]] = to_many(
        listing.EVENT_PARTICIPANTS,
        description="The actors that took part, each with its role, by actor name. An "
        "actor with two roles appears twice.",
    )
    figures: Annotated[FigureConnection, strawberry.lazy("gql.types.figure")] = connection(
        listing.EVENT_FIGURES,
        pages.FIGURES,
        description="Figures reported about this event (arrests, deaths, ...).",
    )
    statements: Annotated[StatementConnection, strawberry.lazy("gql.types.statement")] = connection(
        listing.EVENT_STATEMENTS, pages.STATEMENTS, description="Statements about this event."
    )
    links: list[Annotated[EventLinkType, strawberry.lazy("gql.types.links")]] = to_many(
        listing.EVENT_LINKS_FROM,
        description="Links from this event to others: what it is part of, a response to, or "
        "follows; by kind.",
    )
    linked_from: Annotated[EventLinkConnection, strawberry.lazy("gql.types.links")] = connection(
        listing.EVENT_LINKED_FROM,
        pages.EVENT_LINKS,
        description="Links from other events to this one (its parts, responses to it, what "
        "followed), in the order of those events.",
    )


@strawberry.type(
    name="EventConnection",
    description="A page of events, with the total count and aggregates of all matching events.",
)
class EventConnection(Connection[EventType]):
    """A page of events."""

    @strawberry.field(
        description="Counts over all matching events, pagination ignored: by type, country, "
        "actor, and a timeline."
    )
    def aggregates(
        self, info: Info
    ) -> Annotated[EventAggregates, strawberry.lazy("gql.types.aggregates")]:
        """Aggregates of the events this connection ranges over."""
        from gql.types.aggregates import EventAggregates, census_keys

        return EventAggregates(scope=self.scope, census=census_keys(info))
