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
from typing import TYPE_CHECKING, Annotated, Any

import anyio
import anyio.to_thread
import strawberry

from gql import listing
from gql.context import Info
from gql.enums import TimeInterval
from gql.errors import LimitError
from gql.grouping import (
    TIMELINE_DATES,
    as_date,
    bucket,
    bucket_end,
    figure_ancestors,
    figure_facts,
    grouped_counts,
)
from gql.lists import GroupsFirst, Scope, by_id, count, list_size
from schema import enums
from schema.core import EVENT, PARTICIPATION, STATEMENT
from schema.figures import FigureFacts, Total, add_up

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.figure import FigureType

_TOP = "How many groups to return, largest first (default 20, at most 100)."
#: Worker threads that CPU-heavy aggregates may use at once (the rest wait their turn).
_CPU = anyio.CapacityLimiter(2)
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


def _top(info: Info, first: int) -> int:
    limit = info.context.settings.max_page_size
    if first < 0 or first > limit:
        raise LimitError(
            f"page size limit exceeded: `first` is {first}, but at most {limit} groups are "
            f"returned (max_page_size)"
        )
    return first


@strawberry.type(description="How many records fall on one date bucket.")
class TimelineBucket:
    """A timeline bucket."""

    start: dt.date = strawberry.field(description="The bucket's first day.")
    end: dt.date = strawberry.field(description="The bucket's last day.")
    count: int = strawberry.field(description="How many records start in the bucket.")


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


def _size(info: Info, first: int | None) -> int:
    return list_size(info.context.settings, first)


async def _timeline(
    info: Info, scope: Scope, interval: TimeInterval, first: int | None
) -> list[TimelineBucket]:
    limit = list_size(
        info.context.settings, first, MAX_TIMELINE_BUCKETS, f"{MAX_TIMELINE_BUCKETS} buckets"
    )
    column = TIMELINE_DATES[scope.listing.name]
    width = interval.name.lower()
    expression = bucket(info.context.db.dialect, column, width)
    groups = await grouped_counts(
        info,
        scope,
        f"timeline:{width}",
        [expression],
        limit=limit,
        by_value=True,
        extra=[column.is_not(None)],
    )
    return [
        TimelineBucket(start=as_date(key), end=bucket_end(as_date(key), width), count=int(n))
        for key, n in groups
        if key is not None
    ]


_TIMELINE = (
    "Counts per day, ISO week or month, by the day each record starts, earliest first; "
    "buckets with no records are left out, records without a date are not counted."
)
_LARGEST = "largest first (ties by value, empty first)"


