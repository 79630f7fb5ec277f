"""SQL statements per request, counted in-process (the servers under load count nothing)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from gql.http.app import create_app
from gql.settings import Settings
from tests.benchmarks.floor import create_floor_app
from tests.benchmarks.queries import BenchQuery


async def _count(app: Starlette, engine: Any, query: BenchQuery) -> int:
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    transport = httpx.ASGITransport(app=app)
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.post(query.path, content=query.body, headers=headers)  # warm up
        event.listen(engine, "before_cursor_execute", count)
        try:
            response = await client.post(query.path, content=query.body, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    response.raise_for_status()
    return statements


async def _eventql(url: str, fast_path: bool, queries: list[BenchQuery]) -> dict[str, int]:
    app = create_app(Settings(database_url=url, seed_on_empty=False, fast_path=fast_path))
    async with app.router.lifespan_context(app):
        engine = app.state.db.engine.sync_engine
        return {query.name: await _count(app, engine, query) for query in queries}


async def _floor(url: str, query: BenchQuery) -> int:
    app = create_floor_app(url)
    async with app.router.lifespan_context(app):
        engine: AsyncEngine = app.state.engine
        return await _count(app, engine.sync_engine, query)


def count_statements(
    url: str, queries: list[BenchQuery], floor: BenchQuery
) -> dict[tuple[str, str], int]:
    """(query, path) → statements per request, path "general", "fast" or "floor"."""
    counts: dict[tuple[str, str], int] = {}
    for path, fast in (("general", False), ("fast", True)):
        for name, n in asyncio.run(_eventql(url, fast, queries)).items():
            counts[(name, path)] = n
    counts[(floor.name, "floor")] = asyncio.run(_floor(url, floor))
    return counts
