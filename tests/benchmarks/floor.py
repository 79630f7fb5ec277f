"""The raw floor: the reference query's data fetched with plain SQL, serialised with orjson.

A minimal Starlette app on the same drivers and engine settings as the API (SQLAlchemy's
asyncio engine over psycopg 3 or aiosqlite), with no GraphQL at all: it reads the same JSON
body, runs three hand-written statements (the page of events, their participants with actor
names, their figures) and writes the same JSON response the GraphQL query returns, byte for
byte. Whatever eventql spends beyond this is the cost of GraphQL.

    EVENTQL_DATABASE_URL=... uvicorn --factory tests.benchmarks.floor:create_floor_app
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from schema.db import create_async_db_engine

#: The reference query's page size.
PAGE_SIZE = 50


def _statements(dialect: str) -> tuple[TextClause, TextClause, TextClause]:
    # The IDs of the page travel as one parameter, as the API sends them (`Database.any_of`),
    # and figures without an as-of date sort first on both databases, as the API sorts them.
    if dialect == "sqlite":
        among, no_date = "IN (SELECT value FROM json_each(:ids))", "'0001-01-01'"
    else:
        among, no_date = "= ANY(:ids)", "DATE '0001-01-01'"
    events = text(
        "SELECT id, slug, title, start_date FROM event WHERE type = :type "
        "ORDER BY start_date, id LIMIT :size"
    )
    participants = text(
        "SELECT p.event_id, p.role, a.name FROM participation p "
        f"JOIN actor a ON a.id = p.actor_id WHERE p.event_id {among} "
        "ORDER BY p.event_id, a.name, p.actor_id, p.role"
    )
    figures = text(
        f"SELECT event_id, kind, value FROM figure WHERE event_id {among} "
        f"ORDER BY event_id, COALESCE(as_of_start, {no_date}), id"
    )
    return events, participants, figures


def _ids_param(dialect: str, ids: list[int]) -> Any:
    return orjson.dumps(ids).decode() if dialect == "sqlite" else ids


def create_floor_app(database_url: str | None = None) -> Starlette:
    """The floor app: POST `{"variables": {"type": "RIOTS"}}` to `/floor`."""
    url = database_url or os.environ["EVENTQL_DATABASE_URL"]
    engine: AsyncEngine = create_async_db_engine(url, pool_size=20, max_overflow=20)
    dialect = engine.dialect.name
    events_sql, participants_sql, figures_sql = _statements(dialect)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    async def floor(request: Request) -> Response:
        body = orjson.loads(await request.body())
        event_type = str(body["variables"]["type"]).lower()
        async with engine.connect() as connection:
            events = (
                await connection.execute(events_sql, {"type": event_type, "size": PAGE_SIZE})
            ).all()
            ids = _ids_param(dialect, [row[0] for row in events])
            participants = (await connection.execute(participants_sql, {"ids": ids})).all()
            figures = (await connection.execute(figures_sql, {"ids": ids})).all()
        parts: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for event_id, role, name in participants:
            parts[event_id].append({"role": role.upper(), "actor": {"name": name}})
        counts: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for event_id, kind, value in figures:
            counts[event_id].append({"kind": kind.upper(), "value": value})
        nodes = [
            {
                "slug": slug,
                "title": title,
                "startDate": start,
                "participants": parts.get(key, []),
                "figures": {"nodes": counts.get(key, [])},
            }
            for key, slug, title, start in events
        ]
        payload = {"data": {"events": {"nodes": nodes}}}
        return Response(orjson.dumps(payload), media_type="application/json")

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    app = Starlette(
        routes=[Route("/floor", floor, methods=["POST"]), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
    app.state.engine = engine
    return app
