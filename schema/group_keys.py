"""What events and figures can be grouped by: each key's SQL, the joins it needs, and its meaning.

A key is declared once here, for the GraphQL API's grouped aggregates (`gql.types.groups`) and
for the grouped export (`eventql export totals --group-by`). Keys of an event's place, type and
date apply to figures through the figure's event. Keys that name a record (an actor) group by
its primary key. A period key (`year`, ..., `day`) places a record by `schema.periods`' rule:
its period when its whole date lies inside one, else NULL with `spans_periods` true.

Joins are LEFT OUTER, through aliases of their own, so a group key never drops a record (a
figure without an event has null event keys) and never clashes with the tables a filter uses;
only the participant keys (`actor`, `role`) multiply rows, and counts then count each record
once per group (`multiplies`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from sqlalchemy import Table, and_, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from schema import enums
from schema.core import DATASET, EVENT, FIGURE, PARTICIPATION, SOURCE
from schema.periods import INTERVALS, honest_period

#: How a key's values read: text as stored, a vocabulary value, a period's first day, or the
#: primary key of a record of the kind named.
KeyKind = Literal["text", "enum", "period", "actor"]
#: The most keys one grouping may combine.
MAX_GROUP_KEYS = 4


@dataclass(frozen=True)
class Join:
    """A LEFT OUTER JOIN a key needs: `table` (an alias) on `on`."""

    name: str
    table: FromClause
    on: ColumnElement[bool]


@dataclass(frozen=True)
class GroupKey:
    """One thing records can be grouped by."""

    name: str
    kind: KeyKind
    description: str
    joins: tuple[str, ...] = ()
    enum: type[Enum] | None = None
    #: For a period key, its width (`schema.periods.INTERVALS`).
    interval: str | None = None
    #: Whether a record may fall in several groups of this key (an event's participants).
    multiplies: bool = False

    def value(self, dialect: str, tables: Mapping[str, Any]) -> ColumnElement[Any]:
        """The key's SQL over `tables` (the record's table and the joins, by name)."""
        return _VALUES[self.name](dialect, tables, self.interval)


def _event_of(tables: Mapping[str, Any]) -> Any:
    return tables["event"]


def _period(dialect: str, tables: Mapping[str, Any], interval: str | None) -> ColumnElement[Any]:
    assert interval is not None
    start, end, precision = tables["dates"]
    return honest_period(dialect, start, end, precision, interval)


_Value = Callable[[str, Mapping[str, Any], str | None], ColumnElement[Any]]
_VALUES: dict[str, _Value] = {
    "dataset": lambda d, t, i: t["dataset"].c.name,
    "country": lambda d, t, i: _event_of(t).c.country_code,
    "admin1": lambda d, t, i: _event_of(t).c.admin1,
    "admin2": lambda d, t, i: _event_of(t).c.admin2,
    "event_type": lambda d, t, i: _event_of(t).c.type,
    "event_sub_type": lambda d, t, i: _event_of(t).c.sub_type,
    **dict.fromkeys(INTERVALS, _period),
    "actor": lambda d, t, i: t["participation"].c.actor_id,
    "role": lambda d, t, i: t["participation"].c.role,
    "outlet": lambda d, t, i: t["source"].c.outlet,
    "kind": lambda d, t, i: t["record"].c.kind,
    "unit": lambda d, t, i: t["record"].c.unit,
    "claimant": lambda d, t, i: t["record"].c.claimant_id,
    "counted_actor": lambda d, t, i: t["record"].c.counted_actor_id,
    "counted_group": lambda d, t, i: t["record"].c.counted_group,
}


def _common(place: tuple[str, ...]) -> dict[str, GroupKey]:
    """Keys events and figures share; `place`: the joins that reach the event."""
    when = "the event's date" if place else "the date"
    keys = {
        "dataset": GroupKey("dataset", "text", "The dataset's name.", ("dataset",)),
        "country": GroupKey("country", "text", "The event's country code (ISO 3166-1).", place),
        "admin1": GroupKey("admin1", "text", "The event's first-order division.", place),
        "admin2": GroupKey("admin2", "text", "The event's second-order division.", place),
        "event_type": GroupKey("event_type", "enum", "The event type.", place, enums.EventType),
        "event_sub_type": GroupKey(
            "event_sub_type", "enum", "The event sub-type.", place, enums.EventSubType
        ),
        "outlet": GroupKey("outlet", "text", "The source's outlet.", ("source",)),
    }
    for interval in INTERVALS:
        keys[interval] = GroupKey(
            interval,
            "period",
            f"The {interval} of {when}, when the date lies wholly inside one (else the "
            "record spans periods: see `spans_periods`).",
            place,
            interval=interval,
        )
    return keys


EVENT_KEYS: Mapping[str, GroupKey] = {
    **_common(()),
    "actor": GroupKey(
        "actor",
        "actor",
        "An actor taking part (an event counts once per actor, in each of its groups).",
        ("participation",),
        multiplies=True,
    ),
    "role": GroupKey(
        "role",
        "enum",
        "A participant's role (an event counts once per role it has).",
        ("participation",),
        enums.ParticipationRole,
        multiplies=True,
    ),
}
FIGURE_KEYS: Mapping[str, GroupKey] = {
    **_common(("event",)),
    "kind": GroupKey("kind", "enum", "What is counted.", (), enums.FigureKind),
    "unit": GroupKey("unit", "text", "What one unit is."),
    "claimant": GroupKey("claimant", "actor", "Who gives the figure."),
    "counted_actor": GroupKey("counted_actor", "actor", "The actor whose people are counted."),
    "counted_group": GroupKey(
        "counted_group", "text", "The group counted, in the dataset's words ('civilians')."
    ),
}
#: Multiplying keys that, all present, name at most one joined row per record (a
#: participation's key is its event, actor and role).
_ONE_ROW_PER_RECORD = (frozenset({"actor", "role"}),)
#: The keys of each record kind that can be grouped.
GROUP_KEYS: Mapping[str, Mapping[str, GroupKey]] = {"event": EVENT_KEYS, "figure": FIGURE_KEYS}


@dataclass(frozen=True)
class Grouping:
    """Keys resolved over a record kind: their SQL values, and how to join what they read."""

    kind: str
    keys: tuple[GroupKey, ...]
    values: tuple[ColumnElement[Any], ...]
    #: True for a record that spans periods of the period key (null without one).
    spans: ColumnElement[bool] | None
    joins: tuple[Join, ...]
    #: With a period key: whether the record has a date (`spans` is built on it).
    dated: ColumnElement[bool] | None = None

    @property
    def columns(self) -> list[ColumnElement[Any]]:
        """What a group is selected by: the key values, then (with a period key) whether the
        record spans periods."""
        return [*self.values, *([self.spans] if self.spans is not None else [])]

    @property
    def group_by(self) -> list[ColumnElement[Any]]:
        """The same groups as `columns`, cheaper to compute per record: with a period key,
        whether the record has a date rather than whether it spans periods (which is the
        period being null and a date there, so it follows from the two). `spans` is built
        on the very `dated` term, so PostgreSQL accepts it in the select list."""
        return [*self.values, *([self.dated] if self.dated is not None else [])]

    @property
    def multiplies(self) -> bool:
        """Whether a record may be counted twice in one group (then count it once per group:
        `count(DISTINCT id)`, which sorts). Grouped by keys that together name one joined row
        per record (an event's participation is one per actor and role), it cannot."""
        names = {key.name for key in self.keys if key.multiplies}
        return bool(names) and not any(unique <= names for unique in _ONE_ROW_PER_RECORD)

    def joined(self, base: FromClause) -> FromClause:
        """`base` (the record's table, or a join holding it) with the keys' joins."""
        for join in self.joins:
            base = base.outerjoin(join.table, join.on)
        return base


def grouping(kind: str, names: list[str], dialect: str) -> Grouping:
    """The grouping of records of `kind` by the keys `names` (ValueError if it cannot be)."""
    keys = resolve(kind, names)
    tables = _tables(kind)
    values = tuple(key.value(dialect, tables) for key in keys)
    spans = dated = None
    for key, value in zip(keys, values, strict=True):
        if key.kind == "period":
            # NULL exactly when the dated span is not inside one period.
            dated = tables["dates"][0].is_not(None)
            spans = and_(value.is_(None), dated)
    joins = _joins(kind, [name for key in keys for name in key.joins], tables)
    return Grouping(kind, tuple(keys), values, spans, tuple(joins), dated)


def figure_grouping(names: list[str], dialect: str) -> Grouping:
    """The grouping of figures by `names`, which may be none: then figures are grouped by
    kind and unit only, as totals always are."""
    if not names:
        return Grouping("figure", (), (), None, ())
    return grouping("figure", names, dialect)


def figure_grain(
    names: Sequence[str],
    dialect: str,
    extra: Callable[[Mapping[str, Any]], Sequence[ColumnElement[Any]]],
) -> Grouping:
    """Figures grouped by the values of the keys `names` (any number of them) and by the
    `extra` columns it computes from the tables (`record`: the figure, `event`: its event,
    `dates`: the span that places it in time): the finest grouping that totals prepared at
    load time (`schema.prepared_totals`) are kept at."""
    keys = [FIGURE_KEYS[name] for name in names]
    tables = _tables("figure")
    values = (*(key.value(dialect, tables) for key in keys), *extra(tables))
    joins = _joins("figure", ["event", *(name for key in keys for name in key.joins)], tables)
    return Grouping("figure", tuple(keys), values, None, tuple(joins))


def keys_of_event(
    event_id: ColumnElement[Any],
    dataset_id: ColumnElement[Any],
    dates: tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]],
) -> tuple[dict[str, Any], list[Join]]:
    """Tables to read the event and dataset keys of a figure already grouped away (for
    `GroupKey.value`): the event `event_id` and dataset `dataset_id`, placed in time by
    `dates`; and the joins that reach them."""
    event = EVENT.alias("group_event")
    dataset = DATASET.alias("group_dataset")
    tables = {"event": event, "dataset": dataset, "dates": dates}
    joins = [
        Join("event", event, event.c.id == event_id),
        Join("dataset", dataset, dataset.c.id == dataset_id),
    ]
    return tables, joins


