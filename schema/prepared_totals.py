"""Figure totals prepared at load time, so grouped totals over a whole dataset are one small
GROUP BY.

Adding up figures by the rule of `schema.figure_totals` reads every selected figure, its
`part_of` ancestors and its estimates at query time: seconds for deaths by country and year
of 100,000 UCDP events. But that rule only ever combines figures of one group, and most
groupings analysts ask for are unions of much finer groups. So each load runs the same
statement once, grouped by a fine *grain*, and keeps the totals per grain in `preparedtotal`;
a query then adds grains up. Adding up is exact when no figure of a grain is tied (by
`part_of` or `estimate_of`) to a figure of another grain: then every part, whole and estimate
the rule combines lies in one grain, and whatever the query groups by, the grain's figures
stay together. Figures with such a tie are marked `crossing` (in a grain row of their own),
and a query that selects one is answered by the rule itself (`schema.figure_totals`) instead.

Three grains, each a `Level`, finest first:

- `event`: the figure's event (or, without one, its own date), claimant, kind and unit. It
  keeps every key of the event and the claimant, and the event's date, type and place, so it
  answers any grouping by them, and any filter on the figure's kind, unit, claimant, dataset
  or event (`figure.event_id IN (…)`; one that reads only the event's date, type or place is
  read off the row itself).
- `keys`: the values of the coarser keys only (dataset, country, admin1, type, sub-type, year,
  quarter, month, claimant, kind, unit), with filters on kind, unit, claimant and dataset.
- `years`: dataset, country, type, sub-type, year and claimant: deaths by country and year
  adds up a few thousand rows instead of 100,000 events'.

A query the prepared totals cannot answer — grouped by outlet or counted actor, filtered on a
figure's own value, searched, nested under another record — goes to the rule, with the same
answer (`tests/test_api_group_totals.py` checks both against `schema.figures.add_up`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Index,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Field, SQLModel

from schema.core import EVENT, FIGURE
from schema.figure_totals import MEASURES, grouped_totals, sorted_totals
from schema.group_keys import FIGURE_KEYS, Grouping, figure_grain, keys_of_event
from schema.key_sets import key_set
from schema.periods import INTERVALS

_SERIAL = BigInteger().with_variant(Integer(), "sqlite")


class PreparedTotal(SQLModel, table=True):
    """Totals of the figures of one grain (`Level`), kind and unit, kept by each load."""

    __tablename__ = "preparedtotal"
    __table_args__ = (
        Index("ix_preparedtotal_level_kind", "level", "kind", "unit"),
        # A filter on events selects rows event by event; the rest of the condition is read
        # off the index before any row is.
        Index("ix_preparedtotal_event_level_kind", "event_id", "level", "kind"),
        # "Of the events of 2021": a range of this index, not a lookup per event.
        Index("ix_preparedtotal_level_kind_start", "level", "kind", "event_start_date"),
    )

    id: int | None = Field(default=None, sa_column=Column(_SERIAL, primary_key=True))
    #: The grain: "event", "keys" or "years" (`LEVELS`).
    level: str = Field(max_length=10)
    dataset_id: int = Field(sa_type=BigInteger, index=True)
    #: The figures' event (the `event` grain only).
    event_id: int | None = Field(default=None, sa_type=BigInteger)
    claimant_id: int | None = Field(default=None, sa_type=BigInteger)
    kind: str = Field(max_length=40)
    unit: str = Field(max_length=60)
    # The group keys' values (`schema.group_keys`), null where the grain does not keep them.
    dataset_name: str | None = Field(default=None, max_length=200)
    country_code: str | None = Field(default=None, max_length=3)
    admin1: str | None = None
    admin2: str | None = None
    event_type: str | None = Field(default=None, max_length=40)
    event_sub_type: str | None = Field(default=None, max_length=60)
    year: dt.date | None = Field(default=None, sa_type=Date)
    quarter: dt.date | None = Field(default=None, sa_type=Date)
    month: dt.date | None = Field(default=None, sa_type=Date)
    week: dt.date | None = Field(default=None, sa_type=Date)
    day: dt.date | None = Field(default=None, sa_type=Date)
    # The event's date (the `event` grain only), for filters on it (`EVENT_COLUMNS`).
    event_start_date: dt.date | None = Field(default=None, sa_type=Date)
    event_end_date: dt.date | None = Field(default=None, sa_type=Date)
    event_date_precision: str | None = Field(default=None, max_length=20)
    #: Whether the figures are placed in time at all (a period key's "spans periods" is a
    #: dated record outside every single period).
    dated: bool
    #: Whether a figure here is tied to a figure of another grain: a query selecting this
    #: row is answered by the rule itself.
    crossing: bool
    # The measures of `schema.figure_totals.MEASURES` (`high` null when open-ended).
    low: int = Field(sa_type=BigInteger)
    best: int = Field(sa_type=BigInteger)
    high: int | None = Field(default=None, sa_type=BigInteger)
    figure_count: int
    skipped_parts: int
    merged_estimates: int
    open_ended: int
    bounds_only: int
    unknown: int
    unquantified: int
    smallest: int | None = Field(default=None, sa_type=BigInteger)
    largest: int | None = Field(default=None, sa_type=BigInteger)


PREPARED = PreparedTotal.__table__  # type: ignore[attr-defined]
#: The table's name, for the loader's ANALYZE and VACUUM.
PREPARED_TABLE = "preparedtotal"
#: Each key a grain may keep: its column in `preparedtotal`.
KEY_COLUMNS: Mapping[str, str] = {
    "dataset": "dataset_name",
    "country": "country_code",
    "admin1": "admin1",
    "admin2": "admin2",
    "event_type": "event_type",
    "event_sub_type": "event_sub_type",
    **{interval: interval for interval in INTERVALS},
    "claimant": "claimant_id",
    "kind": "kind",
    "unit": "unit",
}


#: The event columns the `event` grain keeps: a filter on the figures' event that reads only
#: these is answered from the grain's own row (`figure.event_id IN (SELECT event.id FROM event
#: WHERE …)` becomes the same condition on `preparedtotal`).
EVENT_COLUMNS: Mapping[str, str] = {
    "start_date": "event_start_date",
    "end_date": "event_end_date",
    "date_precision": "event_date_precision",
    "type": "event_type",
    "sub_type": "event_sub_type",
    "country_code": "country_code",
    "admin1": "admin1",
    "admin2": "admin2",
}


@dataclass(frozen=True)
class Level:
    """A grain totals are prepared at: the keys it keeps, and the figure columns a filter may
    read to select its rows (each a column of `preparedtotal` by the same name)."""

    name: str
    keys: tuple[str, ...]
    filterable: tuple[str, ...]


#: Coarsest first: a query uses the first level that can answer it. The last is the finest,
#: the one the rule fills; the others add its rows up.
LEVELS = (
    # Without claimants: a dataset's totals by kind (or by country and year) read a few rows
    # per year, not one per claimant (of which a large dataset has thousands).
    Level(
        "countries",
        ("dataset", "country", "event_type", "event_sub_type", "year"),
        ("dataset_id", "kind", "unit"),
    ),
    Level(
        "years",
        ("dataset", "country", "event_type", "event_sub_type", "year", "claimant"),
        ("dataset_id", "kind", "unit", "claimant_id"),
    ),
    Level(
        "keys",
        (
            "dataset",
            "country",
            "admin1",
            "event_type",
            "event_sub_type",
            "year",
            "quarter",
            "month",
            "claimant",
        ),
        ("dataset_id", "kind", "unit", "claimant_id"),
    ),
    Level(
        "event",
        tuple(name for name in KEY_COLUMNS if name not in ("kind", "unit")),
        ("dataset_id", "kind", "unit", "claimant_id", "event_id"),
    ),
)


def prepare_totals(connection: Connection, dataset_ids: Sequence[int]) -> None:
    """Compute the prepared totals of the datasets `dataset_ids` anew (in the caller's
    transaction, after their figures are written)."""
    if not dataset_ids:
        return
    connection.execute(delete(PREPARED).where(PREPARED.c.dataset_id.in_(dataset_ids)))
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # The rule sorts and hashes every figure of the datasets: in memory, not on disk.
        connection.exec_driver_sql("SET LOCAL work_mem = '256MB'")
    finest, *coarser = reversed(LEVELS)
    statements = [
        _event_totals(finest, dialect, list(dataset_ids)),
        *(_added_up(level, finest, list(dataset_ids)) for level in coarser),
    ]
    for statement in statements:
        columns = statement.selected_columns.keys()
        connection.execute(insert(PREPARED).from_select(columns, statement))


def _added_up(level: Level, finest: Level, dataset_ids: list[int]) -> Select[Any]:
    """The rows of a coarser `level`: the `finest` level's rows added up (exact where no
    figure is crossing, which is all a query reads them for)."""
    p = PREPARED.c
    keys = [p.dataset_id, p.kind, p.unit, *(p[KEY_COLUMNS[name]] for name in level.keys), p.dated]
    return (
        select(
            cast(level.name, String).label("level"),
            *keys,
            (func.max(cast(p.crossing, Integer)) == 1).label("crossing"),
            *_combined(),
        )
        .where(p.level == finest.name, p.dataset_id.in_(dataset_ids))
        .group_by(*keys)
    )


def _event_totals(level: Level, dialect: str, dataset_ids: list[int]) -> Select[Any]:
    """The rows of the finest `level`: the rule's totals grouped by its grain — dataset,
    claimant, event and date (and whether dated, and crossing) — with the event's keys."""

    def grain_columns(tables: Mapping[str, Any]) -> list[ColumnElement[Any]]:
        figure, dates = tables["record"], tables["dates"]
        crossing = _crossing(figure)
        return [figure.c.dataset_id, figure.c.event_id, *dates, dates[0].is_not(None), crossing]

    grain = figure_grain(("claimant",), dialect, grain_columns)
    where = [FIGURE.c.dataset_id.in_(dataset_ids)]
    totals = grouped_totals(grain, FIGURE, where, dialect, limit=None).subquery("grain")
    t = totals.c
    claimant, dataset_id, event_id, start, end, precision, dated, crossed = (
        t[f"k{i}"] for i in range(8)
    )
    # Every other key is read off the event (and the date) once per grain row.
    tables, joins = keys_of_event(event_id, dataset_id, (start, end, precision))
    source: Any = totals
    for join in joins:
        source = source.outerjoin(join.table, join.on)
    keys = {
        KEY_COLUMNS[name]: FIGURE_KEYS[name].value(dialect, tables)
        for name in level.keys
        if name != "claimant"
    }
    event = tables["event"]
    for column in ("start_date", "end_date", "date_precision"):
        keys[EVENT_COLUMNS[column]] = event.c[column]
    # Written in the order of the "events of a date range" index: such a range then reads
    # neighbouring rows, not rows scattered over the whole table.
    return (
        select(
            cast(level.name, String).label("level"),
            dataset_id.label("dataset_id"),
            event_id.label("event_id"),
            claimant.label("claimant_id"),
            t.kind.label("kind"),
            t.unit.label("unit"),
            *(value.label(column) for column, value in keys.items()),
            dated.label("dated"),
            crossed.label("crossing"),
            *(t[name].label(name) for name in ("low", "best", "high", *MEASURES[5:])),
        )
        .select_from(source)
        .order_by(t.kind, event.c.start_date)
    )


