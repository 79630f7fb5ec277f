"""GET queries carry an ETag derived from the data version; a matching If-None-Match is a 304."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api_support import load, open_api, world

QUERY = "{ events(first: 20, orderBy: [{field: SLUG}]) { nodes { slug title } } }"


def get(query: str = QUERY, **params: str) -> dict[str, str]:
    """Query-string parameters of a GET request."""
    return {"query": query, **params}


def renamed(seed: dict[str, Any], title: str) -> dict[str, Any]:
    """`seed` with its first event retitled: the same dataset with different content."""
    events = [dict(seed["events"][0], title=title), *seed["events"][1:]]
    return {**seed, "events": events}


async def test_get_query_has_an_etag(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.get("/graphql", params=get())
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"] == "no-cache"
    assert "Accept" in response.headers["vary"]


async def test_get_with_matching_if_none_match_is_304(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        first = await api.client.get("/graphql", params=get())
        statements = api.statements
        again = await api.client.get(
            "/graphql", params=get(), headers={"if-none-match": first.headers["etag"]}
        )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    # Only the data version was read: the query itself did not run.
    assert api.statements - statements == 1


async def test_etag_changes_when_the_data_is_reseeded(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        before = await api.client.get("/graphql", params=get())
        (tmp_path / "reseed").mkdir()
        load(database_url, tmp_path / "reseed", renamed(world(), "Riots in Almaty, retitled"))
        after = await api.client.get(
            "/graphql", params=get(), headers={"if-none-match": before.headers["etag"]}
        )
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert "Riots in Almaty, retitled" in after.text


async def test_etag_survives_a_reseed_with_the_same_data(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        before = await api.client.get("/graphql", params=get())
        (tmp_path / "reseed").mkdir()
        load(database_url, tmp_path / "reseed", world())
        after = await api.client.get(
            "/graphql", params=get(), headers={"if-none-match": before.headers["etag"]}
        )
    assert after.status_code == 304


async def test_etag_differs_by_variables(sqlite_url: str, tmp_path: Path) -> None:
    query = "query ($n: Int) { events(first: $n) { nodes { slug } } }"
    async with open_api(sqlite_url, tmp_path, world()) as api:
        one = await api.client.get("/graphql", params=get(query, variables='{"n": 1}'))
        two = await api.client.get("/graphql", params=get(query, variables='{"n": 2}'))
    assert one.headers["etag"] != two.headers["etag"]


async def test_etag_differs_by_accepted_media_type(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        json = await api.client.get(
            "/graphql", params=get(), headers={"accept": "application/json"}
        )
        graphql_json = await api.client.get(
            "/graphql", params=get(), headers={"accept": "application/graphql-response+json"}
        )
    assert json.headers["etag"] != graphql_json.headers["etag"]


async def test_post_has_no_etag(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    assert "etag" not in response.headers


async def test_response_with_errors_has_no_etag(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get(
            "/graphql", params=get("{ events(first: 1000) { totalCount } }")
        )
    assert "errors" in response.json()
    assert "etag" not in response.headers


async def test_if_none_match_star_is_304_only_for_a_query_that_succeeds(
    database_url: str, tmp_path: Path
) -> None:
    star = {"if-none-match": "*"}
    async with open_api(database_url, tmp_path, world()) as api:
        valid = await api.client.get("/graphql", params=get(), headers=star)
        invalid = await api.client.get("/graphql", params=get("{ noSuchField }"), headers=star)
        refused = await api.client.get(
            "/graphql", params=get("{ events(first: 1000) { totalCount } }"), headers=star
        )
    assert valid.status_code == 304
    assert valid.headers["etag"].startswith('"')
    assert invalid.status_code == 200 and "errors" in invalid.json()
    assert refused.status_code == 200 and "errors" in refused.json()
    assert "etag" not in invalid.headers and "etag" not in refused.headers


async def test_head_is_answered_as_get_without_a_body(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        got = await api.client.get("/graphql", params=get())
        head = await api.client.head("/graphql", params=get())
        matched = await api.client.head(
            "/graphql", params=get(), headers={"if-none-match": got.headers["etag"]}
        )
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["etag"] == got.headers["etag"]
    assert matched.status_code == 304
