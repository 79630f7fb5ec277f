"""The SQL behind aggregates: grouped counts, timeline buckets, and figure facts for totals.

Each function takes a `Scope`. For a root connection it runs one statement; for a nested one
(an event's figures) it goes through a DataLoader keyed by the question asked, so all parents of
a response share one statement, grouped by parent. Grouped counts are sorted and cut to their
`first` by the database (per parent, by `ROW_NUMBER()`), in an order that is the same on both
databases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from gql.context import Info
from gql.data.connections import row_limit
from gql.data.loaders import Rows
from gql.types.list_fields import Scope
from schema.core import EVENT, FIGURE, SOURCE, STATEMENT
from schema.figures import FACT_COLUMNS
from schema.periods import is_within, period_start
from schema.sorting import ascending, first_rows

#: The date span each kind of record is placed on a timeline by: first and last possible day,
#: and precision (`schema.periods` says how a span is placed).
TIMELINE_DATES: dict[str, tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]] = {
    "event": (EVENT.c.start_date, EVENT.c.end_date, EVENT.c.date_precision),
    "statement": (STATEMENT.c.start_date, STATEMENT.c.end_date, STATEMENT.c.date_precision),
    "figure": (FIGURE.c.as_of_start, FIGURE.c.as_of_end, FIGURE.c.as_of_precision),
    "source": (SOURCE.c.published_start, SOURCE.c.published_end, SOURCE.c.published_precision),
}


def _base(scope: Scope, join: tuple[FromClause, ColumnElement[bool]] | None) -> FromClause:
    base = scope.listing.table if scope.relation is None else scope.relation.source
    return base.join(*join) if join is not None else base


async def per_scope(
    info: Info,
    scope: Scope,
    name: str,
    build: Callable[[FromClause, list[ColumnElement[bool]]], Select[Any]],
    *,
    join: tuple[FromClause, ColumnElement[bool]] | None = None,
) -> Rows:
    """Rows of `build(from, where)` for the scope: for a nested scope, only its parent's.

    `build` gets the FROM clause and the WHERE conditions and returns a SELECT; for a nested
    scope its first column must be the parent key (see `parent_column`).
    """
    db = info.context.db
    relation = scope.relation
    if relation is None or scope.parent is None:

        async def load_root(_: list[int]) -> list[Rows]:
            return [list(await db.all(build(_base(scope, join), [scope.condition])))]

        # Once per request: aggregates that read the same rows (`event_census`) share them.
        key = ("aggregate", scope.listing.name, scope.key, name)
        return await info.context.loaders.get(key, load_root).load(0)

    async def load(parents: list[int]) -> list[Rows]:
        where = [db.any_of(relation.parent, parents), scope.condition]
        grouped: dict[int, Rows] = {parent: [] for parent in parents}
        for row in await db.all(build(_base(scope, join), where)):
            grouped[row[0]].append(row)
        return [grouped[parent] for parent in parents]

    loader = info.context.loaders.get(("aggregate", relation.name, scope.key, name), load)
    return await loader.load(scope.parent)


def parent_column(scope: Scope) -> list[ColumnElement[Any]]:
    """The leading parent-key column of a nested scope's aggregate (none for a root scope)."""
    if scope.relation is None or scope.parent is None:
        return []
    return [scope.relation.parent.label("parent_key")]


async def grouped_counts(
    info: Info,
    scope: Scope,
    name: str,
    columns: Sequence[ColumnElement[Any]],
    *,
    limit: int,
    by_value: bool = False,
    join: tuple[FromClause, ColumnElement[bool]] | None = None,
    extra: Sequence[ColumnElement[bool]] = (),
    join_repeats: bool = True,
) -> list[tuple[Any, ...]]:
    """(group values..., count) of the first `limit` groups of the scope's rows: largest count
    first, ties by the group values (see `ascending`); with `by_value`, by the group values.

    The database sorts and cuts (per parent for a nested scope, by `ROW_NUMBER()`), so only
    the groups returned leave it. With a `join`, a record is counted once per group however
    many joined rows it has — unless the caller knows (`join_repeats=False`) that the join
    and `extra` leave at most one row per record and group: then rows are counted, which
    spares sorting every row to drop repeats.
    """
    dialect = info.context.db.dialect
    parent = parent_column(scope)
    key = scope.listing.table.c.id
    distinct = join is not None and join_repeats
    counted = func.count(key.distinct()) if distinct else func.count()
    values = [ascending(dialect, column) for column in columns]
    order = values if by_value else [counted.desc(), *values]
    labelled = [column.label(f"g{i}") for i, column in enumerate(columns)]

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        group = [scope.relation.parent] if parent and scope.relation else []
        statement = select(*parent, *labelled, counted.label("n")).select_from(source)
        statement = statement.where(*where, *extra).group_by(*group, *columns)
        return first_rows(statement, group, order, row_limit(limit))

    rows = await per_scope(info, scope, f"{name}:{limit}", build, join=join)
    skip = len(parent)
    return [tuple(row[skip:]) for row in rows]


#: The columns an event census may group by besides umbrella and type, by name.
CENSUS_KEYS: Mapping[str, ColumnElement[Any]] = {
    "sub_type": EVENT.c.sub_type,
    "country_code": EVENT.c.country_code,
}


