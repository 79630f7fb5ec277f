"""Checks that estimates of one quantity (`estimate_of`) can be counted as one.

Totals read the estimates of a quantity together (see `schema.figures`), grouped by the
quantity's first figure. That needs every estimate to name that first figure directly (no
chains, which a filter could cut), and to count the same thing in the same unit.
"""

from __future__ import annotations

from collections.abc import Iterator

from schema.records import FigureRecord
from seeds.issues import Issue
from seeds.seedset import DatasetSeed, Placed, SeedSet


def check_estimates(seeds: SeedSet) -> list[Issue]:
    """Every estimate that names another estimate, or a figure of another kind or unit."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        for placed in dataset.figures.values():
            issues.extend(_check(dataset, placed))
    return issues


def _check(dataset: DatasetSeed, placed: Placed[FigureRecord]) -> Iterator[Issue]:
    figure = placed.record
    target = dataset.figures.get(figure.estimate_of or "")
    if target is None:
        return  # no estimate, or a dangling slug (reported by the reference check)
    first = target.record
    if first.estimate_of is not None:
        yield placed.issue(
            ("estimate_of",),
            f"'{first.id}' is itself an estimate of '{first.estimate_of}': name the "
            f"quantity's first figure, '{first.estimate_of}'",
        )
    if (first.kind, first.unit) != (figure.kind, figure.unit):
        yield placed.issue(
            ("estimate_of",),
            f"'{first.id}' counts {first.kind.value} ({first.unit}), this figure "
            f"{figure.kind.value} ({figure.unit}): estimates of one quantity count the same "
            "thing in the same unit",
        )
    if figure.part_of == first.id:
        yield placed.issue(
            ("estimate_of",),
            f"a figure cannot be both part of '{first.id}' and an estimate of it",
        )