def _tables(kind: str) -> dict[str, Any]:
    """The record's table and an alias of each table a key may join, by join name."""
    record: Table = {"event": EVENT, "figure": FIGURE}[kind]
    tables: dict[str, Any] = {"record": record}
    if kind == "event":
        tables["event"] = record
        tables["dates"] = (record.c.start_date, record.c.end_date, record.c.date_precision)
    else:
        event = EVENT.alias("group_event")
        tables["event"] = event
        # A figure is placed in time by its event's date, or its own as-of date without one.
        tables["dates"] = (
            func.coalesce(event.c.start_date, record.c.as_of_start),
            func.coalesce(event.c.end_date, record.c.as_of_end),
            func.coalesce(event.c.date_precision, record.c.as_of_precision),
        )
    tables["dataset"] = DATASET.alias("group_dataset")
    tables["source"] = SOURCE.alias("group_source")
    tables["participation"] = PARTICIPATION.alias("group_participation")
    return tables


def _joins(kind: str, names: Iterable[str], tables: Mapping[str, Any]) -> list[Join]:
    """The joins named `names` over a record of `kind`, each once."""
    record = tables["record"]
    on = {
        "dataset": tables["dataset"].c.id == record.c.dataset_id,
        "source": tables["source"].c.id == record.c.source_id,
        "participation": tables["participation"].c.event_id == record.c.id,
    }
    if kind == "figure":
        on["event"] = tables["event"].c.id == record.c.event_id
    needed: list[Join] = []
    for name in names:
        if name in on and all(join.name != name for join in needed):
            needed.append(Join(name, tables[name], on[name]))
    return needed


def resolve(kind: str, names: list[str]) -> list[GroupKey]:
    """The keys `names` of records of `kind`, or a ValueError that says what is wrong."""
    available = GROUP_KEYS[kind]
    listed = ", ".join(available)
    if not names:
        raise ValueError("group by at least one key")
    if len(names) > MAX_GROUP_KEYS:
        raise ValueError(
            f"too many group keys: {len(names)} given, at most {MAX_GROUP_KEYS} can be combined"
        )
    for name in names:
        if name in available:
            continue
        if any(name in keys for keys in GROUP_KEYS.values()):
            raise ValueError(f"group key {name!r} does not apply to {kind}s (keys: {listed})")
        raise ValueError(f"unknown group key {name!r} (keys of {kind}s: {listed})")
    if len(set(names)) != len(names):
        raise ValueError("a group key is given twice")
    keys = [available[name] for name in names]
    if sum(key.kind == "period" for key in keys) > 1:
        raise ValueError("group by one period at most (year, quarter, month, week or day)")
    return keys
