"""The `eventql` command line: a registry of commands, each defined in its own module."""

from __future__ import annotations

import typer

from eventql import export_command, import_command, schema_command, seed_command, serve_command

app = typer.Typer(
    name="eventql",
    help="A GraphQL API over structured records of news events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

app.command("seed")(seed_command.seed)
app.command("seed-schema")(seed_command.seed_schema)
app.add_typer(import_command.app, name="import")
app.command("export")(export_command.export)
app.command("export-schema")(schema_command.export_schema)
app.command("serve")(serve_command.serve)
