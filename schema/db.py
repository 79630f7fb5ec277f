"""Engines and the database schema: one URL in, a ready database out.

Users give plain URLs (`sqlite:///eventql.sqlite3`, `postgresql://host/db`); this module picks
the drivers (pysqlite or aiosqlite, psycopg 3 for both sync and async PostgreSQL), applies the
connection settings each backend needs, and creates or checks the tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel

from schema import (  # noqa: F401  (registers the models on the metadata)
    history,
    persisted,
    prepared_totals,
    search,
    tables,
)

#: Bump when the tables change; a database built by another version is rebuilt by `seed --rebuild`.
SCHEMA_VERSION = "20"
_META_TABLE = "eventql_meta"


class SchemaMismatchError(RuntimeError):
    """The database was built by a different eventql schema version."""


def _parse(url: str | URL) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: str | URL) -> bool:
    """True for SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def sync_url(url: str | URL) -> URL:
    """The URL with a synchronous driver (pysqlite, psycopg)."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite")
    return parsed


def async_url(url: str | URL) -> URL:
    """The URL with an asyncio driver (aiosqlite, psycopg)."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the server keep reading the old data while a reseed writes the new.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_sync_engine(url: str | URL, **kwargs: Any) -> Engine:
    """A synchronous engine for loading and CLI work."""
    engine = create_engine(sync_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_async_db_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An asyncio engine for serving."""
    engine = create_async_engine(async_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def schema_state(bind: Engine | Connection) -> str | None:
    """The schema version the database was built with, or None for an empty database."""
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return schema_state(connection)
    if not inspect(bind).has_table(_META_TABLE):
        return None
    row = bind.execute(
        text(f"SELECT value FROM {_META_TABLE} WHERE key = 'schema_version'")
    ).first()
    return None if row is None else str(row[0])


def ensure_schema(engine: Engine, *, rebuild: bool = False) -> None:
    """Create the tables if absent; refuse a database built by another schema version.

    The database is derived from seed files, so a schema change is handled by rebuilding:
    `rebuild=True` drops every eventql table and creates them anew.
    """
    with engine.begin() as connection:
        prepare_schema(connection, rebuild=rebuild)


def prepare_schema(connection: Connection, *, rebuild: bool = False) -> bool:
    """`ensure_schema` inside the caller's transaction; True if it created the tables.

    Tables created in the caller's transaction are seen by no one else until it commits,
    which lets a loader fill them before building their indexes (`seeds.bulk`).
    """
    version = schema_state(connection)
    if rebuild:
        _drop(connection)
        version = None
    elif version is not None and version != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"the database was built with schema version {version}, this eventql uses "
            f"{SCHEMA_VERSION}: run `eventql seed --rebuild` with all your seed files"
        )
    if version is not None:
        return False
    SQLModel.metadata.create_all(connection)
    search.create_index(connection)
    connection.execute(
        text(f"CREATE TABLE IF NOT EXISTS {_META_TABLE} (key VARCHAR(50) PRIMARY KEY, value TEXT)")
    )
    connection.execute(
        text(f"INSERT INTO {_META_TABLE} (key, value) VALUES ('schema_version', :v)"),
        {"v": SCHEMA_VERSION},
    )
    return True


def drop_schema(engine: Engine) -> None:
    """Drop every eventql table (data included)."""
    with engine.begin() as connection:
        _drop(connection)


def _drop(connection: Connection) -> None:
    search.drop_index(connection)
    SQLModel.metadata.drop_all(connection)
    connection.execute(text(f"DROP TABLE IF EXISTS {_META_TABLE}"))