def _crossing(figure: Any) -> ColumnElement[bool]:
    """Whether `figure` is tied by `part_of` or `estimate_of` (either way) to a figure of
    another event, claimant or dataset — or, without an event, of another date."""
    child, parent = FIGURE.alias("tied_child"), FIGURE.alias("tied_parent")

    def same(column: str) -> ColumnElement[bool]:
        return parent.c[column].is_not_distinct_from(child.c[column])

    other_grain = ~and_(
        same("dataset_id"),
        same("event_id"),
        same("claimant_id"),
        or_(
            child.c.event_id.is_not(None),
            and_(same("as_of_start"), same("as_of_end"), same("as_of_precision")),
        ),
    )
    # Each kind of tie is an equi-join (an OR of them could not be hashed).
    pairs = [
        select(child.c.id.label("child"), parent.c.id.label("parent"))
        .join(parent, parent.c.id == tie)
        .where(other_grain)
        for tie in (child.c.part_of_id, child.c.estimate_of_id)
    ]
    tied = union_all(*pairs).cte("tied")
    either_end = union(select(tied.c.child), select(tied.c.parent))
    crossing: ColumnElement[bool] = figure.c.id.in_(either_end)
    return crossing


def prepared_groups(
    grouping: Grouping,
    where: Sequence[ColumnElement[bool]],
    dialect: str,
    *,
    order: str,
    descending: bool,
    limit: ColumnElement[Any] | int | None,
) -> Select[Any] | None:
    """The grouped totals of the figures matching `where` from the prepared totals, in the
    rows of `schema.figure_totals.grouped_totals` (every group, unsorted, with `limit` None)
    plus a last column `crossing` (1 when a matching figure is tied across grains: then the
    rule must answer instead) — or None when no level keeps the keys or can read the
    filter."""
    names = [key.name for key in grouping.keys]
    for level in LEVELS:
        if not all(name in level.keys or name in ("kind", "unit") for name in names):
            continue
        conditions = _translated(where, level)
        if conditions is None:
            continue
        return _grouped(grouping, level, conditions, dialect, order, descending, limit)
    return None


