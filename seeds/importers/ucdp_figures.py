"""A UCDP GED row's deaths as figures: the low/best/high total and the parts of its best
estimate (`deaths_a`, `deaths_b`, `deaths_civilians`, `deaths_unknown`), claimed by UCDP.
"""

from __future__ import annotations

from typing import Any

from schema.enums import FigureKind, FigureQualifier, FigureStatus
from schema.records import FigureRecord
from seeds.casualty_parts import DEATHS_PARTS
from seeds.importers.collect import Collector
from seeds.importers.reading import Cells

#: The actor that claims every figure: UCDP's estimates are its own, over all its sources.
UCDP = "ucdp"


def add_figures(
    cells: Cells,
    numbers: dict[str, int | None],
    event: str,
    sides: list[str | None],
    collector: Collector,
    dataset_source: str,
) -> None:
    """Add the row's total deaths and its parts (see `seeds.importers.ucdp`)."""
    line = cells.line
    row = f"id {cells.raw('id')}"
    low, best, high = numbers["low"], numbers["best"], numbers["high"]
    total = f"{event}-killed"
    values: dict[str, Any] = {"value": best, "lower": low, "upper": high}
    note = None
    if low is not None and high is not None and best is not None and not low <= best <= high:
        note = f"UCDP's estimates are not ordered: low {low}, best {best}, high {high}."
        if low > high:
            dropped = "lower" if low == best else "upper" if high == best else None
            for bound in [dropped] if dropped else ["lower", "upper"]:
                values[bound] = None
            note += (
                " The model needs lower <= upper, so the bound equal to best is left out."
                if dropped
                else " Both bounds are left out."
            )
    if low is None and best is None and high is None:
        status = FigureStatus.UNKNOWN
    elif low == best == high == 0:
        status = FigureStatus.NONE
    else:
        status = FigureStatus.VALUE
    qualifier = FigureQualifier.EXACT if low == best == high else FigureQualifier.BETWEEN
    common = {"claimant": UCDP, "source": dataset_source, "event": event, "kind": FigureKind.KILLED}
    collector.figure(
        collector.make(
            FigureRecord,
            line,
            id=total,
            status=status,
            qualifier=qualifier,
            note=note,
            locator=f"{row}, columns low, best, high",
            **values,
            **common,
        ),
        line,
    )
    for part in DEATHS_PARTS:
        column = part.column
        count = numbers[column]
        if column not in cells.row.cells:
            continue  # a layout without the breakdown
        status = (
            FigureStatus.UNKNOWN
            if count is None
            else FigureStatus.NONE
            if count == 0
            else FigureStatus.VALUE
        )
        collector.figure(
            collector.make(
                FigureRecord,
                line,
                id=f"{total}-{part.suffix}",
                status=status,
                value=count,
                part_of=total,
                counted_actor=None if part.side is None else sides[part.side],
                counted_group=part.group,
                note="Part of UCDP's best estimate.",
                locator=f"{row}, column {column}",
                **common,
            ),
            line,
        )
