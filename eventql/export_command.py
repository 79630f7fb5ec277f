"""`eventql export csv|geojson|jsonl`: write events (or full records) to a file or stdout.

The filter is the JSON form of the GraphQL `EventFilter` input, e.g.
`--filter '{"type": {"in": ["PROTESTS"]}, "countryCode": {"equalTo": "BD"}}'` (or `@file.json`).
Output is streamed; with `--output` it goes to a temporary file that replaces FILE only when
the export is complete. Exit codes: 0 written; 1 a bad filter or unknown dataset; 3 the
database could not be read (or holds no eventql tables).
"""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from gql.settings import Settings
from schema.db import create_sync_engine, schema_state
from seeds.exporters import FORMATS, FilterError, Selection


class Format(StrEnum):
    """An export format."""

    CSV = "csv"
    GEOJSON = "geojson"
    JSONL = "jsonl"


def export(
    format: Annotated[
        Format,
        typer.Argument(
            help="csv: one row per event, ACLED-like columns; geojson: a FeatureCollection of "
            "events with coordinates; jsonl: full records, one per line, that `eventql seed` "
            "reads back."
        ),
    ],
    filter: Annotated[
        str | None,
        typer.Option(
            "--filter",
            help="A JSON event filter, as the GraphQL EventFilter input (or @FILE).",
            show_default=False,
        ),
    ] = None,
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", help="Only this dataset (repeatable).", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write. Default: stdout.", show_default=False),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to read. Default: $EVENTQL_DATABASE_URL, else "
            "sqlite:///eventql.sqlite3 in the current folder.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export events as CSV or GeoJSON, or full records as JSONL."""
    err = Console(stderr=True)
    try:
        selection = Selection(filter=_filter(filter), datasets=tuple(dataset or ()))
    except FilterError as error:
        err.print(f"Bad filter: {error}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    engine = create_sync_engine(database_url or Settings().database_url)
    try:
        if schema_state(engine) is None:
            err.print("The database holds no eventql data: run `eventql seed` first.")
            raise typer.Exit(3)
        selection.check(engine)
        chunks = FORMATS[format.value][0](engine, selection)
        if output is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        else:
            _write_atomically(output, chunks)
    except FilterError as error:
        err.print(f"Bad filter: {error}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        err.print(f"Database error: {error.__class__.__name__}: {reason}", markup=False)
        raise typer.Exit(3) from None
    finally:
        engine.dispose()


def _filter(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise FilterError(f"cannot read {text[1:]}: {error.strerror or error}") from None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise FilterError(f"not JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(value, dict):
        raise FilterError("expected a JSON object of filter keys")
    return value


def _write_atomically(path: Path, chunks: Any) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
