"""Automatic persisted queries in Apollo's protocol: hash only, PersistedQueryNotFound, retry."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from gql.http.persisted_queries import PersistedQueryStore
from tests.api_support import open_api, world

QUERY = "{ events(first: 20, orderBy: [{field: SLUG}]) { totalCount nodes { slug } } }"


def persisted(query: str, *, version: int = 1) -> dict[str, Any]:
    """The `extensions` of an APQ request for `query`."""
    sha = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


async def test_unknown_hash_is_persisted_query_not_found(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post("/graphql", json={"extensions": persisted(QUERY)})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert "no-cache" in response.headers["cache-control"]


async def test_hash_with_its_query_registers_it(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        full = await api.client.post(
            "/graphql", json={"query": QUERY, "extensions": persisted(QUERY)}
        )
        hash_only = await api.client.post("/graphql", json={"extensions": persisted(QUERY)})
    assert full.status_code == hash_only.status_code == 200
    assert "errors" not in full.json()
    assert hash_only.json() == full.json()
    assert full.json()["data"]["events"]["totalCount"] > 0


async def test_registered_hash_runs_over_get(database_url: str, tmp_path: Path) -> None:
    extensions = orjson.dumps(persisted(QUERY)).decode()
    async with open_api(database_url, tmp_path, world()) as api:
        missing = await api.client.get("/graphql", params={"extensions": extensions})
        await api.client.get("/graphql", params={"query": QUERY, "extensions": extensions})
        found = await api.client.get("/graphql", params={"extensions": extensions})
    assert missing.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert found.status_code == 200
    assert found.json()["data"]["events"]["totalCount"] > 0
    assert "etag" in found.headers  # hash-only GETs are cacheable like any GET query


async def test_hash_that_does_not_match_the_query_is_refused(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", json={"query": QUERY, "extensions": persisted("{ datasets { name } }")}
        )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == "provided sha does not match query"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_unsupported_persisted_query_version_is_refused(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", json={"query": QUERY, "extensions": persisted(QUERY, version=2)}
        )
    assert response.status_code == 400
    assert "version" in response.json()["errors"][0]["message"]


async def test_not_found_uses_the_accepted_media_type(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql",
            json={"extensions": persisted(QUERY)},
            headers={"accept": "application/graphql-response+json"},
        )
    assert response.headers["content-type"].startswith("application/graphql-response+json")


def test_store_drops_the_least_recently_used_query() -> None:
    store = PersistedQueryStore(max_entries=2)
    store.put("a" * 64, "{ a }")
    store.put("b" * 64, "{ b }")
    assert store.get("a" * 64) == "{ a }"  # now b is the least recently used
    store.put("c" * 64, "{ c }")
    assert store.get("b" * 64) is None
    assert store.get("a" * 64) == "{ a }"
    assert len(store) == 2


def test_store_is_bounded_by_total_size() -> None:
    store = PersistedQueryStore(max_entries=100, max_bytes=10)
    store.put("a" * 64, "{ aaaa }")
    store.put("b" * 64, "{ bbbb }")
    assert store.get("a" * 64) is None
    assert store.get("b" * 64) == "{ bbbb }"
