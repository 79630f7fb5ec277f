"""`eventql history`: a dataset's versions, and what one of them changed, in the terminal.

The same history the API serves (`Dataset.versions`, `DatasetVersion.changes`), for whoever
reseeds from a shell and wants to see what the load did before looking at the API.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection, select

from eventql.database_errors import exit_on_database_errors, shown_url
from eventql.exit_codes import ExitCode, fail
from eventql.settings_errors import read_settings
from schema.db import create_sync_engine
from schema.history import DatasetVersion, RecordChange

_VERSION = DatasetVersion.__table__  # type: ignore[attr-defined]
_CHANGE = RecordChange.__table__  # type: ignore[attr-defined]
#: Characters of a field's old or new value shown in a table cell.
_SHOWN = 60


def history(
    dataset: Annotated[
        str | None,
        typer.Argument(help="The dataset; all datasets if left out.", show_default=False),
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            "-v",
            metavar="N",
            help="List the record changes of the dataset's version N.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, help="Rows shown at most.")
    ] = 20,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", metavar="URL", help="Overrides EVENTQL_DATABASE_URL."),
    ] = None,
) -> None:
    """Show the versions of the datasets (newest first), or what one version changed."""
    url = read_settings(database_url=database_url).database_url
    if version is not None and dataset is None:
        raise typer.BadParameter("--version needs a DATASET", param_hint="--version")
    out = Console()
    engine = create_sync_engine(url)
    try:
        with exit_on_database_errors(url), engine.connect() as connection:
            if version is None:
                out.print(_versions(connection, dataset, limit, shown_url(url)))
            else:
                assert dataset is not None
                out.print(_changes(connection, dataset, version, limit))
    finally:
        engine.dispose()


def _versions(connection: Connection, dataset: str | None, limit: int, where: str) -> Table:
    statement = select(_VERSION).order_by(_VERSION.c.id.desc()).limit(limit)
    if dataset is not None:
        statement = statement.where(_VERSION.c.dataset_name == dataset)
    rows = connection.execute(statement).all()
    if dataset is not None and not rows:
        fail(ExitCode.BAD_INPUT, f"No versions of a dataset named {dataset!r} in {where}.")
    table = Table(title=f"Versions in {where}, newest first")
    for column in ("dataset", "version", "made (UTC)", "by", "added", "changed", "removed"):
        # Names and slugs wrap rather than lose their ends: they are what users look up.
        table.add_column(column, justify="right" if column in _NUMBERS else "left", overflow="fold")
    for row in rows:
        table.add_row(
            row.dataset_name,
            str(row.number),
            f"{row.created_at:%Y-%m-%d %H:%M:%S}",
            row.load_kind,
            f"{row.added:,}",
            f"{row.changed:,}" + ("" if row.changes_kept else " (list dropped)"),
            f"{row.removed:,}",
        )
    return table


_NUMBERS = ("version", "added", "changed", "removed")


def _changes(connection: Connection, dataset: str, number: int, limit: int) -> Table:
    found = connection.execute(
        select(_VERSION).where(_VERSION.c.dataset_name == dataset, _VERSION.c.number == number)
    ).first()
    if found is None:
        fail(ExitCode.BAD_INPUT, f"Dataset {dataset!r} has no version {number}.")
    if not found.changes_kept:
        fail(
            ExitCode.BAD_INPUT,
            f"The record changes of {dataset} version {number} are no longer kept "
            "(EVENTQL_HISTORY_KEEP); its summary is in `eventql history`.",
        )
    rows = connection.execute(
        select(_CHANGE).where(_CHANGE.c.version_id == found.id).order_by(_CHANGE.c.id).limit(limit)
    ).all()
    total = found.added + found.changed + found.removed
    shown = f"the first {len(rows)} of {total:,}" if len(rows) < total else f"all {total:,}"
    table = Table(title=f"{dataset} version {number}: {shown} record changes")
    for column in ("change", "kind", "record", "field", "old", "new"):
        table.add_column(column, overflow="fold")
    for row in rows:
        fields: list[dict[str, Any]] = list(row.fields or [])
        if not fields:
            table.add_row(row.change, row.kind, row.slug, "", "", "")
        for i, item in enumerate(fields):
            head = (row.change, row.kind, row.slug) if i == 0 else ("", "", "")
            table.add_row(*head, item["field"], _cell(item.get("old")), _cell(item.get("new")))
    return table


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
