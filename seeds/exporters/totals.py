"""Grouped figure totals as CSV, in the shape of UCDP's country-year tables.

`eventql export totals --group-by country,year` writes one row per group, kind and unit:
the key values, then low, best and high totals and the counts that explain them. The keys are
`schema.group_keys`' (the GraphQL API's `groups(by: ...)` uses the same ones), the adding up
is `schema.figures.add_up` (never counting a part of a counted figure in the same group), and
a period key places a figure by `schema.periods`' rule: a figure whose event is dated across
periods is in a row with an empty period and `spans_periods` true. Summing `best` over the rows
of one kind gives the API's totals for the same selection when the keys do not split a part
from its whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, select

from schema.core import ACTOR, EVENT, FIGURE
from schema.figures import FACT_COLUMNS, Total, add_up, facts
from schema.group_keys import GroupKey, grouping
from schema.periods import as_date
from seeds.exporters.guard import ExportGuard
from seeds.exporters.scope import Selection, dataset_rows, reading

#: The measure columns after the keys.
MEASURES = [
    "kind",
    "unit",
    "low",
    "best",
    "high",
    "figures",
    "skipped_parts",
    "merged_estimates",
    "open_ended",
    "bounds_only",
    "unknown",
    "unquantified",
]


def totals_chunks(
    engine: Engine,
    selection: Selection,
    guard: ExportGuard | None = None,
    *,
    group_by: list[str],
    bom: bool = False,
) -> Iterator[bytes]:
    """CSV of the figure totals of the selected events' figures per group of `group_by`
    (raises ValueError for keys that cannot group figures)."""
    with reading(engine, guard) as connection:
        if selection.datasets:
            dataset_rows(connection, selection.datasets)  # unknown names are refused
        made_by = grouping("figure", group_by, connection.dialect.name)
        columns = [*group_by, *(["spans_periods"] if made_by.spans is not None else [])]
        query = (
            select(*FACT_COLUMNS, *made_by.columns)
            .select_from(made_by.joined(FIGURE))
            .where(FIGURE.c.event_id.in_(select(EVENT.c.id).where(selection.event_condition())))
            .order_by(FIGURE.c.as_of_start, FIGURE.c.id)
        )
        rows = list(connection.execute(query))
        selected = [facts(row, tuple(row[len(FACT_COLUMNS) :])) for row in rows]
        totals = add_up(selected, _ancestors(connection, {f.part_of_id for f in selected}))
        names = _actor_names(connection, made_by.keys, totals)
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*columns, *MEASURES])
    for total in sorted(totals, key=lambda t: (_sort_key(t.group), t.kind, t.unit)):
        writer.writerow([*_key_cells(made_by.keys, total.group, names), *_measures(total)])
    yield buffer.getvalue().encode("utf-8")


def _ancestors(
    connection: Connection, parents: set[int | None]
) -> dict[int, tuple[int | None, str, str]]:
    """Every figure on the `part_of` chains above the given parents: id → (part_of, kind,
    unit), one query per level of the chains."""
    found: dict[int, tuple[int | None, str, str]] = {}
    pending = {parent for parent in parents if parent is not None}
    while pending:
        query = select(FIGURE.c.id, FIGURE.c.part_of_id, FIGURE.c.kind, FIGURE.c.unit).where(
            FIGURE.c.id.in_(sorted(pending))
        )
        rows = list(connection.execute(query))
        found.update({row.id: (row.part_of_id, row.kind, row.unit) for row in rows})
        pending = {row.part_of_id for row in rows if row.part_of_id is not None} - set(found)
    return found


def _actor_names(
    connection: Connection, keys: tuple[GroupKey, ...], totals: list[Total]
) -> Mapping[int, str]:
    """The slugs of the actors that actor keys name."""
    positions = [i for i, key in enumerate(keys) if key.kind == "actor"]
    ids = {total.group[i] for total in totals for i in positions}  # type: ignore[index]
    ids.discard(None)
    if not ids:
        return {}
    rows = connection.execute(select(ACTOR.c.id, ACTOR.c.slug).where(ACTOR.c.id.in_(ids)))
    return {row.id: row.slug for row in rows}


def _key_cells(keys: tuple[GroupKey, ...], values: Any, names: Mapping[int, str]) -> list[Any]:
    cells: list[Any] = []
    for key, value in zip(keys, values, strict=False):
        if value is None:
            cells.append("")
        elif key.kind == "actor":
            cells.append(names.get(value, ""))
        elif key.kind == "period":
            cells.append(_period_label(as_date(value), key.interval or "day"))
        else:
            cells.append(value)
    if len(values) > len(keys):  # spans_periods
        cells.append("true" if values[len(keys)] else "false")
    return cells


def _period_label(start: Any, interval: str) -> str:
    """A period as analysts write it: 2022, 2022-Q1, 2022-01, or the first day."""
    if interval == "year":
        return str(start.year)
    if interval == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if interval == "month":
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()  # type: ignore[no-any-return]


def _measures(total: Total) -> list[Any]:
    return [
        total.kind,
        total.unit,
        total.low,
        total.best,
        "" if total.high is None else total.high,
        len(total.counted),
        total.skipped_parts,
        total.merged_estimates,
        total.open_ended,
        total.bounds_only,
        total.unknown,
        total.unquantified,
    ]


def _sort_key(values: Any) -> tuple[Any, ...]:
    return tuple((value is not None, str(value) if value is not None else "") for value in values)