def _combined() -> list[ColumnElement[Any]]:
    """The measures of several prepared rows as one (`MEASURES` after kind and unit): sums,
    but a `high` only while no row is open-ended, and the extremes of the extremes."""
    p = PREPARED.c

    def added(name: str) -> ColumnElement[Any]:
        return func.coalesce(func.sum(p[name]), 0)

    extremes = {"smallest": func.min(p.smallest), "largest": func.max(p.largest)}
    measures: list[ColumnElement[Any]] = [
        added("low").label("low"),
        added("best").label("best"),
        case((added("open_ended") > 0, None), else_=added("high")).label("high"),
    ]
    for name in MEASURES[5:]:
        measures.append(extremes.get(name, added(name)).label(name))
    return measures


class _Unreadable(Exception):
    """A filter reads a figure column the level does not keep."""


def _translated(
    where: Sequence[ColumnElement[bool]], level: Level
) -> list[ColumnElement[bool]] | None:
    """`where` over `preparedtotal` instead of `figure`, or None if it reads more than the
    level keeps (or reads `figure` inside a subquery of its own)."""

    def replace(
        element: visitors.ExternallyTraversible, **_: Any
    ) -> visitors.ExternallyTraversible | None:
        if "event_id" in level.filterable:
            on_event = _on_event(element)
            if on_event is not None:
                return on_event
        if isinstance(element, Column) and element.table is FIGURE:
            if element.name not in level.filterable:
                raise _Unreadable(element.name)
            column: ColumnElement[Any] = PREPARED.c[element.name]
            return column
        if isinstance(element, Select) and FIGURE in element.get_final_froms():
            raise _Unreadable("figure")
        return None

    try:
        return [visitors.replacement_traverse(condition, {}, replace) for condition in where]
    except _Unreadable:
        return None


