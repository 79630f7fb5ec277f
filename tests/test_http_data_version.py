"""The data version over HTTP: `EventQL-Data-Version` on every /graphql answer, and
`EventQL-Min-Version` asking for at least a version."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.api_support import load, world
from tests.data_versions import add_version, data_version
from tests.harness import app_client, make_app

QUERY = "{ datasets { name } }"


async def test_every_answer_says_its_data_version(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, world())
    expected = data_version(database_url)
    async with app_client(make_app(database_url)) as client:
        posted = await client.post("/graphql", json={"query": QUERY})
        got = await client.get("/graphql", params={"query": QUERY})
        unmodified = await client.get(
            "/graphql", params={"query": QUERY}, headers={"if-none-match": got.headers["etag"]}
        )
    assert posted.status_code == got.status_code == 200
    assert unmodified.status_code == 304
    for response in (posted, got, unmodified):
        assert response.headers["eventql-data-version"] == str(expected)


async def test_a_client_asking_for_a_newer_version_gets_it_at_once(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    # Polled every minute: only the client's minimum can make the server look again now.
    async with app_client(make_app(database_url, data_version_poll_s=60)) as client:
        newer = data_version(database_url) + 1000
        add_version(database_url, newer)
        before = await client.post("/graphql", json={"query": QUERY})
        asked = await client.post(
            "/graphql", json={"query": QUERY}, headers={"eventql-min-version": str(newer)}
        )
        after = await client.post("/graphql", json={"query": QUERY})
    assert int(before.headers["eventql-data-version"]) < newer
    assert asked.headers["eventql-data-version"] == str(newer)
    # Never back: the server remembers the newest version it has handed out.
    assert after.headers["eventql-data-version"] == str(newer)


async def test_the_server_learns_of_a_new_version_by_itself(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with app_client(make_app(database_url, data_version_poll_s=0.05)) as client:
        newer = data_version(database_url) + 1000
        add_version(database_url, newer)
        deadline = time.monotonic() + 60
        while True:
            response = await client.post("/graphql", json={"query": QUERY})
            if response.headers["eventql-data-version"] == str(newer):
                break
            assert time.monotonic() < deadline, "the server never read the new version"
            await asyncio.sleep(0.05)


async def test_a_version_from_the_future_is_answered_from_the_newest_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with app_client(make_app(database_url)) as client:
        response = await client.post(
            "/graphql", json={"query": QUERY}, headers={"eventql-min-version": str(2**63 - 1)}
        )
    assert response.status_code == 200
    assert response.json()["data"]["datasets"] == [{"name": "testland"}]
    assert response.headers["eventql-data-version"] == str(data_version(database_url))


async def test_a_malformed_min_version_is_a_bad_request(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    async with app_client(make_app(sqlite_url)) as client:
        answers = [
            await client.post(
                "/graphql", json={"query": QUERY}, headers={"eventql-min-version": value}
            )
            for value in ("-1", "seven", "1.5", str(2**63), "")
        ]
    for response in answers:
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert error["message"].startswith("EventQL-Min-Version must be a data version")


async def test_readiness_reports_the_data_version(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, world())
    add_version(database_url, data_version(database_url) + 7)
    async with app_client(make_app(database_url)) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"]["version"] == data_version(database_url)
    assert "replicas" not in ready.json()
