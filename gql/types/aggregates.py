"""Aggregates over a whole connection, pagination ignored: counts, groups, timelines, totals.

Every aggregate respects the connection's `filter` and `search` and ignores its
`first`/`after`. Each list of groups, totals or buckets has a `first` of its own, and returns
at most that many (default and maximum `max_list_size`; timelines may ask for more, up to
`MAX_TIMELINE_BUCKETS`), a prefix of its documented order.
Figure totals add figures up by the rules in `schema.figures` (quoted in the field
descriptions), which never count a figure inside another counted figure twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import false
from sqlalchemy.sql.elements import ColumnElement

from gql.context import Info
from gql.data import listing
from gql.data.grouping import event_census, grouped_counts, largest_first, timeline_counts
from gql.errors import LimitError
from gql.types.groups import EventGroup, EventGroupKey, EventGroupOrder, grouped_events
from gql.types.list_fields import GroupsFirst, Scope, by_id, count, list_size, selects_any
from gql.types.vocabularies import TimeInterval
from schema import enums
from schema.core import EVENT, PARTICIPATION, STATEMENT
from schema.periods import as_date, period_end

if TYPE_CHECKING:
    from gql.types.actor import ActorType

_TOP = "How many groups to return, largest first (default 20, at most 100)."
#: The most buckets a timeline returns: ten years of days. More than `max_list_size`, as a
#: day timeline of a few years is an ordinary question, and a bucket is three numbers.
MAX_TIMELINE_BUCKETS = 3660
TimelineFirst = Annotated[
    int | None,
    strawberry.argument(
        description="How many buckets to return, earliest first. Default: max_list_size (100 "
        "unless the server sets another). At most 3660 (ten years of days), more than other "
        "lists take: a day timeline over a few years is an ordinary question, and a bucket is "
        "three numbers. More is an error; for longer spans, widen `interval` or filter by date."
    ),
]


def top(info: Info, first: int) -> int:
    limit = info.context.settings.max_page_size
    if first < 0 or first > limit:
        raise LimitError(
            f"page size limit exceeded: `first` is {first}, but at most {limit} groups are "
            f"returned (max_page_size)"
        )
    return first


@strawberry.type(
    description="How many records fall in one period of a timeline: those whose whole date "
    "lies inside it (`count`), and those that may start in it but whose date runs past it or "
    "is open (`spanning`), reported rather than placed on a day no source gave."
)
class TimelineBucket:
    """A timeline bucket."""

    start: dt.date = strawberry.field(description="The bucket's first day.")
    end: dt.date = strawberry.field(description="The bucket's last day.")
    count: int = strawberry.field(
        description="How many records lie wholly in the bucket: their first and last possible "
        "day both inside it, and their date neither `BEFORE` (start unknown) nor `COVERS` "
        "(possibly longer). Records dated only as a range across buckets are not counted in "
        "any bucket's `count` (see `spanning`), so a range of days is no spike on its first."
    )
    spanning: int = strawberry.field(
        description="How many records whose first possible day is in the bucket span beyond it "
        "(a range into the next bucket) or have an open date (`BEFORE`, `COVERS`): counted "
        "here once, not in `count`. `count + spanning` over all buckets is every dated record."
    )
    starting: int = strawberry.field(
        description="How many records have their first possible day in the bucket (`count` + "
        "`spanning`): the count of timelines before the honest rule, which placed a range on "
        "its first day."
    )


@strawberry.type(description="How many events have one event type.")
class EventTypeCount:
    """A count per event type."""

    type: enums.EventType = strawberry.field(description="The event type.")
    count: int = strawberry.field(description="How many matching events have it.")


@strawberry.type(description="How many events have one sub-type.")
class EventSubTypeCount:
    """A count per event sub-type."""

    type: enums.EventType = strawberry.field(description="The event type the sub-type is in.")
    sub_type: enums.EventSubType = strawberry.field(description="The sub-type.")
    count: int = strawberry.field(description="How many matching events have it.")


@strawberry.type(description="How many records are in one country.")
class CountryCount:
    """A count per country."""

    country_code: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2 code; null for records without a country."
    )
    count: int = strawberry.field(description="How many matching records are in it.")


@strawberry.type(description="How many records involve one actor.")
class ActorCount:
    """A count per actor."""

    actor_id: strawberry.Private[int]
    count: int = strawberry.field(description="How many matching records involve the actor.")

    @strawberry.field(description="The actor.")
    async def actor(self, info: Info) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")]:
        """The actor counted."""
        from gql.types.actor import ActorType

        found = await by_id(info, listing.ACTORS, self.actor_id, ActorType.from_row)
        assert found is not None  # a foreign key guarantees it
        return found


@strawberry.type(description="How many records have one value of a vocabulary.")
class KindCount:
    """A count per stored vocabulary value."""

    kind: str = strawberry.field(
        description="The value, as stored (lower case, e.g. 'arrested', 'state_body')."
    )
    count: int = strawberry.field(description="How many matching records have it.")


def list_cap(info: Info, first: int | None) -> int:
    return list_size(info.context.settings, first)


#: The event aggregates read off one census of the scope (`event_census`).
_CENSUS_FIELDS = frozenset({"byType", "bySubType", "byCountry", "umbrellaCount"})


def census_keys(info: Info) -> tuple[str, ...] | None:
    """The census keys the `aggregates` field being resolved needs, or None when it selects
    no aggregate the census answers (its `count` then counts on its own). Country and
    sub-type are not both kept: a census by both could hold a row per sub-type and country
    pair, so `byCountry` then counts on its own."""
    if not selects_any(info, _CENSUS_FIELDS):
        return None
    if selects_any(info, frozenset({"bySubType"})):
        return ("sub_type",)
    return ("country_code",) if selects_any(info, frozenset({"byCountry"})) else ()


async def _counted(
    info: Info, scope: Scope, keys: Sequence[str], group: Sequence[str], limit: int
) -> list[tuple[Any, ...]]:
    """(values of `group`..., count) of the scope's events but umbrellas, the first `limit`
    groups largest first: read off the census by `keys`."""
    counts: dict[tuple[Any, ...], int] = {}
    for values, n in await event_census(info, scope, keys):
        if values["umbrella"] is False:  # as `NOT_UMBRELLA`: neither umbrellas nor unknown
            key = tuple(values[name] for name in group)
            counts[key] = counts.get(key, 0) + n
    return largest_first(counts, limit)


async def _timeline(
    info: Info,
    scope: Scope,
    interval: TimeInterval,
    first: int | None,
    *,
    extra: Sequence[ColumnElement[bool]] = (),
) -> list[TimelineBucket]:
    limit = list_size(
        info.context.settings, first, MAX_TIMELINE_BUCKETS, f"{MAX_TIMELINE_BUCKETS} buckets"
    )
    width = interval.name.lower()
    periods = await timeline_counts(info, scope, width, limit=limit, extra=extra)
    return [
        TimelineBucket(
            start=as_date(key),
            end=period_end(as_date(key), width),
            count=inside,
            spanning=starting - inside,
            starting=starting,
        )
        for key, starting, inside in periods
    ]


_TIMELINE = (
    "Counts per day, ISO week, month, quarter or year, earliest first: in each bucket the "
    "records wholly inside it (`count`) and those that may start in it but run past it "
    "(`spanning`), so a record dated '4 to 8 January' is no spike on the 4th. Buckets with no "
    "records are left out; records without a date are not counted."
)
LARGEST = "largest first (ties by value, empty first)"
#: Events counted in groups: not the umbrellas, which stand for events counted themselves.
NOT_UMBRELLA: tuple[ColumnElement[bool], ...] = (EVENT.c.umbrella == false(),)


@strawberry.type(description="Aggregates over all events matching the connection's arguments.")
class EventAggregates:
    """Event aggregates."""

    scope: strawberry.Private[Scope]
    #: The keys of the census its fields read (`census_keys`); None: no field reads one.
    census: strawberry.Private[tuple[str, ...] | None] = None

    @strawberry.field(description="How many events match.")
    async def count(self, info: Info) -> int:
        """The number of matching events."""
        if self.census is not None:
            return sum(n for _, n in await event_census(info, self.scope, self.census))
        return await count(info, self.scope)

    @strawberry.field(description=f"Counts per event type, {LARGEST}.")
    async def by_type(self, info: Info, first: GroupsFirst = None) -> list[EventTypeCount]:
        """Events per type."""
        keys = self.census or ()
        groups = await _counted(info, self.scope, keys, ["type"], list_cap(info, first))
        return [EventTypeCount(type=enums.EventType(t), count=n) for t, n in groups]

    @strawberry.field(description=f"Counts per event sub-type, {LARGEST}.")
    async def by_sub_type(self, info: Info, first: GroupsFirst = None) -> list[EventSubTypeCount]:
        """Events per sub-type."""
        group, limit = ["type", "sub_type"], list_cap(info, first)
        groups = await _counted(info, self.scope, ["sub_type"], group, limit)
        return [
            EventSubTypeCount(type=enums.EventType(t), sub_type=enums.EventSubType(s), count=n)
            for t, s, n in groups
        ]

    @strawberry.field(description=f"Counts per country, {LARGEST}.")
    async def by_country(self, info: Info, first: GroupsFirst = None) -> list[CountryCount]:
        """Events per country."""
        limit = list_cap(info, first)
        if self.census is not None and "country_code" in self.census:
            groups = await _counted(info, self.scope, self.census, ["country_code"], limit)
        else:
            groups = await grouped_counts(
                info,
                self.scope,
                "country",
                [EVENT.c.country_code],
                limit=limit,
                extra=NOT_UMBRELLA,
            )
        return [CountryCount(country_code=c, count=int(n)) for c, n in groups]

    @strawberry.field(
        description="The actors taking part in the most matching events, with how many each "
        "(an event counts once per actor, whatever its roles)."
    )
    async def by_actor(
        self,
        info: Info,
        role: Annotated[
            enums.ParticipationRole | None,
            strawberry.argument(description="Count only parts in this role."),
        ] = None,
        first: Annotated[int, strawberry.argument(description=_TOP)] = 20,
    ) -> list[ActorCount]:
        """Events per actor."""
        extra = [*NOT_UMBRELLA, *([PARTICIPATION.c.role == role.value] if role else [])]
        groups = await grouped_counts(
            info,
            self.scope,
            f"actor:{role.value if role else ''}",
            [PARTICIPATION.c.actor_id],
            limit=top(info, first),
            join=(PARTICIPATION, PARTICIPATION.c.event_id == EVENT.c.id),
            extra=extra,
            # A participation's key is (event, actor, role): with one role, an event has at
            # most one row per actor (at 100,000 events, a region's responders: 139 → 114 ms
            # under EXPLAIN ANALYZE).
            join_repeats=role is None,
        )
        return [ActorCount(actor_id=a, count=int(n)) for a, n in groups]

    @strawberry.field(description=_TIMELINE)
    async def timeline(
        self,
        info: Info,
        interval: Annotated[TimeInterval, strawberry.argument(description="Bucket width.")],
        first: TimelineFirst = None,
    ) -> list[TimelineBucket]:
        """Events over time."""
        return await _timeline(info, self.scope, interval, first, extra=NOT_UMBRELLA)

    @strawberry.field(
        description="Event counts per group of keys — country and year, type and month, actor "
        "and role, ... — largest first unless `orderBy` says otherwise, umbrella events left "
        "out (their parts are counted). A period key (YEAR ... DAY) counts an event in a "
        "period only when its whole date lies inside it; the events whose date spans periods "
        "form a group of their own (`keys.spansPeriods`), so none is hidden or counted twice."
    )
    async def groups(
        self,
        info: Info,
        by: Annotated[
            list[EventGroupKey], strawberry.argument(description="The keys to group by.")
        ],
        order_by: Annotated[
            EventGroupOrder | None,
            strawberry.argument(description="How to sort the groups (default: COUNT, DESC)."),
        ] = None,
        first: GroupsFirst = None,
    ) -> list[EventGroup]:
        """Events per group."""
        return await grouped_events(info, self.scope, by, order_by, first)

    @strawberry.field(
        description="How many matching events are umbrellas (aggregate events that stand for "
        "their parts, such as riots across a country). `count` includes them; the grouped "
        "counts and the timeline leave them out, so that an umbrella and its parts are not "
        "counted together."
    )
    async def umbrella_count(self, info: Info) -> int:
        """The number of matching umbrella events."""
        census = await event_census(info, self.scope, self.census or ())
        return sum(n for values, n in census if values["umbrella"])


@strawberry.type(description="Aggregates over all actors matching the connection's arguments.")
class ActorAggregates:
    """Actor aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many actors match.")
    async def count(self, info: Info) -> int:
        """The number of matching actors."""
        return await count(info, self.scope)

    @strawberry.field(description=f"Counts per actor kind (stored value), {LARGEST}.")
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Actors per kind."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "kind", [table.c.kind], limit=list_cap(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(description=f"Counts per country, {LARGEST}.")
    async def by_country(self, info: Info, first: GroupsFirst = None) -> list[CountryCount]:
        """Actors per country."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "country", [table.c.country_code], limit=list_cap(info, first)
        )
        return [CountryCount(country_code=c, count=int(n)) for c, n in groups]


@strawberry.type(description="Aggregates over all statements matching the connection's arguments.")
class StatementAggregates:
    """Statement aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many statements match.")
    async def count(self, info: Info) -> int:
        """The number of matching statements."""
        return await count(info, self.scope)

    @strawberry.field(description=f"Counts per statement kind (stored value), {LARGEST}.")
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Statements per kind."""
        groups = await grouped_counts(
            info, self.scope, "kind", [STATEMENT.c.kind], limit=list_cap(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(description="The speakers with the most matching statements.")
    async def by_speaker(
        self, info: Info, first: Annotated[int, strawberry.argument(description=_TOP)] = 20
    ) -> list[ActorCount]:
        """Statements per speaker."""
        groups = await grouped_counts(
            info, self.scope, "speaker", [STATEMENT.c.speaker_id], limit=top(info, first)
        )
        return [ActorCount(actor_id=a, count=int(n)) for a, n in groups]

    @strawberry.field(description=_TIMELINE)
    async def timeline(
        self,
        info: Info,
        interval: Annotated[TimeInterval, strawberry.argument(description="Bucket width.")],
        first: TimelineFirst = None,
    ) -> list[TimelineBucket]:
        """Statements over time."""
        return await _timeline(info, self.scope, interval, first)


@strawberry.type(description="Aggregates over all sources matching the connection's arguments.")
class SourceAggregates:
    """Source aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many sources match.")
    async def count(self, info: Info) -> int:
        """The number of matching sources."""
        return await count(info, self.scope)

    @strawberry.field(description=_TIMELINE)
    async def timeline(
        self,
        info: Info,
        interval: Annotated[TimeInterval, strawberry.argument(description="Bucket width.")],
        first: TimelineFirst = None,
    ) -> list[TimelineBucket]:
        """Sources over time (by publication date)."""
        return await _timeline(info, self.scope, interval, first)
