"""Grouped figure totals in one SQL statement: the database twin of `schema.figures.add_up`.

`add_up` is the rule, in Python, for a few figures at a time (flat totals, the grouped CSV
export). Grouping hundreds of thousands of figures — deaths by country and year of a whole
UCDP GED — must not ship every figure to Python, so this module writes the same rule as SQL,
step by step, each step named after the part of `add_up` it mirrors:

1. `selected`: the matching figures with their readings (`low_expression`, `best_expression`,
   `high_expression`) and their group's key values;
2. `chain`: every `part_of` ancestor of every selected figure, at any depth (recursive);
3. `inside`: the figures with a selected ancestor of the same kind, unit and group that has
   a number (`_inside_counted`);
4. `ranked`: estimates of one quantity (`estimate_of`) side by side, per total: the latest
   revision leads a quantity that has revisions, else its first figure (or the earliest
   estimate); its reading is the lowest low and the highest high (`_one_quantity`);
5. the totals: per group, kind and unit, the quantities' readings added up, except those
   whose lead is inside a counted figure; counts of figures that add nothing.

Tests compare this with `add_up` through the public interfaces on generated data
(`tests/test_api_group_totals.py`), so the twins cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Select, and_, case, cast, false, func, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from schema.core import FIGURE
from schema.enums import EstimateRelation, FigureStatus
from schema.figure_best import best_expression
from schema.figures import high_expression, low_expression
from schema.group_keys import Grouping
from schema.sorting import ascending, first_rows
from schema.sorting import descending as descending_order

#: The measures of a group, in the order of the statement's columns after the keys.
MEASURES = (
    "kind",
    "unit",
    "low",
    "best",
    "high",
    "figure_count",
    "skipped_parts",
    "merged_estimates",
    "open_ended",
    "bounds_only",
    "unknown",
    "unquantified",
    "smallest",
    "largest",
)
#: What groups may be sorted by (and what `keys` sorts on).
ORDERS = ("best", "low", "high", "figure_count", "keys")


def grouped_totals(
    grouping: Grouping,
    source: FromClause,
    where: Sequence[ColumnElement[bool]],
    dialect: str,
    *,
    parent: Sequence[ColumnElement[Any]] = (),
    order: str = "best",
    descending: bool = True,
    limit: ColumnElement[Any] | int | None,
) -> Select[Any]:
    """The statement: one row per group, kind and unit — the parent key (for a nested
    scope, labelled `parent_key`), the key values `k0`…, then `MEASURES` — sorted by `order`
    (ties by keys, nulls first, kind and unit) and cut to `limit` rows (per parent); every
    group, unsorted, with `limit` None."""
    keys = grouping.columns
    key_names = [f"k{i}" for i in range(len(keys))]
    parent_names = ["parent_key"] if parent else []

    selected = (
        select(
            *parent,
            FIGURE.c.id,
            FIGURE.c.part_of_id,
            FIGURE.c.kind,
            FIGURE.c.unit,
            FIGURE.c.status,
            FIGURE.c.value,
            FIGURE.c.estimate_of_id,
            FIGURE.c.estimate_relation,
            FIGURE.c.as_of_start,
            low_expression(FIGURE).label("low"),
            best_expression(FIGURE).label("best"),
            high_expression(FIGURE).label("high"),
            *(key.label(name) for key, name in zip(keys, key_names, strict=True)),
        )
        .select_from(grouping.joined(source))
        .where(*where)
        .cte("selected")
    )
    s = selected.c

    # 2-3. Inside a counted figure: a selected ancestor of the same total (kind, unit,
    #    group) that has a number. Most chains are one step (a part and its whole): those are
    #    one join on the whole's key; only chains from a part's whole upwards are walked
    #    (recursively), from the parts whose whole is itself part of another figure.
    part, whole = selected.alias("part"), selected.alias("whole")

    def same_total(other: Any) -> list[ColumnElement[bool]]:
        return [
            whole.c.best.is_not(None),
            whole.c.kind == other.c.kind,
            whole.c.unit == other.c.unit,
            *(whole.c[name].is_not_distinct_from(other.c[name]) for name in key_names),
            *(whole.c[name] == other.c[name] for name in parent_names),
        ]

    direct = select(part.c.id).join(whole, whole.c.id == part.c.part_of_id).where(*same_total(part))
    up = FIGURE.alias("chain_up")
    totals_of = ["kind", "unit", *parent_names, *key_names]
    chain = (
        select(
            part.c.id.label("id"),
            up.c.part_of_id.label("ancestor"),
            *(part.c[n] for n in totals_of),
        )
        .join(up, up.c.id == part.c.part_of_id)
        .where(up.c.part_of_id.is_not(None))
        .cte("chain", recursive=True)
    )
    above = FIGURE.alias("chain_above")
    chain = chain.union_all(
        select(chain.c.id, above.c.part_of_id, *(chain.c[n] for n in totals_of))
        .join(above, above.c.id == chain.c.ancestor)
        .where(above.c.part_of_id.is_not(None))
    )
    # The walked rows carry the part's total, so each is one join on the ancestor's key.
    deeper = (
        select(chain.c.id).join(whole, whole.c.id == chain.c.ancestor).where(*same_total(chain))
    )
    inside = direct.union(deeper).cte("inside")

    # 4. Quantities: per total, the figures with a number that estimate one quantity. Only
    #    figures in an estimate relation need the window functions; every other figure is a
    #    quantity of its own, which it leads.
    has_number = s.best.is_not(None)
    # Flags from LEFT JOINs on keys, not `IN (subquery)` in the select list: PostgreSQL runs
    # such a subquery once per row unless its result fits in memory, which is quadratic.
    firsts = (
        select(s.estimate_of_id.label("first"))
        .where(s.estimate_of_id.is_not(None))
        .distinct()
        .cte("firsts")
    )
    flagged = selected.outerjoin(firsts, firsts.c.first == s.id).outerjoin(
        inside, inside.c.id == s.id
    )
    involved = or_(s.estimate_of_id.is_not(None), firsts.c.first.is_not(None))
    inside_flag = inside.c.id.is_not(None)
    row_keys = [*(s[n] for n in parent_names), *(s[n] for n in key_names), s.kind, s.unit]
    plain = (
        select(
            *row_keys,
            s.status,
            s.value,
            has_number.label("numbered"),
            has_number.label("lead"),
            s.low,
            s.best,
            s.high,
            literal(1).label("counted"),
            literal(0).label("merged"),
            inside_flag.label("inside"),
        )
        .select_from(flagged)
        .where(~involved)
    )
    quantity = func.coalesce(s.estimate_of_id, s.id)
    is_revision = cast(
        case((s.estimate_relation == EstimateRelation.REVISION.value, 1), else_=0), Integer
    )
    window: list[ColumnElement[Any]] = [*row_keys, has_number, quantity]
    members = func.count().over(partition_by=window)
    revised = func.max(is_revision).over(partition_by=window)
    latest = func.row_number().over(
        partition_by=window,
        order_by=[is_revision.desc(), s.as_of_start.desc().nulls_last(), s.id.desc()],
    )
    first = func.row_number().over(
        partition_by=window,
        order_by=[
            case((s.id == quantity, 0), else_=1),
            s.as_of_start.asc().nulls_first(),
            s.id.asc(),
        ],
    )
    highs = func.count(s.high).over(partition_by=window)
    ranked = (
        select(
            *row_keys,
            s.status,
            s.value,
            s.low,
            s.best,
            s.high,
            has_number.label("numbered"),
            members.label("members"),
            revised.label("revised"),
            latest.label("latest"),
            first.label("first"),
            func.min(s.low).over(partition_by=window).label("q_low"),
            case((highs == members, func.max(s.high).over(partition_by=window))).label("q_high"),
            inside_flag.label("inside"),
        )
        .select_from(flagged)
        .where(involved)
        .subquery("ranked")
    )
    r = ranked.c
    # The lead of each quantity carries its reading: a revision's own, else the lowest low
    # and highest high of the quantity's estimates, with the lead's best.
    lead = and_(
        r.numbered == true(),
        case((r.revised == 1, r.latest == 1), else_=r.first == 1),
    )
    alone = (r.revised == 1) | (r.members == 1)
    estimated = select(
        *(r[n] for n in [*parent_names, *key_names, "kind", "unit", "status", "value"]),
        r.numbered,
        lead.label("lead"),
        case((alone, r.low), else_=r.q_low).label("low"),
        r.best,
        case((alone, r.high), else_=r.q_high).label("high"),
        case((r.revised == 1, 1), else_=r.members).label("counted"),
        (r.members - 1).label("merged"),
        r.inside,
    )
    contributions = plain.union_all(estimated).subquery("contributions")
    c = contributions.c

    # 5. Totals: the leads' readings added up, except the leads inside a counted figure.
    added = and_(c.lead == true(), c.inside == false())
    open_ended = _count(and_(added, c.high.is_(None)))
    measures = [
        c.kind,
        c.unit,
        func.coalesce(func.sum(case((added, c.low))), 0).label("low"),
        func.coalesce(func.sum(case((added, c.best))), 0).label("best"),
        case((open_ended > 0, None), else_=func.coalesce(func.sum(case((added, c.high))), 0)).label(
            "high"
        ),
        func.coalesce(func.sum(case((added, c.counted), else_=0)), 0).label("figure_count"),
        func.coalesce(
            func.sum(case((and_(c.lead == true(), c.inside == true()), c.counted), else_=0)), 0
        ).label("skipped_parts"),
        func.coalesce(func.sum(case((c.lead == true(), c.merged), else_=0)), 0).label(
            "merged_estimates"
        ),
        open_ended.label("open_ended"),
        _count(
            and_(c.numbered == true(), c.value.is_(None), c.status == FigureStatus.VALUE.value)
        ).label("bounds_only"),
        _count(and_(c.numbered == false(), c.status == FigureStatus.UNKNOWN.value)).label(
            "unknown"
        ),
        _count(and_(c.numbered == false(), c.status != FigureStatus.UNKNOWN.value)).label(
            "unquantified"
        ),
        # The extreme claims, parts and further estimates included (`Total.smallest`).
        func.min(case((c.numbered == true(), c.best))).label("smallest"),
        func.max(case((c.numbered == true(), c.best))).label("largest"),
    ]
    group = [*(c[n] for n in [*parent_names, *key_names]), c.kind, c.unit]
    totals = select(*(c[n].label(n) for n in [*parent_names, *key_names]), *measures).group_by(
        *group
    )
    if limit is None:
        return totals
    return sorted_totals(dialect, totals, parent_names, key_names, order, descending, limit)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def sorted_totals(
    dialect: str,
    totals: Select[Any],
    parent_names: list[str],
    key_names: list[str],
    order: str,
    descending: bool,
    limit: ColumnElement[Any] | int,
) -> Select[Any]:
    """`totals` sorted by `order` (ties by keys, nulls first, kind and unit) and cut."""
    inner = totals.subquery("totals")
    c = inner.c
    ties = [ascending(dialect, c[n]) for n in [*key_names, "kind", "unit"]]
    if order == "keys":
        sort = descending_order if descending else ascending
        by = [sort(dialect, c[n]) for n in [*key_names, "kind", "unit"]]
    else:
        if order == "high":  # an open-ended total has no upper bound: the largest
            unbounded = case((c.high.is_(None), 1), else_=0)
            by = [unbounded.desc() if descending else unbounded.asc()]
            by.append(c.high.desc() if descending else c.high.asc())
        else:
            by = [c[order].desc() if descending else c[order].asc()]
        by += ties
    partition = [c.parent_key] if parent_names else []
    return first_rows(select(inner), partition, by, limit)
