"""How a figure's words become numbers, and how figures add up without double counting.

A figure is a claim ("more than 5,100 arrested"), not a number. To add claims up we read each
one as three numbers — `low`, `best`, `high` — by one documented rule, and we add only figures
that are not already inside another counted figure. The GraphQL layer publishes these rules as
field descriptions; exports can reuse them.

Reading one figure (status `value`):

- `best` is the stated value; without one, the lower bound; without one, the upper bound.
- `low` is the lower bound as printed; without one, the value — except for `up_to` and
  `less_than`, whose low is 0 (they rule out nothing below). Bounds are taken as printed even
  for exclusive qualifiers: "more than 5,100" gives low 5,100, not 5,101, because the source's
  number is itself rounded and adding one would be false precision.
- `high` is the upper bound as printed; without one, the value — except for `more_than`,
  `at_least`, and figures with only a lower bound, which are open-ended (no high).
- `about` numbers count as stated (low = best = high = value) unless the record gives bounds.
- A figure with status `none` (the source says there were none) is a real zero: 0, 0, 0.
- A figure with status `unknown`, or a vague one without any number ("dozens"), contributes
  nothing; totals report how many there were, never a 0 in their place.

Adding figures up (totals per kind and unit): a figure is counted unless one of its ancestors
(`part_of`, followed all the way up) of the same kind and unit is itself counted in the same
total. So "about 300 arrested at the borders", part of "more than 5,100 arrested", is skipped
when both are selected, and counted when the filter leaves the larger figure out.

Estimates of one quantity (`estimate_of` names the quantity's first figure) are one quantity,
counted once:

- when revisions are selected, the latest of them (by as-of date) alone is counted: a revised
  toll replaces the earlier ones;
- otherwise the selected estimates (alternatives, rival claims, and the first figure) are read
  together: low is the lowest low, high the highest high (open-ended if any of them is), and
  best the first figure's best (or, when it is not selected, the earliest estimate's). Rival
  claims thus widen the range rather than add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, case, func
from sqlalchemy.sql.elements import ColumnElement

from schema.core import FIGURE
from schema.enums import EstimateRelation, FigureQualifier, FigureStatus
from schema.figure_best import best_expression

_OPEN_ABOVE = frozenset({FigureQualifier.MORE_THAN.value, FigureQualifier.AT_LEAST.value})
_REVISION = EstimateRelation.REVISION.value
_OPEN_BELOW = frozenset({FigureQualifier.UP_TO.value, FigureQualifier.LESS_THAN.value})


@dataclass(frozen=True)
class Reading:
    """A figure read as numbers: `high` is None when the claim has no upper bound."""

    low: int
    best: int
    high: int | None


def read_figure(
    *, status: str, qualifier: str, value: int | None, lower: int | None, upper: int | None
) -> Reading | None:
    """The low/best/high reading of one figure, or None when it has no number to add."""
    if status == FigureStatus.NONE.value:
        return Reading(0, 0, 0)
    if status != FigureStatus.VALUE.value:
        return None
    best = value if value is not None else lower if lower is not None else upper
    if best is None:
        return None
    if lower is not None:
        low = lower
    elif qualifier in _OPEN_BELOW:
        low = 0
    else:
        low = value if value is not None else 0
    high: int | None
    if upper is not None:
        high = upper
    elif qualifier in _OPEN_ABOVE or value is None:
        high = None
    else:
        high = value
    return Reading(low, best, high)


def low_expression(figure: Table) -> ColumnElement[int]:
    """SQL for a figure's `low` number (NULL when it has none), matching `read_figure`."""
    has_number = best_expression(figure).is_not(None)
    return case(
        (figure.c.status == FigureStatus.NONE.value, 0),
        (~has_number, None),
        (figure.c.lower.is_not(None), figure.c.lower),
        (figure.c.qualifier.in_(sorted(_OPEN_BELOW)), 0),
        else_=func.coalesce(figure.c.value, 0),
    )


def high_expression(figure: Table) -> ColumnElement[int]:
    """SQL for a figure's `high` number, matching `read_figure`: NULL when it has no number,
    and when it is open-ended (tell the two apart by `best_expression`)."""
    has_number = best_expression(figure).is_not(None)
    return case(
        (figure.c.status == FigureStatus.NONE.value, 0),
        (~has_number, None),
        (figure.c.upper.is_not(None), figure.c.upper),
        (figure.c.qualifier.in_(sorted(_OPEN_ABOVE)), None),
        else_=figure.c.value,
    )


@dataclass(frozen=True)
class FigureFacts:
    """What totals need of one figure."""

    id: int
    part_of_id: int | None
    kind: str
    unit: str
    status: str
    qualifier: str
    value: int | None
    lower: int | None
    upper: int | None
    group: object = None  # an extra grouping key (e.g. the claimant), or None
    estimate_of_id: int | None = None
    estimate_relation: str | None = None


#: The columns `facts` reads a figure's facts from, in its order.
FACT_COLUMNS = (
    FIGURE.c.id,
    FIGURE.c.part_of_id,
    FIGURE.c.kind,
    FIGURE.c.unit,
    FIGURE.c.status,
    FIGURE.c.qualifier,
    FIGURE.c.value,
    FIGURE.c.lower,
    FIGURE.c.upper,
    FIGURE.c.estimate_of_id,
    FIGURE.c.estimate_relation,
)


