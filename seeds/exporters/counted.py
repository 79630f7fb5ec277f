"""What each row of a flat export adds to the API's totals, so that a column sums correctly.

A row is an event; its figures may be inside figures of another row (the ~300 border arrests,
`part_of` the 5,100 arrested in the riots) or further estimates of a quantity another row
holds (`estimate_of`). Added up row by row, those count twice. Here the export's figures are
added up once, over the whole export, by the API's own rule (`schema.figures.add_up`): the
figures the API's totals count over `figures(filter: {event: <the export's filter>})` are
found, and each counted quantity is given to one row — the row of the figure that leads it
(its first estimate when that is exported, else its earliest exported estimate). A row's
counted numbers are then `add_up` over the figures given to it, and the column sums over the
rows are the API's totals.

The export streams a batch of events at a time; for a batch, the figures its own figures
depend on are read as well (the `part_of` chains above them and the other estimates of their
quantities, with whether their event is exported), so each batch's answer is the one the
whole export gives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, or_, select
from sqlalchemy.sql.elements import ColumnElement

from schema.core import EVENT, FIGURE
from schema.figures import FACT_COLUMNS, FigureFacts, Total, add_up, facts
from seeds.exporters.scope import Selection


@dataclass(frozen=True)
class ExportedFigure:
    """A figure as the flat export reads it: the totals' facts and where it stands."""

    facts: FigureFacts
    slug: str
    event_id: int | None
    event_slug: str | None
    as_of: dt.date | None
    counted_actor_id: int | None
    counted_group: str | None
    #: Whether its event is one the export writes (its figures are then in the API's total).
    exported: bool


@dataclass(frozen=True)
class RowCounts:
    """One row's share of the totals: its counted totals per kind (one per unit), and for its
    figures counted on other rows, those rows' event slugs per kind."""

    totals: list[Total]
    counted_in: dict[str, set[str]]


#: The figure columns read: a figure's facts (`schema.figures.FACT_COLUMNS`), then what the
#: export needs besides.
READ_COLUMNS = (
    *FACT_COLUMNS,
    FIGURE.c.slug,
    FIGURE.c.event_id,
    FIGURE.c.as_of_start,
    FIGURE.c.counted_actor_id,
    FIGURE.c.counted_group,
)


def exported_figure(row: Any, event_slug: str | None, exported: bool) -> ExportedFigure:
    """An `ExportedFigure` from a row of `READ_COLUMNS`."""
    return ExportedFigure(
        facts=facts(row),
        slug=row.slug,
        event_id=row.event_id,
        event_slug=event_slug,
        as_of=_as_date(row.as_of_start),
        counted_actor_id=row.counted_actor_id,
        counted_group=row.counted_group,
        exported=exported,
    )


def row_counts(
    connection: Connection,
    selection: Selection,
    batch: Mapping[int, Sequence[ExportedFigure]],
) -> dict[int, RowCounts]:
    """Each event's share of the totals, for a batch of events and their figures."""
    known = {f.facts.id: f for figures in batch.values() for f in figures}
    _read_related(connection, selection, list(batch), known)
    # In the API's order: as-of date (undated first on SQLite, last on PostgreSQL, as each
    # database sorts NULL), then key; the latest revision counts.
    undated_first = connection.dialect.name == "sqlite"
    ordered = sorted(known.values(), key=lambda f: _as_of_order(f, undated_first))
    chosen = [f.facts for f in ordered if f.exported]
    ancestors = {
        f.facts.id: (f.facts.part_of_id, f.facts.kind, f.facts.unit)
        for f in ordered
        if not f.exported
    }
    counted = {i for total in add_up(chosen, ancestors) for i in total.counted}
    homes = _homes(ordered, counted)
    given: dict[int | None, list[FigureFacts]] = defaultdict(list)
    for figure in ordered:
        if figure.facts.id in counted:
            given[homes[_root(figure)].event_id].append(figure.facts)
    result = {}
    for event_id, figures in batch.items():
        counted_in: dict[str, set[str]] = defaultdict(set)
        for figure in figures:
            where = _counted_on(figure, known, homes)
            if where is not None and where.event_id != event_id and where.event_slug:
                counted_in[figure.facts.kind].add(where.event_slug)
        mine = given.get(event_id)
        result[event_id] = RowCounts(add_up(mine, {}) if mine else [], counted_in)
    return result


