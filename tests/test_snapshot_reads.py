"""Reseeds while serving: a request sees one version of the data, the next sees the new one.

The reseed is made to commit between two statements of one request (from a hook on the first
statement), so these tests do not depend on timing: without a per-request snapshot, the
request's later statements would read the new rows. Every statement of the request returns
data that tells the versions apart — titles and names carry a `[vN]` tag, and version N holds
N more events, so even a bare `count(*)` names its version — and each test runs on both
executors: the fast path reads the page as one statement and its count as another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.api_support import load
from tests.harness import app_client, counting_statements, make_app
from tests.load import versioned_world, versions_in

#: A page with relations and its count, then a second root field: three statements on the
#: fast path, more on the general executor; every one of them reads version-tagged data.
QUERY = """{ events(first: 10, orderBy: [{field: DATE}]) { totalCount
  nodes { title participants { actor { name } } figures(first: 2) { nodes { raw } } } }
  actors(first: 3) { nodes { name } } }"""
GET_QUERY = "{ events(first: 3) { nodes { title } } }"
N_EVENTS = 12
EXECUTORS = pytest.mark.parametrize("fast_path", [True, False], ids=["fast-path", "general"])


def _versions(body: bytes) -> set[int]:
    return versions_in(body, N_EVENTS)


@EXECUTORS
async def test_snapshot_request_sees_one_version_when_a_reseed_commits_midway(
    database_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    app = make_app(database_url, fast_path=fast_path)
    async with app_client(app) as client:
        engine = app.state.db.engine.sync_engine
        reseeded: list[bool] = []

        def reseed_after_first_statement(*_args: Any) -> None:
            if not reseeded:
                reseeded.append(True)
                load(database_url, tmp_path, versioned_world(2, N_EVENTS))

        served = app.state.graphql.fast_path.served if fast_path else 0
        with counting_statements(app) as statements:
            event.listen(engine, "after_cursor_execute", reseed_after_first_statement)
            response = await client.post("/graphql", json={"query": QUERY})
            event.remove(engine, "after_cursor_execute", reseed_after_first_statement)
        if fast_path:
            assert app.state.graphql.fast_path.served == served + 1, "the fast path declined"
        after = await client.post("/graphql", json={"query": QUERY})
    assert reseeded
    assert statements[0] >= 3  # at least two statements read after the reseed committed
    assert response.status_code == 200 and b'"errors"' not in response.content
    assert _versions(response.content) == {1}
    assert _versions(after.content) == {2}  # the reseed did change what the statements read


@EXECUTORS
async def test_snapshot_next_request_sees_the_reseeded_data(
    database_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with app_client(make_app(database_url, fast_path=fast_path)) as client:
        before = await client.post("/graphql", json={"query": QUERY})
        load(database_url, tmp_path, versioned_world(2, N_EVENTS))
        after = await client.post("/graphql", json={"query": QUERY})
    assert _versions(before.content) == {1}
    assert _versions(after.content) == {2}


async def test_etag_changes_when_a_reseed_changes_the_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, versioned_world(1, N_EVENTS))
    async with app_client(make_app(database_url)) as client:
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
    async with app_client(make_app(database_url)) as client:
        first = await client.get("/graphql", params={"query": GET_QUERY})
        tag = first.headers["etag"]
        load(database_url, tmp_path, versioned_world(1, N_EVENTS))
        again = await client.get(
            "/graphql", params={"query": GET_QUERY}, headers={"if-none-match": tag}
        )
    assert again.status_code == 304
