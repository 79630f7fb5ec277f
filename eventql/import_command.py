"""`eventql import ucdp|gdelt FILE`: load a UCDP GED or GDELT file as a dataset of its own.

The import is read and mapped in full, then validated and loaded exactly as `eventql seed`
loads files (one transaction, the whole dataset replaced). Exit codes are those of `seed`
(`eventql.exit_codes`): 0 imported (or validated, with `--dry-run`, or written, with
`--to-seeds`); 1 the file has problems, all listed on stderr with their line and column, and
nothing was written; 2 a usage error (such as a file that does not exist); 3 the database
could not be reached or written; 4 an invalid setting; 5 the database was built by another
schema version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from eventql.database_errors import exit_on_database_errors, shown_url
from eventql.exit_codes import ExitCode, fail
from eventql.load_report import load_problems, print_report, progress_bar
from eventql.settings_errors import read_settings
from schema.db import create_sync_engine
from seeds.importers import Imported, import_gdelt, import_ucdp, load_imported, validate_imported
from seeds.importers.reading import BytesRead
from seeds.importers.seed_files import write_seed_file
from seeds.issues import Issue, LoadError
from seeds.versions import DEFAULT_KEEP, History

app = typer.Typer(
    help="Import a UCDP GED or GDELT events file as a dataset of its own.",
    no_args_is_help=True,
)

Importer = Callable[..., Imported]

#: Warnings shown one by one; the rest are counted.
SHOWN_WARNINGS = 20
_KINDS = ("source", "actor", "event", "figure")

FileArgument = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, metavar="FILE", help="The file to import."
    ),
]
DatasetOption = Annotated[
    str | None,
    typer.Option(
        "--dataset",
        metavar="NAME",
        help="Dataset name. Default: from the file's dataset and version "
        "(ucdp-ged-19.1, gdelt-2.0-events-20191024143000).",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Read, map and validate; write nothing.")
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        metavar="URL",
        help="Database to load into. Default: $EVENTQL_DATABASE_URL, else "
        "sqlite:///eventql.sqlite3 in the current folder.",
        show_default=False,
    ),
]
ToSeedsOption = Annotated[
    Path | None,
    typer.Option(
        "--to-seeds",
        file_okay=False,
        metavar="DIR",
        help="Write the records as a seed file (<DIR>/<dataset>.json) instead of loading "
        "them; `eventql seed <DIR>` loads it.",
        show_default=False,
    ),
]


@app.command("ucdp")
def ucdp(
    file: FileArgument,
    dataset: DatasetOption = None,
    dry_run: DryRunOption = False,
    database_url: DatabaseOption = None,
    to_seeds: ToSeedsOption = None,
) -> None:
    """Import a UCDP GED CSV file (e.g. ged191.csv)."""
    _run(import_ucdp, file, dataset, dry_run, database_url, to_seeds)


@app.command("gdelt")
def gdelt(
    file: FileArgument,
    dataset: DatasetOption = None,
    dry_run: DryRunOption = False,
    database_url: DatabaseOption = None,
    to_seeds: ToSeedsOption = None,
) -> None:
    """Import a GDELT 2.0 (or 1.0) events export (e.g. 20191024143000.export.CSV)."""
    _run(import_gdelt, file, dataset, dry_run, database_url, to_seeds)


def _run(
    importer: Importer,
    file: Path,
    dataset: str | None,
    dry_run: bool,
    database_url: str | None,
    to_seeds: Path | None,
) -> None:
    out, err = Console(), Console(stderr=True)
    # Settings first: a mistake in them is said before a long read, not after it.
    settings = None if to_seeds is not None else read_settings(database_url=database_url)
    url = "" if settings is None else settings.database_url
    try:
        with _bar(out, "Reading", file.stat().st_size) as on_bytes:
            imported = importer(file, dataset=dataset, on_bytes=on_bytes)
        _show_warnings(err, imported.problems.warnings)
        if to_seeds is not None:
            validate_imported([imported])
            path = write_seed_file(imported.seed, to_seeds)
            out.print(f"Wrote {path} ({imported.rows:,} rows read)", markup=False)
            return
        engine = create_sync_engine(url)
        try:
            show = out.is_terminal and not dry_run
            with exit_on_database_errors(url), progress_bar(out, show=show) as progress:
                keep = settings.history_keep if settings is not None else DEFAULT_KEEP
                report = load_imported(
                    [imported],
                    engine=engine,
                    dry_run=dry_run,
                    progress=progress,
                    history=History("import", keep=keep),
                )
        finally:
            engine.dispose()
    except LoadError as error:
        fail(ExitCode.BAD_INPUT, *load_problems(error, "the file"))
    caption = (
        f"{imported.rows:,} rows read from {imported.text.path}; "
        f"{report.row_count:,} database rows in {report.seconds:.2f} s"
    )
    print_report(out, report, f"Imported into {shown_url(url)}", _KINDS, caption)


def _show_warnings(err: Console, warnings: list[Issue]) -> None:
    for issue in warnings[:SHOWN_WARNINGS]:
        err.print(f"warning: {issue}", markup=False, highlight=False, soft_wrap=True)
    if len(warnings) > SHOWN_WARNINGS:
        err.print(f"... and {len(warnings) - SHOWN_WARNINGS} more warnings", markup=False)


@contextmanager
def _bar(console: Console, label: str, total: int) -> Iterator[BytesRead | None]:
    """A byte-counting progress bar on a terminal; nothing otherwise."""
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), DownloadColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)