def _root(figure: ExportedFigure) -> int:
    """The quantity a figure estimates: its first estimate's key."""
    return figure.facts.estimate_of_id or figure.facts.id


def _as_of_order(figure: ExportedFigure, undated_first: bool) -> tuple[bool, dt.date, int]:
    undated = figure.as_of is None
    return (undated != undated_first, figure.as_of or dt.date.min, figure.facts.id)


def _homes(
    ordered: Sequence[ExportedFigure], counted: Collection[int]
) -> dict[int, ExportedFigure]:
    """For each counted quantity (by its root), the figure whose row it is given to: its first
    estimate when that is counted, else its earliest counted estimate."""
    members: dict[int, list[ExportedFigure]] = defaultdict(list)
    for figure in ordered:
        if figure.facts.id in counted:
            members[_root(figure)].append(figure)
    return {
        root: next((f for f in figures if f.facts.id == root), figures[0])
        for root, figures in members.items()
    }


def _counted_on(
    figure: ExportedFigure, known: Mapping[int, ExportedFigure], homes: Mapping[int, ExportedFigure]
) -> ExportedFigure | None:
    """The figure whose row counts `figure`: the lead of its quantity when that is counted,
    else that of the nearest figure of the same kind and unit above it (`part_of`) whose
    quantity is counted."""
    seen: set[int] = set()
    same = (figure.facts.kind, figure.facts.unit)
    current: ExportedFigure | None = figure
    while current is not None and current.facts.id not in seen:
        seen.add(current.facts.id)
        home = homes.get(_root(current))
        if home is not None and (current.facts.kind, current.facts.unit) == same:
            return home
        parent = current.facts.part_of_id
        current = None if parent is None else known.get(parent)
    return None


def _read_related(
    connection: Connection,
    selection: Selection,
    event_ids: list[int],
    known: dict[int, ExportedFigure],
) -> None:
    """Add to `known` the other estimates of its figures' quantities and every figure on their
    `part_of` chains, each with whether its event is exported."""
    batch = FIGURE.alias("batch")
    ids = select(batch.c.id).where(batch.c.event_id.in_(event_ids))
    firsts = select(batch.c.estimate_of_id).where(batch.c.event_id.in_(event_ids))
    _read(
        connection,
        selection,
        known,
        or_(
            FIGURE.c.estimate_of_id.in_(ids),
            FIGURE.c.estimate_of_id.in_(firsts),
            FIGURE.c.id.in_(firsts),
        ),
    )
    while True:
        missing = sorted(
            {
                f.facts.part_of_id
                for f in known.values()
                if f.facts.part_of_id is not None and f.facts.part_of_id not in known
            }
        )
        if not missing:
            return
        added = False
        for start in range(0, len(missing), _IDS_PER_STATEMENT):
            chunk = missing[start : start + _IDS_PER_STATEMENT]
            added |= _read(connection, selection, known, FIGURE.c.id.in_(chunk))
        if not added:
            return  # nothing more to follow


#: Keys bound in one statement (well within both databases' limits on parameters).
_IDS_PER_STATEMENT = 5000


def _read(
    connection: Connection,
    selection: Selection,
    known: dict[int, ExportedFigure],
    condition: ColumnElement[bool],
) -> bool:
    exported = case((EVENT.c.id.is_not(None) & selection.event_condition(), True), else_=False)
    query = (
        select(*READ_COLUMNS, EVENT.c.slug.label("event_slug"), exported.label("exported"))
        .select_from(FIGURE.outerjoin(EVENT, EVENT.c.id == FIGURE.c.event_id))
        .where(condition)
    )
    added = False
    for row in connection.execute(query):
        if row.id not in known:
            known[row.id] = exported_figure(row, row.event_slug, bool(row.exported))
            added = True
    return added


def _as_date(value: object) -> dt.date | None:
    # SQLite hands dates back as ISO text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def kinds_of(totals: Iterable[Total]) -> dict[str, Total]:
    """The totals by kind, leaving out kinds counted in several units (they do not add up
    into one cell)."""
    by_kind: dict[str, list[Total]] = defaultdict(list)
    for total in totals:
        if total.counted:
            by_kind[total.kind].append(total)
    return {kind: found[0] for kind, found in by_kind.items() if len(found) == 1}
