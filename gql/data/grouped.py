"""The SQL behind grouped aggregates: event counts and figure facts per group of keys.

Keys come from `schema.group_keys`. Event counts are grouped, sorted and cut to `first` by the
database, in one statement (per parent, by `ROW_NUMBER()`, for a nested scope). Figure totals
need the adding-up rule of `schema.figures`, which is written once, in Python: the database
selects each matching figure's facts with its group's key values in one statement (and the
`part_of` chains above them in one more), and `add_up` totals them per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from gql.context import Info
from gql.data.connections import row_limit
from gql.data.grouping import ascending, parent_column, per_scope
from gql.data.grouping import descending as descending_order
from gql.types.list_fields import Scope
from schema.core import EVENT, FIGURE
from schema.figures import FACT_COLUMNS
from schema.group_keys import Grouping

#: Events counted in groups: not the umbrellas, which stand for events counted themselves.
NOT_UMBRELLA: tuple[ColumnElement[bool], ...] = (EVENT.c.umbrella == false(),)


def _key_columns(grouping: Grouping) -> list[ColumnElement[Any]]:
    """The key values, then (with a period key) whether the record spans periods."""
    spans = [grouping.spans] if grouping.spans is not None else []
    return [*grouping.values, *spans]


async def event_groups(
    info: Info, scope: Scope, grouping: Grouping, *, by_count: bool, descending: bool, limit: int
) -> list[tuple[Any, ...]]:
    """(key values..., [spans,] count) of the first `limit` groups of the scope's events
    (umbrellas left out), by count (ties by keys) or by keys."""
    dialect = info.context.db.dialect
    parent = parent_column(scope)
    keys = _key_columns(grouping)
    counted = func.count(EVENT.c.id.distinct()) if grouping.multiplies else func.count()
    if by_count:
        ties = [ascending(dialect, key) for key in keys]
        order = [counted.desc() if descending else counted.asc(), *ties]
    else:
        sort = descending_order if descending else ascending
        order = [sort(dialect, key) for key in keys]
    labelled = [key.label(f"k{i}") for i, key in enumerate(keys)]

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        group = [scope.relation.parent] if parent and scope.relation else []
        statement = (
            select(*parent, *labelled, counted.label("n"))
            .select_from(grouping.joined(source))
            .where(*where, *NOT_UMBRELLA)
            .group_by(*group, *keys)
        )
        if not group:
            return statement.order_by(*order).limit(row_limit(limit))
        number = func.row_number().over(partition_by=group, order_by=order)
        inner = statement.add_columns(number.label("row_number")).subquery()
        return (
            select(*list(inner.c)[: len(parent) + len(labelled) + 1])
            .where(inner.c.row_number <= row_limit(limit))
            .order_by(inner.c.parent_key, inner.c.row_number)
        )

    name = "groups:" + ",".join(key.name for key in grouping.keys)
    rows = await per_scope(info, scope, f"{name}:{by_count}:{descending}:{limit}", build)
    skip = len(parent)
    return [tuple(row[skip:]) for row in rows]


async def figure_group_facts(
    info: Info, scope: Scope, grouping: Grouping
) -> Sequence[tuple[Any, ...]]:
    """Each matching figure's facts (`FACT_COLUMNS`), then its group's key values, in as-of
    date order (the order `add_up` reads estimates in)."""
    parent = parent_column(scope)
    keys = [key.label(f"k{i}") for i, key in enumerate(_key_columns(grouping))]

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        return (
            select(*parent, *FACT_COLUMNS, *keys)
            .select_from(grouping.joined(source))
            .where(*where)
            .order_by(FIGURE.c.as_of_start, FIGURE.c.id)
        )

    name = "figure_groups:" + ",".join(key.name for key in grouping.keys)
    rows = await per_scope(info, scope, name, build)
    skip = len(parent)
    return [tuple(row[skip:]) for row in rows]
