"""The SQL behind grouped aggregates: event counts and figure totals per group of keys.

Keys come from `schema.group_keys`. Both are grouped, sorted and cut to `first` by the
database, in one statement each (per parent, by `ROW_NUMBER()`, for a nested scope): event
counts by a GROUP BY, figure totals by the SQL twin of the adding-up rule
(`schema.figure_totals`), so no figure leaves the database, only the groups returned.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from gql.context import Info
from gql.data.connections import row_limit
from gql.data.grouping import parent_column, per_scope
from gql.types.list_fields import Scope
from schema.core import EVENT
from schema.figure_totals import grouped_totals
from schema.group_keys import Grouping, figure_grouping
from schema.prepared_totals import prepared_groups
from schema.sorting import ascending, first_rows
from schema.sorting import descending as descending_order

#: Events counted in groups: not the umbrellas, which stand for events counted themselves.
NOT_UMBRELLA: tuple[ColumnElement[bool], ...] = (EVENT.c.umbrella == false(),)


async def event_groups(
    info: Info, scope: Scope, grouping: Grouping, *, by_count: bool, descending: bool, limit: int
) -> list[tuple[Any, ...]]:
    """(key values..., [spans,] count) of the first `limit` groups of the scope's events
    (umbrellas left out), by count (ties by keys) or by keys."""
    dialect = info.context.db.dialect
    parent = parent_column(scope)
    keys = grouping.columns
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
            .group_by(*group, *grouping.group_by)
        )
        return first_rows(statement, group, order, row_limit(limit))

    name = "groups:" + ",".join(key.name for key in grouping.keys)
    rows = await per_scope(info, scope, f"{name}:{by_count}:{descending}:{limit}", build)
    skip = len(parent)
    return [tuple(row[skip:]) for row in rows]


async def figure_groups(
    info: Info,
    scope: Scope,
    grouping: Grouping,
    *,
    order: str,
    descending: bool,
    limit: int,
) -> list[tuple[Any, ...]]:
    """(key values..., [spans,] measures...) of the first `limit` groups of the scope's
    figures per group, kind and unit, by `order` (`schema.figure_totals`): from the totals
    prepared at load time (`schema.prepared_totals`) when they can answer, else by the rule
    over the figures themselves."""
    dialect = info.context.db.dialect
    prepared = await _prepared(
        info, scope, grouping, order=order, descending=descending, limit=row_limit(limit)
    )
    if prepared is not None:
        return prepared
    parent = parent_column(scope)

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        return grouped_totals(
            grouping,
            source,
            where,
            dialect,
            parent=parent,
            order=order,
            descending=descending,
            limit=row_limit(limit),
        )

    name = "figure_groups:" + ",".join(key.name for key in grouping.keys)
    rows = await per_scope(info, scope, f"{name}:{order}:{descending}:{limit}", build)
    skip = len(parent)
    return [tuple(row[skip:]) for row in rows]


async def flat_totals(
    info: Info, scope: Scope, *, by_claimant: bool
) -> list[tuple[Any, ...]] | None:
    """([claimant,] measures...) of the scope's figures per kind and unit (and claimant),
    unsorted, from the totals prepared at load time; None when only the rule can answer."""
    keys = ["claimant"] if by_claimant else []
    made_by = figure_grouping(keys, info.context.db.dialect)
    return await _prepared(info, scope, made_by, order="best", descending=True, limit=None)


async def _prepared(
    info: Info,
    scope: Scope,
    grouping: Grouping,
    *,
    order: str,
    descending: bool,
    limit: ColumnElement[Any] | None,
) -> list[tuple[Any, ...]] | None:
    """Rows of `figure_groups` read from the prepared totals, or None when they cannot
    answer: a nested scope, keys or a filter no prepared level keeps, or a matching figure
    tied across the prepared grains (`schema.prepared_totals`)."""
    if scope.relation is not None:
        return None
    statement = prepared_groups(
        grouping,
        [scope.condition],
        info.context.db.dialect,
        order=order,
        descending=descending,
        limit=limit,
    )
    if statement is None:
        return None
    rows = await info.context.db.all(statement)
    # The last column says whether a matching figure is tied across grains.
    if rows and rows[0][-1]:
        return None
    return [tuple(row[:-1]) for row in rows]
