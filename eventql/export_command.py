"""`eventql export csv|geojson|jsonl`: write events (or full records) to a file or stdout.

The filter is the JSON form of the GraphQL `EventFilter` input, e.g.
`--filter '{"type": {"in": ["PROTESTS"]}, "countryCode": {"equalTo": "BD"}}'` (or `@file.json`).
Output is streamed; with `--output` it goes to a temporary file that replaces FILE only when
the export is complete, so a failed export leaves no file behind. Exit codes
(`eventql.exit_codes`): 0 written; 1 a bad filter, an unknown dataset or an output file that
cannot be written; 2 a usage error; 3 the database could not be read, holds no eventql
tables, or (SQLite) does not exist — it is never created by an export; 4 an invalid setting;
5 the database was built by another schema version.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from sqlalchemy import make_url

from eventql.database_errors import exit_on_database_errors, shown_url
from eventql.exit_codes import ExitCode, fail
from eventql.settings_errors import read_settings
from schema.db import create_sync_engine, schema_state
from schema.group_keys import FIGURE_KEYS, resolve
from seeds.exporters import FORMATS, FilterError, Selection
from seeds.exporters.tabular import GeoJsonCount, csv_chunks, geojson_chunks
from seeds.exporters.totals import totals_chunks

_EMPTY = "The database holds no eventql data"


class Format(StrEnum):
    """An export format."""

    CSV = "csv"
    GEOJSON = "geojson"
    JSONL = "jsonl"
    TOTALS = "totals"


def export(
    format: Annotated[
        Format,
        typer.Argument(
            metavar="FORMAT",
            help="csv: one row per event, ACLED-like columns; "
            "geojson: a FeatureCollection of the events with coordinates (how many were left "
            "out is said on stderr); jsonl: full records, one per line, that `eventql seed` "
            "reads back; totals: CSV of figure totals (low, best, high) per group of "
            "--group-by keys, kind and unit, never double counting a part.",
        ),
    ],
    filter: Annotated[
        str | None,
        typer.Option(
            "--filter",
            metavar="JSON",
            help="A JSON event filter, as the GraphQL EventFilter input (or @FILE).",
            show_default=False,
        ),
    ] = None,
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset", metavar="NAME", help="Only this dataset (repeatable).", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write. Default: stdout.",
            show_default=False,
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="KEYS",
            help="totals only (and required there): comma-separated keys, e.g. country,year. "
            f"Keys: {', '.join(FIGURE_KEYS)}.",
            show_default=False,
        ),
    ] = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="csv only: start with a UTF-8 byte order mark, so that Excel shows "
            "non-ASCII text (accents, other scripts) correctly.",
        ),
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            metavar="URL",
            help="Database to read. Default: $EVENTQL_DATABASE_URL, else "
            "sqlite:///eventql.sqlite3 in the current folder.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export events as CSV or GeoJSON, or full records as JSONL."""
    if bom and format not in (Format.CSV, Format.TOTALS):
        raise typer.BadParameter("only the csv and totals formats take it", param_hint="--bom")
    if (group_by is not None) != (format is Format.TOTALS):
        raise typer.BadParameter("the totals format needs it, and only it", param_hint="--group-by")
    keys = [key.strip() for key in (group_by or "").split(",") if key.strip()]
    if format is Format.TOTALS:
        try:
            resolve("figure", keys)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--group-by") from None
    try:
        selection = Selection(filter=_filter(filter), datasets=tuple(dataset or ()))
    except FilterError as error:
        fail(ExitCode.BAD_INPUT, f"Bad filter: {error}")
    url = read_settings(database_url=database_url).database_url
    missing = _missing_sqlite_file(url)
    if missing is not None:  # connecting would create it, empty
        fail(ExitCode.DATABASE, f"No database at {missing} ({shown_url(url)}): nothing exported.")
    count = GeoJsonCount()
    engine = create_sync_engine(url)
    try:
        with exit_on_database_errors(url):
            if schema_state(engine) is None:
                fail(ExitCode.DATABASE, f"{_EMPTY} ({shown_url(url)}): run `eventql seed` first.")
            selection.check(engine)
            if format is Format.CSV:
                chunks = csv_chunks(engine, selection, bom=bom)
            elif format is Format.TOTALS:
                chunks = totals_chunks(engine, selection, group_by=keys, bom=bom)
            elif format is Format.GEOJSON:
                chunks = geojson_chunks(engine, selection, count=count)
            else:
                chunks = FORMATS[format.value][0](engine, selection)
            _write(output, chunks)
    except FilterError as error:
        fail(ExitCode.BAD_INPUT, f"Bad filter: {error}")
    except OSError as error:
        if output is None:  # the reader went away (`| head`): no more flushing into the pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        target = "stdout" if output is None else output
        fail(ExitCode.BAD_INPUT, f"Cannot write {target}: {error.strerror or error}.")
    finally:
        engine.dispose()
    if count.without_coordinates:
        sys.stderr.write(
            f"{count.without_coordinates:,} of {count.events:,} events left out of the GeoJSON: "
            "they have no coordinates (the csv and jsonl exports include them).\n"
        )


def _missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (None: it does, or not SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    name = parsed.database
    if parsed.query.get("uri") == "true":  # sqlite:///file:PATH?mode=ro&uri=true
        name = name.removeprefix("file:")
        if name.startswith(":memory:") or "mode=memory" in str(parsed.query):
            return None
    path = Path(name)
    return None if path.exists() else path


def _write(output: Path | None, chunks: Iterator[bytes]) -> None:
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    else:
        _write_atomically(output, chunks)


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


def _write_atomically(path: Path, chunks: Iterator[bytes]) -> None:
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
