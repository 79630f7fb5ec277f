"""Replacing datasets that are already in the database by writing only the rows that differ.

Every row's primary key derives from its dataset and its records' IDs (`schema.ids`), so a
reseed of edited files gives most rows again with the same key and the same content. Those are
left alone: an edited title rewrites one event's row and its search entry, not the 700,000
rows of the dataset, and no index is touched for the rest. Rows are compared by key with the
rows held: a new key is inserted, a changed row updated in place (its key, so what refers to
it, stays), a key no longer there deleted.

The order keeps every foreign key satisfied at every statement: inserts and updates go parents
first (`TABLE_ORDER`), and only then are the rows that are gone deleted, children first, so
that an `ON DELETE CASCADE` never removes a row that is still wanted (a record updated to no
longer name the one being deleted), which would then have to be written again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Float, MetaData, Numeric, Table

from seeds.record_changes import RecordDiff
from seeds.rows import TABLE_ORDER, DatasetRows, Values
from seeds.write import RowsWritten, bind_processors, converted, insert_rows, table

#: Rows fetched per round trip when reading what the database holds.
_FETCH = 10_000

Key = tuple[Any, ...]


@dataclass
class Changes:
    """How many rows a replace inserted, updated and deleted (the others were left alone)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    #: Keys to delete, by table: deleted children first once every table is written.
    gone: dict[str, list[Key]] = field(default_factory=dict)


def write_changes(
    connection: Connection,
    datasets: Sequence[DatasetRows],
    on_rows: RowsWritten | None = None,
    diff: RecordDiff | None = None,
) -> Changes:
    """Make the rows of `datasets` in the database equal `datasets`, writing only differences.

    `diff` is shown each table's differences before they are written (to tell the record
    changes they make).
    """
    ids = [dataset.id for dataset in datasets]
    changes = Changes()
    if not ids:
        return changes
    for name in TABLE_ORDER:
        target = table(name)
        rows = [row for dataset in datasets for row in dataset.tables[name]]
        given = [dataset.columns[name] for dataset in datasets if name in dataset.columns]
        columns = list(given[0]) if given else [column.name for column in target.columns]
        _write_table(connection, target, columns, rows, ids, changes, diff)
        if on_rows is not None and rows:
            on_rows(len(rows))
    for name in reversed(TABLE_ORDER):
        keys = changes.gone.get(name)
        if keys:
            _delete(connection, table(name), keys)
            changes.deleted += len(keys)
    return changes


def _primary_key(target: Table) -> list[Column[Any]]:
    return list(target.primary_key.columns)


def _dataset_column(target: Table) -> Column[Any]:
    return target.c.id if target.name == "dataset" else target.c.dataset_id


def _write_table(
    connection: Connection,
    target: Table,
    columns: list[str],
    rows: list[Values],
    ids: list[int],
    changes: Changes,
    diff: RecordDiff | None,
) -> None:
    key_columns = [column.name for column in _primary_key(target)]
    key_of = _key_reader([columns.index(column) for column in key_columns])
    fingerprint = _fingerprinter(target, columns)
    stored = _stored_form(connection, target, columns)
    held = _held(connection, target, columns, key_of, ids, fingerprint)
    new: list[Values] = []
    updated: list[Values] = []
    for row in rows:
        values = stored(row)
        old = held.pop(key_of(values), None)
        if old is None:
            new.append(row)
        elif old != fingerprint(values):
            updated.append(row)
        else:
            changes.unchanged += 1
    if diff is not None:
        diff.before_write(connection, target, columns, new, updated, list(held))
    # New rows first: an updated row may now name one (a figure's new `part_of`).
    insert_rows(connection, target, columns, new)
    _update(connection, target, columns, updated, key_columns)
    changes.inserted += len(new)
    changes.updated += len(updated)
    if held:
        changes.gone[target.name] = list(held)