def _on_event(element: visitors.ExternallyTraversible) -> ColumnElement[bool] | None:
    """`figure.event_id IN (SELECT event.id FROM event WHERE c)`, in either form of
    `schema.key_sets`, as `c` over the prepared row's copy of its event's columns, when `c`
    reads only those; else None."""
    found = key_set(element)
    if found is None or found[0] is not FIGURE.c.event_id:
        return None
    inner = found[1]
    if not (
        inner.get_final_froms() == [EVENT]
        and list(inner.selected_columns) == [EVENT.c.id]
        and inner.whereclause is not None
        and not (inner._group_by_clauses or inner._having_criteria or inner._distinct)
        and inner._limit_clause is None
        and inner._offset_clause is None
    ):
        return None
    readable = True

    def copy(
        element: visitors.ExternallyTraversible, **_: Any
    ) -> visitors.ExternallyTraversible | None:
        nonlocal readable
        if isinstance(element, Column) and element.table is EVENT:
            if element.name not in EVENT_COLUMNS:
                readable = False
                return None
            kept: ColumnElement[Any] = PREPARED.c[EVENT_COLUMNS[element.name]]
            return kept
        if isinstance(element, Select):
            readable = False  # a further subquery: kept as it is
        return None

    condition: ColumnElement[bool] = visitors.replacement_traverse(inner.whereclause, {}, copy)
    return condition if readable else None


def _grouped(
    grouping: Grouping,
    level: Level,
    conditions: list[ColumnElement[bool]],
    dialect: str,
    order: str,
    descending: bool,
    limit: ColumnElement[Any] | int | None,
) -> Select[Any]:
    p = PREPARED.c
    keys: list[ColumnElement[Any]] = [p[KEY_COLUMNS[key.name]] for key in grouping.keys]
    period = next((key for key in grouping.keys if key.kind == "period"), None)
    if period is not None:
        keys.append(and_(p[KEY_COLUMNS[period.name]].is_(None), p.dated == true()))
    key_names = [f"k{i}" for i in range(len(keys))]

    crossing = func.max(cast(p.crossing, Integer))
    totals = (
        select(
            *(key.label(name) for key, name in zip(keys, key_names, strict=True)),
            p.kind.label("kind"),
            p.unit.label("unit"),
            *_combined(),
            # Over every group, not only those cut to `limit`: any crossing row at all
            # means the rule answers.
            func.max(crossing).over().label("crossing"),
        )
        .where(p.level == level.name, *conditions)
        .group_by(*keys, p.kind, p.unit)
    )
    if limit is None:
        return totals
    return sorted_totals(dialect, totals, [], key_names, order, descending, limit)
