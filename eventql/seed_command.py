"""`eventql seed` and `eventql seed-schema`: load seed files into the database, ship their schema.

Exit codes of `seed`: 0 loaded (or validated, with `--dry-run`); 1 the seed files have
problems, all listed on stderr, and nothing was written; 2 the database was built by another
schema version (rerun with `--rebuild`); 3 the database could not be reached or written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
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
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from gql.settings import Settings
from schema.db import SchemaMismatchError, create_sync_engine
from seeds import (
    SEED_SCHEMA_PATH,
    LoadError,
    LoadReport,
    bundled_seed_paths,
    input_size,
    load_seeds,
    render_seed_schema,
)
from seeds.loader import Progress as ProgressCallback

#: Inputs above this size get a progress bar (when stdout is a terminal).
LARGE_INPUT_BYTES = 2_000_000

_KINDS = ("source", "actor", "event", "statement", "figure")
_STAGES = {"read": "Reading files", "write": "Writing rows"}


def seed(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Seed files or folders (searched for *.yaml, *.yml, *.json, *.jsonl). "
            "Default: the bundled seeds.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count, write nothing.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to load into. Default: $EVENTQL_DATABASE_URL, else "
            "sqlite:///eventql.sqlite3 in the current folder.",
            show_default=False,
        ),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Drop and recreate every table first (all data is lost: pass all your seed "
            "files). The way to move a database to a new eventql schema version.",
        ),
    ] = False,
) -> None:
    """Validate seed files, then replace the datasets they define in one transaction."""
    out, err = Console(), Console(stderr=True)
    sources: list[Path] = list(paths) if paths else bundled_seed_paths()
    url = database_url or Settings().database_url
    engine = create_sync_engine(url)
    try:
        with _progress_bar(out, sources) as progress:
            report = load_seeds(
                sources, engine=engine, dry_run=dry_run, rebuild=rebuild, progress=progress
            )
    except LoadError as error:
        count = len(error.issues)
        err.print(
            f"{count} problem{'s' if count != 1 else ''} in the seed files; nothing was written:",
            style="bold red",
        )
        for issue in error.issues:
            err.print(str(issue), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except SchemaMismatchError as error:
        err.print(f"Database schema mismatch: {error}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except SQLAlchemyError as error:
        shown = make_url(url).render_as_string(hide_password=True)
        reason = getattr(error, "orig", None) or error
        err.print(
            f"Database error ({shown}): {error.__class__.__name__}: {reason}",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(3) from None
    finally:
        engine.dispose()
    out.print(_report_table(report, make_url(url).render_as_string(hide_password=True)))


@contextmanager
def _progress_bar(console: Console, paths: list[Path]) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a rich bar, or None for small inputs and non-terminals."""
    if not console.is_terminal or input_size(paths) < LARGE_INPUT_BYTES:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _report_table(report: LoadReport, url: str) -> Table:
    title = "Dry run: validated, nothing written" if report.dry_run else f"Loaded into {url}"
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    longest = max((len(d.name) for d in report.datasets), default=7)
    table.add_column("dataset", no_wrap=True, min_width=longest)
    for kind in _KINDS:
        table.add_column(f"{kind}s", justify="right", min_width=len(kind) + 1)
    table.add_column("rows", justify="right")
    if not report.dry_run:
        table.add_column("change")
    for dataset in report.datasets:
        counts = [str(dataset.records.get(kind, 0)) for kind in _KINDS]
        change = [] if report.dry_run else [dataset.change or ""]
        table.add_row(dataset.name, *counts, str(sum(dataset.rows.values())), *change)
    written = "" if report.dry_run else f" ({report.rows_written:,} written)"
    table.caption = (
        f"{len(report.files)} file(s), {report.row_count:,} rows{written} in {report.seconds:.2f} s"
    )
    return table


def seed_schema(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Where to write it; '-' for stdout."),
    ] = SEED_SCHEMA_PATH,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the file differs from the models."),
    ] = False,
) -> None:
    """Write the JSON Schema of seed files (for editors), generated from the record models."""
    text = render_seed_schema()
    if str(output) == "-":
        sys.stdout.write(text)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            Console(stderr=True).print(
                f"{output} is out of date: run `eventql seed-schema`", markup=False
            )
            raise typer.Exit(1)
        return
    output.write_text(text, encoding="utf-8")
    Console().print(f"Wrote {output}", markup=False, highlight=False)
