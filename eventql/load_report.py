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

__all__ = ["load_problems", "print_report", "progress_bar", "report_table"]

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


def print_report(
    console: Console,
    report: LoadReport,
    title: str,
    kinds: Sequence[str],
    caption: str | None = None,
) -> None:
    """Print the summary table whole, however narrow the terminal, and its caption below."""
    table = report_table(report, title, kinds)
    # Not cropped: on a narrow terminal the lines wrap rather than lose their last columns
    # (the change) or the end of a dataset name.
    console.print(table, crop=False)
    if caption is None:
        written = "" if report.dry_run else f" ({report.rows_written:,} written)"
        caption = (
            f"{len(report.files)} file(s), {report.row_count:,} rows{written} "
            f"in {report.seconds:.2f} s"
        )
    console.print(caption, markup=False, highlight=False, soft_wrap=True, style="dim")


def report_table(report: LoadReport, title: str, kinds: Sequence[str]) -> Table:
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
    headers = ["dataset", *(f"{kind}s" for kind in kinds), "rows"]
    headers += [] if report.dry_run else ["change"]
    rows = [
        [
            dataset.name,
            *(f"{dataset.records.get(kind, 0):,}" for kind in kinds),
            f"{sum(dataset.rows.values()):,}",
            *([] if report.dry_run else [dataset.change or ""]),
        ]
        for dataset in report.datasets
    ]
    for index, header in enumerate(headers):
        # Every column as wide as its widest cell: rich would rather shorten a cell with "…"
        # than leave the terminal's width, and a cut dataset name is no use to `--dataset`.
        width = max([len(header), *(len(row[index]) for row in rows)])
        text = header in ("dataset", "change")
        table.add_column(header, justify="left" if text else "right", no_wrap=True, min_width=width)
    for row in rows:
        table.add_row(*row)
    return table
