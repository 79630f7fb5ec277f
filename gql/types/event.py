"""The `Event` type: something that happened, with everything recorded about it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from gql import listing
from gql.arguments import After, Before, First, Last
from gql.connections import Connection
from gql.context import Info
from gql.lists import ListFirst, PageArgs, nested_connection, related_list
from gql.ordering import FigureOrder, StatementOrder
from gql.record_filters import EventLinkFilter, FigureFilter, StatementFilter
from gql.types.common import DateSpan, Location, Record, record_fields
from schema import enums

if TYPE_CHECKING:
    from gql.aggregates import EventAggregates
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
    title: str = strawberry.field(description="A short title.")
    type: enums.EventType = strawberry.field(description="The event type (after ACLED).")
    sub_type: enums.EventSubType = strawberry.field(description="The sub-type within `type`.")
    description: str | None = strawberry.field(description="What happened, in a few sentences.")
    external_id: str | None = strawberry.field(
        description="The event's ID in an imported dataset (e.g. an ACLED or UCDP event ID)."
    )
    codes: JSON = strawberry.field(
        description="Original codes and fields from an imported dataset, as given there."
    )
    row: strawberry.Private[Row[Any]]

    @classmethod
    def from_row(cls, row: Row[Any]) -> EventType:
        """The event of an `event` table row."""
        return cls(
            **record_fields(row),
            title=row.title,
            type=enums.EventType(row.type),
            sub_type=enums.EventSubType(row.sub_type),
            description=row.description,
            external_id=row.external_id,
            codes=row.codes,
            row=row,
        )

    @strawberry.field(description="When it happened: first and last possible day, precision.")
    def date(self) -> DateSpan:
        """The event's date span."""
        span = DateSpan.of(
            self.row.start_date, self.row.end_date, self.row.date_precision, self.row.date_note
        )
        assert span is not None  # events always have a start date
        return span

    @strawberry.field(description="The first possible day (same as `date.start`).")
    def start_date(self) -> dt.date:
        """The event's first day."""
        start: dt.date = self.row.start_date
        return start

    @strawberry.field(description="The last possible day (same as `date.end`).")
    def end_date(self) -> dt.date:
        """The event's last day."""
        end: dt.date = self.row.end_date
        return end

    @strawberry.field(description="Where it happened; null when the source gives no place.")
    def location(self) -> Location | None:
        """The event's location."""
        return Location.of(self.row)

    @strawberry.field(
        description="The actors that took part, each with its role, by actor name. An actor "
        "with two roles appears twice."
    )
    async def participants(
        self, info: Info, first: ListFirst = None
    ) -> list[Annotated[ParticipationType, strawberry.lazy("gql.types.links")]]:
        """The event's participations."""
        from gql.types.links import ParticipationType

        return await related_list(
            info, listing.EVENT_PARTICIPANTS, self.db_id, ParticipationType.from_row, first
        )

    @strawberry.field(description="Figures reported about this event (arrests, deaths, ...).")
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
        """The event's figures."""
        from gql.types.figure import FigureConnection, FigureType

        return await nested_connection(
            info,
            FigureConnection,
            listing.EVENT_FIGURES,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=FigureType.from_row,
        )

    @strawberry.field(description="Statements about this event.")
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
        """Statements about the event."""
        from gql.types.statement import StatementConnection, StatementType

        return await nested_connection(
            info,
            StatementConnection,
            listing.EVENT_STATEMENTS,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=order_by,
            to_node=StatementType.from_row,
        )

    @strawberry.field(
        description="Links from this event to others: what it is part of, a response to, or "
        "follows; by kind."
    )
    async def links(
        self, info: Info, first: ListFirst = None
    ) -> list[Annotated[EventLinkType, strawberry.lazy("gql.types.links")]]:
        """The event's outgoing links."""
        from gql.types.links import EventLinkType

        return await related_list(
            info, listing.EVENT_LINKS_FROM, self.db_id, EventLinkType.from_row, first
        )

    @strawberry.field(
        description="Links from other events to this one (its parts, responses to it, what "
        "followed), in the order of those events."
    )
    async def linked_from(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            EventLinkFilter | None, strawberry.argument(description="Only links matching this.")
        ] = None,
    ) -> Annotated[EventLinkConnection, strawberry.lazy("gql.types.links")]:
        """Incoming links."""
        from gql.types.links import EventLinkConnection, EventLinkType

        return await nested_connection(
            info,
            EventLinkConnection,
            listing.EVENT_LINKED_FROM,
            self.db_id,
            PageArgs(first, after, last, before),
            filter=filter,
            order_by=None,
            to_node=EventLinkType.from_row,
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
    def aggregates(self) -> Annotated[EventAggregates, strawberry.lazy("gql.aggregates")]:
        """Aggregates of the events this connection ranges over."""
        from gql.aggregates import EventAggregates

        return EventAggregates(scope=self.scope)
