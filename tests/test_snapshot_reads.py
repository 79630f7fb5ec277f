"""Reseeds while serving: a request sees one version of the data, the next sees the new one.

The reseed is made to commit between two statements of one request (from a hook on the first
statement), so these tests do not depend on timing: without a per-request snapshot, the
request's later statements would read the new rows.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from gql.http.app import create_app
from gql.settings import Settings
from tests.api_support import load
from tests.load import versioned_world

QUERY = """{ events(first: 10, orderBy: [{field: DATE}]) { totalCount
  nodes { title participants { actor { name } } figures(first: 2) { nodes { raw } } } } }"""
GET_QUERY = "{ events(first: 3) { nodes { title } } }"
N_EVENTS = 12


@asynccontextmanager
async def _serving(url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = create_app(Settings(database_url=url, seed_on_empty=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, app.state.db.engine.sync_engine


def _versions(body: bytes) -> set[int]:
    return {int(tag) for tag in re.findall(rb"\[v(\d+)\]", body)}


async def test_snapshot_request_sees_one_version_when_a_reseed_commits_midway(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with _serving(database_url) as (client, engine):
        reseeded: list[bool] = []

        def reseed_after_first_statement(*_args: Any) -> None:
            if not reseeded:
                reseeded.append(True)
                load(database_url, tmp_path, versioned_world(2, N_EVENTS))

        event.listen(engine, "after_cursor_execute", reseed_after_first_statement)
        response = await client.post("/graphql", json={"query": QUERY})
        event.remove(engine, "after_cursor_execute", reseed_after_first_statement)
    assert reseeded
    assert response.status_code == 200 and b'"errors"' not in response.content
    assert _versions(response.content) == {1}


async def test_snapshot_next_request_sees_the_reseeded_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with _serving(database_url) as (client, _engine):
        before = await client.post("/graphql", json={"query": QUERY})
        load(database_url, tmp_path, versioned_world(2, N_EVENTS))
        after = await client.post("/graphql", json={"query": QUERY})
    assert _versions(before.content) == {1}
    assert _versions(after.content) == {2}


async def test_etag_changes_when_a_reseed_changes_the_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with _serving(database_url) as (client, _engine):
        first = await client.get("/graphql", params={"query": GET_QUERY})
        tag = first.headers["etag"]
        load(database_url, tmp_path, versioned_world(2, N_EVENTS))
        again = await client.get(
            "/graphql", params={"query": GET_QUERY}, headers={"if-none-match": tag}
        )
    assert again.status_code == 200
    assert again.headers["etag"] != tag
    assert _versions(again.content) == {2}


async def test_etag_stays_when_a_reseed_loads_the_same_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with _serving(database_url) as (client, _engine):
        first = await client.get("/graphql", params={"query": GET_QUERY})
        tag = first.headers["etag"]
        load(database_url, tmp_path, versioned_world(1, N_EVENTS))
        again = await client.get(
            "/graphql", params={"query": GET_QUERY}, headers={"if-none-match": tag}
        )
    assert again.status_code == 304
