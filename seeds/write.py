"""Writing rows in bulk: COPY on PostgreSQL, the driver's `executemany` on SQLite.

Runs on a connection the caller holds inside one transaction, so a failure anywhere leaves the
old rows in place. Rows are sent as they are, never one ORM object or one statement at a time:
on PostgreSQL they are streamed with `COPY ... FROM STDIN` through psycopg 3 (formatted by its
C extension, sent from a second thread while the next rows are formatted), on SQLite handed to
the sqlite3 module's `executemany` as tuples, converted by the columns' own SQLAlchemy bind
processors (so the stored values are those SQLAlchemy would have stored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import orjson
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import JSON, Connection, Table
from sqlmodel import SQLModel

from seeds.rows import TABLE_ORDER, DatasetRows, Values

#: Rows between progress reports.
BATCH_SIZE = 5_000

RowsWritten = Callable[[int], None]


def table(name: str) -> Table:
    """The table called `name` (from `schema.tables`)."""
    return SQLModel.metadata.tables[name]


def insert_datasets(
    connection: Connection,
    datasets: Sequence[DatasetRows],
    on_rows: RowsWritten | None = None,
    *,
    fresh: bool = False,
) -> None:
    """Insert the rows of the datasets, table by table in `TABLE_ORDER`.

    `fresh`: the tables were created in this transaction (PostgreSQL then writes the rows
    already frozen, so no VACUUM has to visit them again).
    """
    for name in TABLE_ORDER:
        for dataset in datasets:
            rows = dataset.tables[name]
            if rows:
                insert_rows(
                    connection, table(name), dataset.columns[name], rows, on_rows, fresh=fresh
                )


def insert_rows(
    connection: Connection,
    target: Table,
    columns: Sequence[str],
    rows: Sequence[Values],
    on_rows: RowsWritten | None = None,
    *,
    fresh: bool = False,
) -> None:
    """Insert `rows` (values of `columns`, in that order) into `target`."""
    if not rows:
        return
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, target, columns, rows, on_rows, fresh)
    else:
        _insert_rows(connection, target, columns, rows, on_rows)


def _batches(rows: Sequence[Values], on_rows: RowsWritten | None) -> Iterator[Sequence[Values]]:
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        yield batch
        if on_rows is not None:
            on_rows(len(batch))


def _insert_rows(
    connection: Connection,
    target: Table,
    columns: Sequence[str],
    rows: Sequence[Values],
    on_rows: RowsWritten | None,
) -> None:
    convert = bind_processors(connection, target, columns)
    quoted = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{target.name}" ({quoted}) VALUES ({marks})'
    for batch in _batches(rows, on_rows):
        # Through SQLAlchemy, which hands the tuples to the driver's `executemany` as they
        # are and translates its errors (a locked or read-only database) as for any statement.
        connection.exec_driver_sql(statement, list(converted(batch, convert)))


def bind_processors(
    connection: Connection, target: Table, columns: Sequence[str]
) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns (by position) whose values the driver cannot take as they are, each with
    the conversion SQLAlchemy would apply (dates as text and JSON on SQLite)."""
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for index, column in enumerate(columns):
        process = target.c[column].type.bind_processor(connection.dialect)
        if process is not None:
            found.append((index, process))
    return found


def converted(
    rows: Iterable[Values], convert: Sequence[tuple[int, Callable[[Any], Any]]]
) -> Iterator[Values]:
    """Each row's values, with the given conversions applied."""
    if not convert:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for index, process in convert:
            values[index] = process(values[index])
        yield tuple(values)


def _copy_rows(
    connection: Connection,
    target: Table,
    columns: Sequence[str],
    rows: Sequence[Values],
    on_rows: RowsWritten | None,
    fresh: bool,
) -> None:
    # COPY's text format takes JSON as its text; psycopg has no default dumper for dicts.
    convert = [(i, _json_text) for i, c in enumerate(columns) if isinstance(target.c[c].type, JSON)]
    quoted = ", ".join(f'"{column}"' for column in columns)
    # FREEZE: the rows are written as if already vacuumed; allowed (and safe: no one else
    # can see the table yet) only for a table created in this transaction.
    # PostgreSQL refuses FREEZE on a partitioned table (`searchentry`).
    partitioned = bool(target.dialect_options["postgresql"].get("partition_by"))
    options = " WITH (FREEZE)" if fresh and not partitioned else ""
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        # The queued writer sends from a thread of its own while this one formats rows.
        statement = f'COPY "{target.name}" ({quoted}) FROM STDIN{options}'
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            for batch in _batches(rows, on_rows):
                for values in converted(batch, convert):
                    copy.write_row(values)


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()
