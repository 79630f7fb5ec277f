"""`eventql export-schema`: write the GraphQL schema as SDL, by default to the committed file.

`gql/schema.graphql` is the contract with clients (graphql-codegen reads it, reviewers diff
it); a test fails when it no longer matches the code, and this command brings it up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from eventql.settings_errors import read_settings
from gql.schema import SDL_PATH, build_schema, sdl


def export_schema(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the SDL ('-' for stdout).",
            show_default="gql/schema.graphql, the committed copy",
        ),
    ] = SDL_PATH,
) -> None:
    """Write the GraphQL schema (SDL, with every description) to a file."""
    text = sdl(build_schema(read_settings()))
    if str(output) == "-":
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output} ({len(text.splitlines())} lines)", err=True)