def facts(row: Any, group: object = None) -> FigureFacts:
    """A figure's facts from the values of `FACT_COLUMNS` (a row beginning with them)."""
    ident, part_of, kind, unit, status, qualifier, value, lower, upper, estimate, relation = row[
        : len(FACT_COLUMNS)
    ]
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
        group=group,
        estimate_of_id=estimate,
        estimate_relation=relation,
    )


@dataclass
class Total:
    """The sum of the counted figures of one kind and unit (and group).

    `smallest` and `largest` are the extreme `best` numbers among all selected figures with a
    number, parts included (a part's claim is still a claim).
    """

    kind: str
    unit: str
    group: object
    low: int = 0
    best: int = 0
    high: int | None = 0
    counted: list[int] = field(default_factory=list)
    open_ended: int = 0
    unknown: int = 0
    unquantified: int = 0
    #: Selected figures with a number but no stated value: bounds only ("more than 5,100").
    bounds_only: int = 0
    skipped_parts: int = 0
    #: Estimates read together with another of the same quantity, or replaced by a revision.
    merged_estimates: int = 0
    smallest: int | None = None
    largest: int | None = None


def add_up(
    selected: Iterable[FigureFacts], ancestors: Mapping[int, tuple[int | None, str, str]]
) -> list[Total]:
    """Totals per (kind, unit, group) of the selected figures, by the rules above.

    `ancestors` maps figure IDs that are not selected, but are on a selected figure's `part_of`
    chain, to (part_of_id, kind, unit): the chain is followed through them.
    """
    facts = list(selected)
    chosen = {f.id: f for f in facts}
    totals: dict[tuple[str, str, object], Total] = {}
    # One quantity per (total, first figure): its selected estimates with their readings.
    quantities: dict[tuple[tuple[str, str, object], int], list[tuple[FigureFacts, Reading]]] = {}
    for f in facts:
        key = (f.kind, f.unit, f.group)
        total = totals.setdefault(key, Total(f.kind, f.unit, f.group))
        reading = read_figure(
            status=f.status, qualifier=f.qualifier, value=f.value, lower=f.lower, upper=f.upper
        )
        if reading is None:
            if f.status == FigureStatus.UNKNOWN.value:
                total.unknown += 1
            else:
                total.unquantified += 1
            continue
        if f.value is None and f.status == FigureStatus.VALUE.value:
            total.bounds_only += 1
        if total.smallest is None or reading.best < total.smallest:
            total.smallest = reading.best
        if total.largest is None or reading.best > total.largest:
            total.largest = reading.best
        quantities.setdefault((key, f.estimate_of_id or f.id), []).append((f, reading))
    for (key, first), estimates in quantities.items():
        total = totals[key]
        lead, reading, counted = _one_quantity(first, estimates)
        total.merged_estimates += len(estimates) - 1
        if _inside_counted(lead, chosen, ancestors):
            total.skipped_parts += len(counted)
            continue
        total.counted.extend(f.id for f in counted)
        total.low += reading.low
        total.best += reading.best
        if reading.high is None:
            total.open_ended += 1
        elif total.high is not None:
            total.high += reading.high
    for total in totals.values():
        if total.open_ended:
            total.high = None
    return sorted(totals.values(), key=lambda t: total_order(t.kind, t.unit, t.best, t.group))


def total_order(kind: str, unit: str, best: int, group: object) -> tuple[str, str, int, str]:
    """Where a total goes in a list of totals: per kind and unit, the largest claim first
    (with groups, "who claims most"), ties by group."""
    return (kind, unit, -best, str(group))


def _one_quantity(
    first: int, estimates: list[tuple[FigureFacts, Reading]]
) -> tuple[FigureFacts, Reading, list[FigureFacts]]:
    """The figure that leads a quantity, its combined reading, and the figures counted in it.

    `estimates` are in as-of date order, as selected.
    """
    revisions = [e for e in estimates if e[0].estimate_relation == _REVISION]
    if revisions:
        latest, reading = revisions[-1]
        return latest, reading, [latest]
    lead, lead_reading = next((e for e in estimates if e[0].id == first), estimates[0])
    if len(estimates) == 1:
        return lead, lead_reading, [lead]
    highs = [r.high for _, r in estimates]
    high = None if None in highs else max(h for h in highs if h is not None)
    low = min(r.low for _, r in estimates)
    return lead, Reading(low, lead_reading.best, high), [f for f, _ in estimates]


def _inside_counted(
    figure: FigureFacts,
    chosen: Mapping[int, FigureFacts],
    ancestors: Mapping[int, tuple[int | None, str, str]],
) -> bool:
    """Whether an ancestor of the same kind, unit and group is counted in the same total."""
    seen: set[int] = set()
    parent = figure.part_of_id
    while parent is not None and parent not in seen:
        seen.add(parent)
        above = chosen.get(parent)
        if above is not None:
            if (above.kind, above.unit, above.group) == (figure.kind, figure.unit, figure.group):
                reading = read_figure(
                    status=above.status,
                    qualifier=above.qualifier,
                    value=above.value,
                    lower=above.lower,
                    upper=above.upper,
                )
                if reading is not None:
                    return True
            parent = above.part_of_id
        elif parent in ancestors:
            parent = ancestors[parent][0]
        else:
            return False
    return False
