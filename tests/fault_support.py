"""Helpers for fault tests: the app in process, and a database locked by someone else."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import make_url

from tests.harness import app_client, make_app

#: A client timeout far above every server-side limit the tests set: a hang fails the test.
HANG_S = 60.0
TITLES = "{ events(first: 5) { totalCount nodes { title participants { actor { name } } } } }"


@asynccontextmanager
async def serving(url: str, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app over `url` (with its lifespan), built from `settings`."""
    async with app_client(make_app(url, **settings), timeout=HANG_S) as client:
        yield client


@contextmanager
def locked(url: str) -> Iterator[None]:
    """Another client holds the database so that every read of it waits.

    PostgreSQL: an open transaction holding ACCESS EXCLUSIVE locks on the record tables.
    SQLite: a connection in exclusive locking mode with a write under way (even WAL readers
    must wait for that one).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(parsed.database), isolation_level=None)
        try:
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("UPDATE dataset SET title = title")
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        connection.execute(
            "LOCK TABLE event, actor, participation, dataset IN ACCESS EXCLUSIVE MODE"
        )
        try:
            yield
        finally:
            connection.rollback()


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The single error of a failed GraphQL response."""
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    error: dict[str, Any] = errors[0]
    return error


#: What a leak of internals looks like: a traceback, SQLAlchemy's SQL echo, a driver's module
#: name, a path of the installation. (Not words that echoed user input may hold, like SELECT.)
LEAKS = (
    "Traceback",
    'File "/',
    "[SQL:",
    "sqlalchemy.",
    "psycopg.",
    "sqlite3.",
    "site-packages",
    str(Path(__file__).resolve().parent.parent),
)


def assert_no_internals(body: str) -> None:
    """No stack trace, SQL, driver name or file path in a response body."""
    for leak in LEAKS:
        assert leak not in body, f"{leak!r} in {body[:500]}"
