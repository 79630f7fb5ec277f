"""What `eventql seed` and `eventql import` show: a progress bar, the problems, the summary.

Both commands load through the one seed loader, so they report alike: a bar per stage with
a count (rows written of the total), every problem on its own line, and a table per dataset
with its counts and whether it was new, replaced or unchanged. The dataset column is never
cut short: its text is exactly the name `--dataset` and the API take.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from seeds.issues import LoadError
from seeds.loader import LoadReport
from seeds.loader import Progress as ProgressCallback

__all__ = ["load_problems", "progress_bar", "report_table"]

#: What each stage of the loader is called on its bar.
STAGES = {"read": "Reading files", "write": "Writing rows"}


@contextmanager
def progress_bar(console: Console, *, show: bool) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a bar per stage with its count; None unless `show`."""
    if not show:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def load_problems(error: LoadError, where: str) -> list[str]:
    """The lines that report a failed load: a count, then every problem."""
    count = len(error.issues)
    heading = f"{count} problem{'s' if count != 1 else ''} in {where}; nothing was written:"
    return [heading, *(str(issue) for issue in error.issues)]


def report_table(
    report: LoadReport, title: str, kinds: Sequence[str], caption: str | None = None
) -> Table:
    """Counts per dataset and kind, rows, and (unless a dry run) what changed."""
    if report.dry_run:
        title = "Dry run: validated, nothing written"
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    longest = max((len(d.name) for d in report.datasets), default=7)
    # Never cut: when the terminal is narrow the name folds onto a second line instead.
    table.add_column("dataset", no_wrap=True, min_width=longest, overflow="fold")
    for kind in kinds:
        table.add_column(f"{kind}s", justify="right", min_width=len(kind) + 1)
    table.add_column("rows", justify="right")
    if not report.dry_run:
        table.add_column("change")
    for dataset in report.datasets:
        counts = [f"{dataset.records.get(kind, 0):,}" for kind in kinds]
        change = [] if report.dry_run else [dataset.change or ""]
        table.add_row(dataset.name, *counts, f"{sum(dataset.rows.values()):,}", *change)
    if caption is None:
        written = "" if report.dry_run else f" ({report.rows_written:,} written)"
        caption = (
            f"{len(report.files)} file(s), {report.row_count:,} rows{written} "
            f"in {report.seconds:.2f} s"
        )
    table.caption = caption
    return table
