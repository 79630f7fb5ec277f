"""The test harness every suite shares: the app in-process with an HTTP client, scratch
PostgreSQL databases, dataset content hashes, and SQL statement counting.

One implementation of each, so a fix (a lifespan detail, a database drop that must wait)
is made once. `tests.api_support.open_api` builds its differential clients from these.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, event, make_url, select, text
from starlette.applications import Starlette

from gql.http.app import create_app
from gql.settings import Settings
from schema.core import DATASET
from schema.db import create_sync_engine
from seeds import bundled_seed_paths, load_seeds

__all__ = [
    "app_client",
    "counting_statements",
    "dataset_hashes",
    "make_app",
    "scratch_postgres",
]


def load_bundled(url: str) -> None:
    """Load the bundled seed (the Kazakhstan report) into the database at `url`."""
    engine = create_sync_engine(url)
    try:
        load_seeds(bundled_seed_paths(), engine=engine)
    finally:
        engine.dispose()


def make_app(url: str, **settings: Any) -> Starlette:
    """The app over `url` as tests configure it: nothing seeded on an empty database."""
    return create_app(Settings(database_url=url, seed_on_empty=False, **settings))


@asynccontextmanager
async def app_client(
    app: Starlette, *, timeout: float | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for `app` in-process (httpx's ASGI transport), within its lifespan."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        options: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", **options
        ) as client:
            yield client


@contextmanager
def counting_statements(app: Starlette) -> Iterator[list[int]]:
    """Count the SQL statements `app` runs: `[n]`, updated as they run."""
    engine = app.state.db.engine.sync_engine
    counter = [0]

    def count(*_args: Any) -> None:
        counter[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def scratch_postgres(
    server_url: str,
    *,
    prefix: str = "eventql_test",
    before_drop: Callable[[str], object] | None = None,
) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of `server_url`, dropped afterwards.

    `before_drop(url)` runs first when given (e.g. to wait for backends that ignore being
    terminated, which would otherwise fail the drop).
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            if before_drop is not None:
                before_drop(url)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def dataset_hashes(database: str | Engine) -> dict[str, str]:
    """Each dataset's content hash (a hash of every row it owns), by dataset name."""
    engine = create_sync_engine(database) if isinstance(database, str) else database
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(DATASET.c.name, DATASET.c.content_hash))
            return {row.name: row.content_hash for row in rows}
    finally:
        if isinstance(database, str):
            engine.dispose()