def _fingerprinter(target: Table, columns: list[str]) -> Callable[[list[Any]], int]:
    """A function of a row's values that is equal for equal rows, whether the values were
    built by the loader or read back from the database.

    The database gives floats for whole numbers it stores as floats, and JSON objects with
    their keys in another order (PostgreSQL `jsonb`); both are evened out. Python's 64-bit
    hash of the serialized values is compared per key, so a changed row is mistaken for an
    unchanged one with probability 2**-64.
    """
    floats = [
        i for i, name in enumerate(columns) if isinstance(target.c[name].type, Float | Numeric)
    ]

    def fingerprint(values: list[Any]) -> int:
        for i in floats:
            if values[i] is not None:
                values[i] = float(values[i])
        return hash(orjson.dumps(values, option=orjson.OPT_SORT_KEYS))

    return fingerprint


def _key_reader(positions: list[int]) -> Callable[[Sequence[Any]], Key]:
    """A function of a row's values: its primary key, as a tuple."""
    return lambda row: tuple(row[i] for i in positions)


def _stored_form(
    connection: Connection, target: Table, columns: list[str]
) -> Callable[[Values], list[Any]]:
    """A function of a row's values: them as the driver gives them back when read without
    SQLAlchemy's conversions (on SQLite dates and JSON as text; psycopg converts itself)."""
    convert = (
        []
        if connection.dialect.name == "postgresql"
        else bind_processors(connection, target, columns)
    )

    def stored(row: Values) -> list[Any]:
        values = list(row)
        for index, process in convert:
            values[index] = process(values[index])
        return values

    return stored


def _held(
    connection: Connection,
    target: Table,
    columns: list[str],
    key_of: Callable[[Sequence[Any]], Key],
    ids: list[int],
    fingerprint: Callable[[list[Any]], int],
) -> dict[Key, int]:
    """The fingerprint of every row the datasets hold in `target`, by primary key.

    Read as the driver gives the values, without SQLAlchemy's conversions: reading a date
    back from SQLite's text took longer than everything else a reseed does per row.
    """
    quoted = ", ".join(f'"{column}"' for column in columns)
    datasets = ", ".join(str(int(i)) for i in ids)
    statement = (
        f'SELECT {quoted} FROM "{target.name}" '
        f'WHERE "{_dataset_column(target).name}" IN ({datasets})'
    )
    result = connection.exec_driver_sql(statement, execution_options={"yield_per": _FETCH})
    held: dict[Key, int] = {}
    for row in result:
        values = list(row)
        held[key_of(values)] = fingerprint(values)
    return held


def _update(
    connection: Connection,
    target: Table,
    columns: list[str],
    rows: list[Values],
    key_columns: list[str],
) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        # Through a staging table: one UPDATE joined to rows sent by COPY, not one per row.
        stage = f"eventql_stage_{target.name}"
        connection.exec_driver_sql(
            f'CREATE TEMP TABLE "{stage}" (LIKE "{target.name}") ON COMMIT DROP'
        )
        staged = Table(stage, MetaData(), *(Column(c.name, c.type) for c in target.columns))
        insert_rows(connection, staged, columns, rows)
        changed = [c for c in columns if c not in key_columns]
        assignments = ", ".join(f'"{c}" = s."{c}"' for c in changed)
        join = " AND ".join(f't."{c}" = s."{c}"' for c in key_columns)
        connection.exec_driver_sql(
            f'UPDATE "{target.name}" AS t SET {assignments} FROM "{stage}" AS s WHERE {join}'
        )
        connection.exec_driver_sql(f'DROP TABLE "{stage}"')
        return
    changed = [c for c in columns if c not in key_columns]
    order = changed + key_columns
    sets = ", ".join(f'"{c}" = ?' for c in changed)
    where = " AND ".join(f'"{c}" = ?' for c in key_columns)
    statement = f'UPDATE "{target.name}" SET {sets} WHERE {where}'
    convert = bind_processors(connection, target, order)
    positions = [columns.index(c) for c in order]
    reordered = (tuple(row[i] for i in positions) for row in rows)
    connection.exec_driver_sql(statement, list(converted(reordered, convert)))


def _delete(connection: Connection, target: Table, keys: list[Key]) -> None:
    """Delete the rows of `keys` (primary keys as the driver gave them back)."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    where = " AND ".join(f'"{column.name}" = {mark}' for column in _primary_key(target))
    statement = f'DELETE FROM "{target.name}" WHERE {where}'
    for start in range(0, len(keys), _FETCH):
        connection.exec_driver_sql(statement, keys[start : start + _FETCH])
