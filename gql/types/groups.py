"""Grouped aggregates: event counts and figure totals per combination of keys, in one request.

`events { aggregates { groups(by: [COUNTRY, YEAR]) { keys { countryCode periodStart } count } } }`
and `figures { aggregates { groups(by: [COUNTRY, YEAR]) { keys { ... } best low high } } }`
answer "how many, where, when, by whom" for every group at once. The keys are declared in
`schema.group_keys` (the grouped export uses the same ones); a period key places a record by
the honest rule of `schema.periods`. Figure totals follow `schema.figures` (never double
counting a part), per group, kind and unit.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gql.context import Info
from gql.data import listing
from gql.data.grouped import event_groups, figure_groups
from gql.errors import PublicError
from gql.types.list_fields import Scope, by_id, list_size
from gql.types.vocabularies import OrderDirection
from schema import enums
from schema.figure_totals import MEASURES
from schema.group_keys import EVENT_KEYS, FIGURE_KEYS, Grouping, GroupKey, grouping
from schema.periods import as_date, period_end

if TYPE_CHECKING:
    from gql.types.actor import ActorType


def _key_enum(name: str, keys: dict[str, GroupKey], description: str) -> Any:
    members = {
        key.upper(): strawberry.enum_value(key, description=spec.description)
        for key, spec in keys.items()
    }
    made: Any = Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(made, name=name, description=description)


if TYPE_CHECKING:  # made from `schema.group_keys` when the module loads
    EventGroupKey = Enum
    FigureGroupKey = Enum
else:
    EventGroupKey = _key_enum(
        "EventGroupKey",
        dict(EVENT_KEYS),
        "What events can be grouped by. Combine up to four; one period (YEAR ... DAY) at most.",
    )
    FigureGroupKey = _key_enum(
        "FigureGroupKey",
        dict(FIGURE_KEYS),
        "What figures can be grouped by (an event's place, type and date through the figure's "
        "event). Combine up to four; one period at most. Totals are always per kind and unit "
        "too.",
    )


@strawberry.enum(name="EventGroupOrderField", description="What event groups are sorted by.")
class EventGroupOrderField(Enum):
    """Event group sort field."""

    COUNT = strawberry.enum_value("count", description="The number of events (ties by keys).")
    KEYS = strawberry.enum_value(
        "keys", description="The key values, in the order of `by` (nulls first ascending)."
    )


@strawberry.enum(name="FigureGroupOrderField", description="What figure groups are sorted by.")
class FigureGroupOrderField(Enum):
    """Figure group sort field."""

    BEST = strawberry.enum_value("best", description="The total's `best` (ties by keys).")
    LOW = strawberry.enum_value("low", description="The total's `low`.")
    HIGH = strawberry.enum_value(
        "high", description="The total's `high` (an open-ended total counts as the largest)."
    )
    FIGURE_COUNT = strawberry.enum_value(
        "figure_count", description="How many figures went into the total."
    )
    KEYS = strawberry.enum_value("keys", description="The key values, kind and unit.")


@strawberry.input(name="EventGroupOrder", description="How to sort event groups.")
class EventGroupOrder:
    """An event group ordering."""

    field: EventGroupOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way (default: largest first)."
    )


@strawberry.input(name="FigureGroupOrder", description="How to sort figure groups.")
class FigureGroupOrder:
    """A figure group ordering."""

    field: FigureGroupOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Which way (default: largest first)."
    )


_NULL = "Null when the records have none, or when the groups are not made by this key."


@strawberry.type(
    description="The key values of one group. Only the keys the groups were made by (and, for "
    "figures, `kind` and `unit`) are set; the others are null."
)
class GroupKeys:
    """A group's key values."""

    dataset: str | None = strawberry.field(default=None, description=f"The dataset's name. {_NULL}")
    country_code: str | None = strawberry.field(
        default=None, description=f"ISO 3166-1 alpha-2. {_NULL}"
    )
    admin1: str | None = strawberry.field(
        default=None, description=f"First-order division. {_NULL}"
    )
    admin2: str | None = strawberry.field(
        default=None, description=f"Second-order division. {_NULL}"
    )
    event_type: enums.EventType | None = strawberry.field(
        default=None, description=f"Event type. {_NULL}"
    )
    event_sub_type: enums.EventSubType | None = strawberry.field(
        default=None, description=f"Event sub-type. {_NULL}"
    )
    period_start: dt.date | None = strawberry.field(
        default=None,
        description="The first day of the period (YEAR ... DAY) the records lie wholly in; null "
        "for the group of records that span periods (see `spansPeriods`), and when not grouped "
        "by a period.",
    )
    period_end: dt.date | None = strawberry.field(
        default=None, description="The period's last day."
    )
    spans_periods: bool | None = strawberry.field(
        default=None,
        description="Grouped by a period: true for the group of records whose date runs across "
        "periods or is open (`BEFORE`, `COVERS`), so is in no one period — reported, not "
        "placed on a day no source gave (`schema.periods`' rule); false otherwise. Null when "
        "not grouped by a period.",
    )
    role: enums.ParticipationRole | None = strawberry.field(
        default=None, description=f"A participant's role. {_NULL}"
    )
    outlet: str | None = strawberry.field(default=None, description=f"The source's outlet. {_NULL}")
    kind: enums.FigureKind | None = strawberry.field(
        default=None, description="What the figures count (figure groups always have it)."
    )
    unit: str | None = strawberry.field(
        default=None, description="What one unit is (figure groups)."
    )
    counted_group: str | None = strawberry.field(
        default=None,
        description=f"The group counted, in the dataset's words ('civilians'). {_NULL}",
    )
    actor_id: strawberry.Private[int | None] = None
    claimant_id: strawberry.Private[int | None] = None
    counted_actor_id: strawberry.Private[int | None] = None

    @strawberry.field(description=f"The participating actor (events). {_NULL}")
    async def actor(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The actor key."""
        return await _actor(info, self.actor_id)

    @strawberry.field(description=f"Who gives the figures. {_NULL}")
    async def claimant(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The claimant key."""
        return await _actor(info, self.claimant_id)

    @strawberry.field(description=f"The actor whose people are counted. {_NULL}")
    async def counted_actor(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The counted actor key."""
        return await _actor(info, self.counted_actor_id)


async def _actor(info: Info, key: int | None) -> ActorType | None:
    from gql.types.actor import ActorType

    return await by_id(info, listing.ACTORS, key, ActorType.from_row)


#: Where each key's value goes in `GroupKeys`, and how it is read.
_FIELDS: dict[str, tuple[str, Any]] = {
    "dataset": ("dataset", None),
    "country": ("country_code", None),
    "admin1": ("admin1", None),
    "admin2": ("admin2", None),
    "event_type": ("event_type", enums.EventType),
    "event_sub_type": ("event_sub_type", enums.EventSubType),
    "actor": ("actor_id", None),
    "role": ("role", enums.ParticipationRole),
    "outlet": ("outlet", None),
    "kind": ("kind", enums.FigureKind),
    "unit": ("unit", None),
    "claimant": ("claimant_id", None),
    "counted_actor": ("counted_actor_id", None),
    "counted_group": ("counted_group", None),
}


def group_keys(made_by: Grouping, values: tuple[Any, ...]) -> GroupKeys:
    """The `GroupKeys` of one group: `values` in the order of the grouping's keys, then (with
    a period key) whether the group spans periods."""
    given: dict[str, Any] = {}
    for key, value in zip(made_by.keys, values, strict=False):
        if key.interval is not None:
            start = as_date(value) if value is not None else None
            given["period_start"] = start
            given["period_end"] = period_end(start, key.interval) if start else None
            given["spans_periods"] = bool(values[len(made_by.keys)])
        else:
            name, read = _FIELDS[key.name]
            given[name] = read(value) if read is not None and value is not None else value
    return GroupKeys(**given)


@strawberry.type(description="How many events are in one group (umbrella events left out).")
class EventGroup:
    """An event group."""

    keys: GroupKeys = strawberry.field(description="The group's key values.")
    count: int = strawberry.field(
        description="How many matching events are in the group. Umbrella events are left out "
        "(their parts are counted); grouped by ACTOR or ROLE, an event counts once in each "
        "group it has a participant in."
    )


@strawberry.type(
    description="Figure totals of one group, kind and unit: low/best/high added up without "
    "double counting (see `FigureTotal`)."
)
class FigureGroup:
    """A figure group."""

    keys: GroupKeys = strawberry.field(description="The group's key values, kind and unit.")
    low: int = strawberry.field(description="Sum of the counted figures' `low`.")
    best: int = strawberry.field(description="Sum of the counted figures' `best`.")
    high: int | None = strawberry.field(
        description="Sum of the counted figures' `high`; null when any is open-ended."
    )
    figure_count: int = strawberry.field(description="How many figures went into the total.")
    skipped_part_count: int = strawberry.field(
        description="Figures left out as parts of a counted figure in the same group."
    )
    merged_estimate_count: int = strawberry.field(
        description="Figures read together with another estimate of the same quantity."
    )
    open_ended_count: int = strawberry.field(
        description="Counted figures with no upper bound ('more than')."
    )
    bounds_only_count: int = strawberry.field(
        description="Matching figures with bounds but no stated value ('more than 5,100')."
    )
    unknown_count: int = strawberry.field(
        description="Matching figures saying the number is unknown: they add nothing."
    )
    unquantified_count: int = strawberry.field(
        description="Matching figures with no number at all ('dozens'): they add nothing."
    )
    smallest_best: int | None = strawberry.field(
        default=None,
        description="The smallest `best` number among the group's figures, parts and further "
        "estimates included (null when none has a number).",
    )
    largest_best: int | None = strawberry.field(
        default=None,
        description="The largest `best` number among the group's figures, parts and further "
        "estimates included: the biggest single claim.",
    )

    @classmethod
    def of(cls, made_by: Grouping, values: tuple[Any, ...], total: dict[str, Any]) -> FigureGroup:
        """The group with key `values` and the measures of `schema.figure_totals`."""
        keys = group_keys(made_by, values)
        keys.kind, keys.unit = enums.FigureKind(total["kind"]), total["unit"]
        return cls(keys=keys, bounds_only_count=int(total["bounds_only"]), **total_fields(total))


def total_fields(total: dict[str, Any]) -> dict[str, Any]:
    """The fields a figure total and a figure group share, from the measures of
    `schema.figure_totals` by name."""

    def number(name: str) -> int | None:
        return None if total[name] is None else int(total[name])

    fields = {
        "low": "low",
        "best": "best",
        "high": "high",
        "figure_count": "figure_count",
        "skipped_part_count": "skipped_parts",
        "merged_estimate_count": "merged_estimates",
        "open_ended_count": "open_ended",
        "unknown_count": "unknown",
        "unquantified_count": "unquantified",
        "smallest_best": "smallest",
        "largest_best": "largest",
    }
    return {field: number(measure) for field, measure in fields.items()}


def _grouping(info: Info, kind: str, by: list[Any]) -> Grouping:
    try:
        return grouping(kind, [key.name.lower() for key in by], info.context.db.dialect)
    except ValueError as error:
        raise PublicError(f"`by`: {error}") from None


async def grouped_events(
    info: Info, scope: Scope, by: list[Any], order: EventGroupOrder | None, first: int | None
) -> list[EventGroup]:
    """The groups of the scope's events by `by`."""
    limit = list_size(info.context.settings, first)
    made_by = _grouping(info, "event", by)
    order = order or EventGroupOrder(field=EventGroupOrderField.COUNT)
    rows = await event_groups(
        info,
        scope,
        made_by,
        by_count=order.field is EventGroupOrderField.COUNT,
        descending=order.direction is OrderDirection.DESC,
        limit=limit,
    )
    return [EventGroup(keys=group_keys(made_by, row[:-1]), count=int(row[-1])) for row in rows]


async def grouped_figures(
    info: Info, scope: Scope, by: list[Any], order: FigureGroupOrder | None, first: int | None
) -> list[FigureGroup]:
    """The totals of the scope's figures per group of `by`, kind and unit."""
    limit = list_size(info.context.settings, first)
    made_by = _grouping(info, "figure", by)
    order = order or FigureGroupOrder(field=FigureGroupOrderField.BEST)
    rows = await figure_groups(
        info,
        scope,
        made_by,
        order=order.field.name.lower(),
        descending=order.direction is OrderDirection.DESC,
        limit=limit,
    )
    width = len(made_by.keys) + (made_by.spans is not None)
    return [
        FigureGroup.of(made_by, row[:width], dict(zip(MEASURES, row[width:], strict=True)))
        for row in rows
    ]
