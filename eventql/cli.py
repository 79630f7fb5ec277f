"""The `eventql` command line: a registry of commands, each defined in its own module.

Exit codes mean one thing each across all commands (`eventql.exit_codes`).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from eventql import (
    export_command,
    history_command,
    import_command,
    schema_command,
    seed_command,
    serve_command,
)
from schema.db import SCHEMA_VERSION

app = typer.Typer(
    name="eventql",
    help="A GraphQL API over structured records of news events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def version_text() -> str:
    """`eventql <version> (database schema <n>)`: what `--version` prints."""
    try:
        number = version("eventql")
    except PackageNotFoundError:  # run from a source tree that was never installed
        number = "unknown"
    return f"eventql {number} (database schema {SCHEMA_VERSION})"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the version (and the database schema version it builds) and exit.",
        ),
    ] = False,
) -> None:
    """A GraphQL API over structured records of news events."""


app.command("seed")(seed_command.seed)
app.command("seed-schema")(seed_command.seed_schema)
app.add_typer(import_command.app, name="import")
app.command("export")(export_command.export)
app.command("export-schema")(schema_command.export_schema)
app.command("serve")(serve_command.serve)
app.command("history")(history_command.history)