@strawberry.type(description="Aggregates over all events matching the connection's arguments.")
class EventAggregates:
    """Event aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many events match.")
    async def count(self, info: Info) -> int:
        """The number of matching events."""
        return await count(info, self.scope)

    @strawberry.field(description=f"Counts per event type, {_LARGEST}.")
    async def by_type(self, info: Info, first: GroupsFirst = None) -> list[EventTypeCount]:
        """Events per type."""
        limit = _size(info, first)
        groups = await grouped_counts(info, self.scope, "type", [EVENT.c.type], limit=limit)
        return [EventTypeCount(type=enums.EventType(t), count=int(n)) for t, n in groups]

    @strawberry.field(description=f"Counts per event sub-type, {_LARGEST}.")
    async def by_sub_type(self, info: Info, first: GroupsFirst = None) -> list[EventSubTypeCount]:
        """Events per sub-type."""
        groups = await grouped_counts(
            info, self.scope, "sub_type", [EVENT.c.type, EVENT.c.sub_type], limit=_size(info, first)
        )
        return [
            EventSubTypeCount(type=enums.EventType(t), sub_type=enums.EventSubType(s), count=int(n))
            for t, s, n in groups
        ]

    @strawberry.field(description=f"Counts per country, {_LARGEST}.")
    async def by_country(self, info: Info, first: GroupsFirst = None) -> list[CountryCount]:
        """Events per country."""
        groups = await grouped_counts(
            info, self.scope, "country", [EVENT.c.country_code], limit=_size(info, first)
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
        extra = [PARTICIPATION.c.role == role.value] if role is not None else []
        groups = await grouped_counts(
            info,
            self.scope,
            f"actor:{role.value if role else ''}",
            [PARTICIPATION.c.actor_id],
            limit=_top(info, first),
            join=(PARTICIPATION, PARTICIPATION.c.event_id == EVENT.c.id),
            extra=extra,
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
        return await _timeline(info, self.scope, interval, first)


@strawberry.type(description="Aggregates over all actors matching the connection's arguments.")
class ActorAggregates:
    """Actor aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many actors match.")
    async def count(self, info: Info) -> int:
        """The number of matching actors."""
        return await count(info, self.scope)

    @strawberry.field(description=f"Counts per actor kind (stored value), {_LARGEST}.")
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Actors per kind."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "kind", [table.c.kind], limit=_size(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(description=f"Counts per country, {_LARGEST}.")
    async def by_country(self, info: Info, first: GroupsFirst = None) -> list[CountryCount]:
        """Actors per country."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "country", [table.c.country_code], limit=_size(info, first)
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

    @strawberry.field(description=f"Counts per statement kind (stored value), {_LARGEST}.")
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Statements per kind."""
        groups = await grouped_counts(
            info, self.scope, "kind", [STATEMENT.c.kind], limit=_size(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(description="The speakers with the most matching statements.")
    async def by_speaker(
        self, info: Info, first: Annotated[int, strawberry.argument(description=_TOP)] = 20
    ) -> list[ActorCount]:
        """Statements per speaker."""
        groups = await grouped_counts(
            info, self.scope, "speaker", [STATEMENT.c.speaker_id], limit=_top(info, first)
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


@strawberry.type(
    description="The total of one kind of figure (and unit; and claimant, if asked for), "
    "adding up the matching figures without double counting. A figure is counted unless one "
    "of its `partOf` ancestors of the same kind, unit (and claimant) is counted in the same "
    "total: 'about 300 arrested at the borders', part of 'more than 5,100 arrested', adds "
    "nothing when both match, and is counted when the filter leaves the larger one out. "
    "Each figure is read as low/best/high as its own `low`, `best`, `high` fields say. "
    "Figures from different claimants are different claims about the same people: compare "
    "them with `totals(byClaimant: true)` rather than adding them up."
)
class FigureTotal:
    """A figure total."""

    kind: enums.FigureKind = strawberry.field(description="What is counted.")
    unit: str = strawberry.field(description="What one unit is.")
    low: int = strawberry.field(description="Sum of the counted figures' `low` numbers.")
    best: int = strawberry.field(description="Sum of the counted figures' `best` numbers.")
    high: int | None = strawberry.field(
        description="Sum of the counted figures' `high` numbers; null when any counted figure "
        "is open-ended ('more than 5,100'), since the total then has no upper bound."
    )
    figure_count: int = strawberry.field(description="How many figures went into the total.")
    open_ended_count: int = strawberry.field(
        description="How many counted figures have no upper bound."
    )
    unknown_count: int = strawberry.field(
        description="How many matching figures say the number is unknown: they add nothing, and "
        "are reported here rather than as 0."
    )
    unquantified_count: int = strawberry.field(
        description="How many matching figures have no number at all (a vague 'dozens' without "
        "bounds): they add nothing."
    )
    skipped_part_count: int = strawberry.field(
        description="How many matching figures were left out because a figure they are part "
        "of is counted."
    )
    smallest_best: int | None = strawberry.field(
        description="The smallest `best` number among the matching figures, parts included."
    )
    largest_best: int | None = strawberry.field(
        description="The largest `best` number among the matching figures, parts included."
    )
    claimant_id: strawberry.Private[int | None]
    counted: strawberry.Private[list[int]]
    grouped_by_claimant: strawberry.Private[bool]

    @classmethod
    def of(cls, total: Total, *, by_claimant: bool) -> FigureTotal:
        """The GraphQL total of a computed `schema.figures.Total`."""
        return cls(
            kind=enums.FigureKind(total.kind),
            unit=total.unit,
            low=total.low,
            best=total.best,
            high=total.high,
            figure_count=len(total.counted),
            open_ended_count=total.open_ended,
            unknown_count=total.unknown,
            unquantified_count=total.unquantified,
            skipped_part_count=total.skipped_parts,
            smallest_best=total.smallest,
            largest_best=total.largest,
            claimant_id=total.group if isinstance(total.group, int) else None,
            counted=total.counted,
            grouped_by_claimant=by_claimant,
        )

    @strawberry.field(
        description="With `byClaimant: true`, the actor whose figures these are (null for "
        "figures without a claimant); always null otherwise."
    )
    async def claimant(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The claimant of a per-claimant total."""
        from gql.types.actor import ActorType

        return await by_id(info, listing.ACTORS, self.claimant_id, ActorType.from_row)

    @strawberry.field(
        description="The figures that went into the total, in as-of date order (the first "
        "`first` of `figureCount`)."
    )
    async def figures(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many (default 20, at most 100).")
        ] = 20,
    ) -> list[Annotated[FigureType, strawberry.lazy("gql.types.figure")]]:
        """The counted figures."""
        from gql.types.figure import FigureType

        keys = self.counted[: _top(info, first)]
        loader = info.context.loaders.by_id(listing.FIGURES)
        rows = await loader.load_many(keys)
        return [FigureType.from_row(row) for row in rows if row is not None]


@strawberry.type(description="Aggregates over all figures matching the connection's arguments.")
class FigureAggregates:
    """Figure aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many figures match.")
    async def count(self, info: Info) -> int:
        """The number of matching figures."""
        return await count(info, self.scope)

    @strawberry.field(
        description="How many figures of each kind match (a count of claims, not a sum), "
        f"{_LARGEST}."
    )
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Figures per kind."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "kind", [table.c.kind], limit=_size(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(
        description="Low/best/high totals per kind and unit (by kind and unit, then the "
        "largest `best` first, ties in a fixed order), never double counting a figure that is "
        "part of another counted one (see `FigureTotal`). `first` keeps the first totals of "
        "that order: filter by `kind` for the largest claims of another kind."
    )
    async def totals(
        self,
        info: Info,
        by_claimant: Annotated[
            bool,
            strawberry.argument(
                description="One total per claimant as well: compare what each actor claims."
            ),
        ] = False,
        first: GroupsFirst = None,
    ) -> list[FigureTotal]:
        """Totals per kind."""
        limit = _size(info, first)
        facts = await figure_facts(info, self.scope)
        ancestors = await figure_ancestors(info, self.scope)
        skip = 1 if self.scope.relation is not None and self.scope.parent is not None else 0

        def total() -> list[Total]:
            selected = [_facts(row[skip:], by_claimant) for row in facts]
            return add_up(selected, ancestors)[:limit]

        # Adding up tens of thousands of figures is CPU work: in a worker thread, the event
        # loop keeps answering other requests meanwhile.
        totals = await anyio.to_thread.run_sync(total, limiter=_CPU)
        return [FigureTotal.of(t, by_claimant=by_claimant) for t in totals]


def _facts(row: Any, by_claimant: bool) -> FigureFacts:
    ident, part_of, kind, unit, status, qualifier, value, lower, upper, claimant = row
    return FigureFacts(
        id=ident,
        part_of_id=part_of,
        kind=kind,
        unit=unit,
        status=status,
        qualifier=qualifier,
        value=value,
        lower=lower,
        upper=upper,
        group=claimant if by_claimant else None,
    )
