"""Persisted queries are shared by every worker and host: the `persistedquery` table.

Each app here is a process of its own as far as the store goes (its own LRU), over one
database, as two workers or two hosts are.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from schema.db import create_sync_engine
from schema.persisted import PersistedQuery
from tests.api_support import load
from tests.api_support import world as small_world
from tests.harness import app_client, make_app

QUERY = "{ events(first: 5, orderBy: [{field: SLUG}]) { nodes { slug } } }"


def persisted(query: str) -> dict[str, Any]:
    """The `extensions` of an APQ request for `query`."""
    sha = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def stored_hashes(url: str) -> set[str]:
    """The hashes the table holds."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            table = PersistedQuery.__table__  # type: ignore[attr-defined]
            return set(connection.execute(select(table.c.sha256)).scalars())
    finally:
        engine.dispose()


async def test_a_query_registered_with_one_app_runs_by_hash_on_another(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, small_world())
    one, other = make_app(database_url), make_app(database_url)
    async with app_client(one) as first, app_client(other) as second:
        before = await second.post("/graphql", json={"extensions": persisted(QUERY)})
        registered = await first.post(
            "/graphql", json={"query": QUERY, "extensions": persisted(QUERY)}
        )
        by_hash = await second.post("/graphql", json={"extensions": persisted(QUERY)})
    assert before.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "errors" not in registered.json()
    assert by_hash.status_code == 200
    assert by_hash.json() == registered.json()


async def test_a_reseed_leaves_persisted_queries_alone(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, small_world())
    async with app_client(make_app(database_url)) as client:
        await client.post("/graphql", json={"query": QUERY, "extensions": persisted(QUERY)})
    load(database_url, tmp_path, small_world(), small_world("elsewhere"))
    async with app_client(make_app(database_url)) as client:
        by_hash = await client.get(
            "/graphql", params={"extensions": orjson.dumps(persisted(QUERY)).decode()}
        )
    assert by_hash.status_code == 200
    assert by_hash.json()["data"]["events"]["nodes"]


async def test_the_table_keeps_the_newest_queries_up_to_its_bound(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, small_world())
    queries = [f"{{ events(first: {n}) {{ nodes {{ slug }} }} }}" for n in (1, 2, 3)]
    async with app_client(make_app(database_url, max_persisted_queries=2)) as client:
        for query in queries:
            response = await client.post(
                "/graphql", json={"query": query, "extensions": persisted(query)}
            )
            assert "errors" not in response.json()
    assert stored_hashes(database_url) == {
        hashlib.sha256(q.encode()).hexdigest() for q in queries[1:]
    }
    async with app_client(make_app(database_url, max_persisted_queries=2)) as client:
        oldest = await client.post("/graphql", json={"extensions": persisted(queries[0])})
        newest = await client.post("/graphql", json={"extensions": persisted(queries[2])})
    assert oldest.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert newest.json()["data"]["events"]["nodes"]


async def test_a_mismatched_hash_is_never_stored(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, small_world())
    async with app_client(make_app(database_url)) as client:
        response = await client.post(
            "/graphql", json={"query": QUERY, "extensions": persisted(QUERY + " ")}
        )
    assert response.status_code == 400
    assert stored_hashes(database_url) == set()