async def event_census(
    info: Info, scope: Scope, keys: Sequence[str]
) -> list[tuple[Mapping[str, Any], int]]:
    """({"umbrella", "type", *keys: value}, count) of the scope's events, for every
    combination there is (`keys` from `CENSUS_KEYS`).

    A few rows, from which `count`, `byType`, `bySubType`, `byCountry` and `umbrellaCount`
    are all read: one pass over the events where each took its own. Read once per request,
    scope and keys (`per_scope`), whichever of them asks first.
    """
    parent = parent_column(scope)
    names = ("umbrella", "type", *keys)
    # In the order of the index on (umbrella, type, sub_type): PostgreSQL then groups rows as
    # the index hands them over (14 ms at 100,000 events) instead of hashing them (25 ms).
    columns = [EVENT.c.umbrella, EVENT.c.type, *(CENSUS_KEYS[key] for key in keys)]

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        group = [scope.relation.parent] if parent and scope.relation else []
        return (
            select(*parent, *columns, func.count().label("n"))
            .select_from(source)
            .where(*where)
            .group_by(*group, *columns)
        )

    rows = await per_scope(info, scope, "census:" + ",".join(keys), build)
    skip = len(parent)
    return [
        (dict(zip(names, row[skip : skip + len(names)], strict=True)), int(row[-1])) for row in rows
    ]


def largest_first(counts: Mapping[tuple[Any, ...], int], limit: int) -> list[tuple[Any, ...]]:
    """(group values..., count) of the first `limit` groups: largest count first, ties by
    the values (empty first, text by code point) — the order `grouped_counts` has the
    database sort in."""
    ranked = sorted(
        counts.items(),
        key=lambda item: (-item[1], [(value is not None, value) for value in item[0]]),
    )
    return [(*values, n) for values, n in ranked[:limit]]


async def timeline_counts(
    info: Info,
    scope: Scope,
    interval: str,
    *,
    limit: int,
    extra: Sequence[ColumnElement[bool]] = (),
) -> list[tuple[Any, int, int]]:
    """(period start, records starting in it, of which wholly inside it) for the first `limit`
    periods of the scope's dated records, earliest first (the rule: `schema.periods`)."""
    dialect = info.context.db.dialect
    start, end, precision = TIMELINE_DATES[scope.listing.name]
    period = period_start(dialect, start, interval)
    inside = func.sum(case((is_within(dialect, start, end, precision, interval), 1), else_=0))
    parent = parent_column(scope)

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        group = [scope.relation.parent] if parent and scope.relation else []
        statement = (
            select(*parent, period.label("period"), func.count().label("n"), inside.label("w"))
            .select_from(source)
            .where(*where, start.is_not(None), *extra)
            .group_by(*group, period)
        )
        return first_rows(statement, group, [period], row_limit(limit))

    rows = await per_scope(info, scope, f"timeline:{interval}:{limit}", build)
    skip = len(parent)
    return [(row[skip], int(row[skip + 1]), int(row[skip + 2] or 0)) for row in rows]


async def figure_facts(info: Info, scope: Scope) -> Rows:
    """What totals need of each figure in the scope, in as-of date order."""
    parent = parent_column(scope)

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        return (
            select(*parent, *FACT_COLUMNS, FIGURE.c.claimant_id)
            .select_from(source)
            .where(*where)
            .order_by(FIGURE.c.as_of_start, FIGURE.c.id)
        )

    return await per_scope(info, scope, "figure_facts", build)


async def figure_ancestors(info: Info, scope: Scope) -> dict[int, tuple[int | None, str, str]]:
    """Every figure on the `part_of` chains above the scope's figures: id → (part_of, kind,
    unit). One recursive query, whatever the data, so the statement count stays fixed."""
    rows = await per_scope(info, scope, "figure_ancestors", _ancestors_query(scope))
    return {row.id: (row.part_of_id, row.kind, row.unit) for row in rows}


def _ancestors_query(
    scope: Scope,
) -> Callable[[FromClause, list[ColumnElement[bool]]], Select[Any]]:
    parent = parent_column(scope)

    def build(source: FromClause, where: list[ColumnElement[bool]]) -> Select[Any]:
        parents_of_selected = (
            select(*parent, FIGURE.c.part_of_id.label("start"))
            .select_from(source)
            .where(*where, FIGURE.c.part_of_id.is_not(None))
            .correlate(None)
            .cte("selected_parents")
        )
        lead = [parents_of_selected.c.parent_key] if parent else []
        up = FIGURE.alias("up_figure")
        seed = select(*lead, up.c.id, up.c.part_of_id, up.c.kind, up.c.unit).join(
            parents_of_selected, up.c.id == parents_of_selected.c.start
        )
        chain = seed.cte("figure_chain", recursive=True)
        above = FIGURE.alias("above_figure")
        chain = chain.union(
            select(
                *([chain.c.parent_key] if parent else []),
                above.c.id,
                above.c.part_of_id,
                above.c.kind,
                above.c.unit,
            ).join(chain, above.c.id == chain.c.part_of_id)
        )
        return select(chain)

    return build
