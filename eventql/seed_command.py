"""`eventql seed` and `eventql seed-schema`: load seed files into the database, ship their schema.

Exit codes of `seed` (`eventql.exit_codes`): 0 loaded (or validated, with `--dry-run`); 1 the
seed files have problems, all listed on stderr, and nothing was written; 2 a usage error; 3 the
database could not be reached or written; 4 an invalid setting; 5 the database was built by
another schema version (rerun with `--rebuild`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from eventql.database_errors import exit_on_database_errors, shown_url
from eventql.exit_codes import ExitCode, fail
from eventql.load_report import load_problems, print_report, progress_bar
from eventql.settings_errors import read_settings
from schema.db import create_sync_engine
from seeds import (
    SEED_SCHEMA_PATH,
    LoadError,
    bundled_seed_paths,
    input_size,
    load_seeds,
    render_seed_schema,
)
from seeds.versions import History

#: Inputs above this size get a progress bar (when stdout is a terminal).
LARGE_INPUT_BYTES = 2_000_000

_KINDS = ("source", "actor", "event", "statement", "figure")


def seed(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
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
            metavar="URL",
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
    out = Console()
    sources: list[Path] = list(paths) if paths else bundled_seed_paths()
    settings = read_settings(database_url=database_url)
    url = settings.database_url
    engine = create_sync_engine(url)
    large = out.is_terminal and input_size(sources) >= LARGE_INPUT_BYTES
    try:
        with exit_on_database_errors(url), progress_bar(out, show=large) as progress:
            report = load_seeds(
                sources,
                engine=engine,
                dry_run=dry_run,
                rebuild=rebuild,
                progress=progress,
                history=History("seed", keep=settings.history_keep),
            )
    except LoadError as error:
        fail(ExitCode.BAD_INPUT, *load_problems(error, "the seed files"))
    finally:
        engine.dispose()
    print_report(out, report, f"Loaded into {shown_url(url)}", _KINDS)


def seed_schema(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write it; '-' for stdout."),
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
            fail(ExitCode.BAD_INPUT, f"{output} is out of date: run `eventql seed-schema`")
        return
    output.write_text(text, encoding="utf-8")
    Console().print(f"Wrote {output}", markup=False, highlight=False)
