"""Filling tables created in the same transaction: indexes and foreign keys built afterwards.

Maintaining an index row by row costs far more than building it once over the loaded rows:
measured on PostgreSQL, 100,000 events took 16 s to COPY into the `event` table with its
indexes and 0.3 s without them, and its indexes then took about 1 s to build. Foreign-key
triggers cost as much again on the link tables (a check per row and key).

Dropping an index is only safe for readers when no one else can see the table: PostgreSQL
locks it (readers would wait for the whole load), and a reader's snapshot must keep seeing
the old rows. So this is done only for tables the load itself created, in its own
transaction (a new database, or `--rebuild`), where nobody can be reading. The definitions
are read back from the database's catalogue, so whatever indexes `schema.tables` declares
are rebuilt exactly as they were created; a failure rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import orjson
from sqlalchemy import Connection, text

_POSTGRES_INDEXES = """
SELECT format('%I', ci.relname), pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class ct ON ct.oid = i.indrelid
WHERE ct.relnamespace = current_schema()::regnamespace AND ct.relname = ANY(:tables)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY ci.relname
"""
_POSTGRES_FOREIGN_KEYS = """
SELECT format('%I', ct.relname), format('%I', c.conname), pg_get_constraintdef(c.oid)
FROM pg_constraint c
JOIN pg_class ct ON ct.oid = c.conrelid
JOIN pg_class cr ON cr.oid = c.confrelid
WHERE c.contype = 'f' AND ct.relnamespace = current_schema()::regnamespace
  AND c.conparentid = 0  -- not a partition's copy of its table's key: it goes with that
  AND (ct.relname = ANY(:tables) OR cr.relname = ANY(:tables))
ORDER BY ct.relname, c.conname
"""
_SQLITE_INDEXES = """
SELECT type, name, sql FROM sqlite_master
WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
  AND tbl_name IN (SELECT value FROM json_each(:tables))
ORDER BY type, name
"""
#: FTS5 tables that index another table's rows (`content=`): filled by triggers, or rebuilt.
_SQLITE_EXTERNAL_FTS = """
SELECT name FROM sqlite_master
WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%content=%'
ORDER BY name
"""


@contextmanager
def indexes_deferred(connection: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes (on PostgreSQL the foreign keys too, on SQLite the triggers
    that fill full-text indexes) of `tables` for the duration of the block, then build them
    again over the rows it wrote.

    A partitioned table's indexes and foreign keys are dropped and built again on the table,
    which does the same for its partitions. Primary keys and unique constraints stay: they
    check the rows as they arrive, and rows are written in key order, which keeps their
    B-trees cheap to fill. Only for tables created in the current transaction (see the
    module docstring).
    """
    if connection.dialect.name == "postgresql":
        with _postgres_deferred(connection, list(tables)):
            yield
    else:
        with _sqlite_deferred(connection, list(tables)):
            yield


@contextmanager
def _postgres_deferred(connection: Connection, tables: list[str]) -> Iterator[None]:
    found = {"tables": tables}
    indexes = connection.execute(text(_POSTGRES_INDEXES), found).all()
    foreign_keys = connection.execute(text(_POSTGRES_FOREIGN_KEYS), found).all()
    for owner, name, _ in foreign_keys:
        connection.exec_driver_sql(f"ALTER TABLE {owner} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    yield
    # Sorting for an index build may use this much memory (default 64 MB); local to the
    # transaction.
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        # A partitioned table's index is defined `ON ONLY` the table (its partitions' indexes
        # are attached one by one); built again `ON` it, it is built on every partition.
        connection.exec_driver_sql(definition.replace(" ON ONLY ", " ON ", 1))
    for owner, name, definition in foreign_keys:
        # Checked as one join over the table rather than once per row.
        connection.exec_driver_sql(f"ALTER TABLE {owner} ADD CONSTRAINT {name} {definition}")


@contextmanager
def _sqlite_deferred(connection: Connection, tables: list[str]) -> Iterator[None]:
    found = {"tables": orjson.dumps(tables).decode()}
    schema = connection.execute(text(_SQLITE_INDEXES), found).all()
    full_text = connection.execute(text(_SQLITE_EXTERNAL_FTS)).scalars().all()
    for kind, name, _ in schema:
        connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, definition in schema:
        connection.exec_driver_sql(definition)
    # The triggers that keep full-text indexes up to date were off: each index is built
    # from its content table in one pass instead.
    for name in full_text:
        connection.exec_driver_sql(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
