"""SQL statements per request depend on the shape of the query, never on the page sizes.

On both executors: the fast path (one statement per field that loads rows, or none of its
own when the database writes the JSON) and the general executor (one DataLoader batch per
field, for all parents at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_support import bulk_world, load
from tests.harness import app_client, counting_statements, make_app

NESTED = """query($n: Int!) {
  events(first: $n) {
    totalCount
    pageInfo { endCursor }
    nodes {
      title
      location { place }
      participants(first: 3) { role actor { name parent { name } } }
      figures(first: $n) {
        totalCount
        nodes { best claimant { name } partOf { slug } parts(first: 1) { slug } statement { slug } }
        AGGREGATES
      }
      statements(first: $n) { nodes { text speaker { name } aboutEvents(first: 1) { slug } } }
      links(first: 2) { kind }
    }
  }
}"""
#: Aggregates are the general executor's alone (the fast path declines them).
AGGREGATES = "aggregates { totals(first: 1) { best figures(first: 1) { slug } } }"
TWO_LEVELS = """query($n: Int!) { actors(first: $n) { nodes {
  statements(first: $n) { nodes { aboutEvents(first: 1) { slug
    figures(first: $n) { nodes { slug } } } } } } } }"""
EXECUTORS = pytest.mark.parametrize("fast_path", [True, False], ids=["fast-path", "general"])


async def _statements(
    client: httpx.AsyncClient, counter: list[int], query: str, n: int
) -> tuple[int, Any]:
    before = counter[0]
    response = await client.post("/graphql", json={"query": query, "variables": {"n": n}})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return counter[0] - before, body["data"]


@EXECUTORS
async def test_statement_count_is_the_same_for_5_and_100_records(
    database_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(database_url, tmp_path, bulk_world(120))
    query = NESTED.replace("AGGREGATES", "" if fast_path else AGGREGATES)
    app = make_app(database_url, fast_path=fast_path)
    async with app_client(app) as client:
        with counting_statements(app) as counter:
            await _statements(client, counter, query, 1)  # warm up: connections, dialect
            small, _ = await _statements(client, counter, query, 5)
            served = app.state.graphql.fast_path.served if fast_path else 0
            large, data = await _statements(client, counter, query, 100)
            if fast_path:
                assert app.state.graphql.fast_path.served == served + 1, "the fast path declined"
    assert len(data["events"]["nodes"]) == 100
    assert small == large
    # one statement per field that loads data, not per record
    assert large <= (15 if fast_path else 20), large


@EXECUTORS
async def test_two_levels_of_nested_pages_are_one_statement_each(
    database_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(database_url, tmp_path, bulk_world(60))
    app = make_app(database_url, fast_path=fast_path)
    async with app_client(app) as client:
        with counting_statements(app) as counter:
            await _statements(client, counter, TWO_LEVELS, 1)
            small, _ = await _statements(client, counter, TWO_LEVELS, 2)
            large, _ = await _statements(client, counter, TWO_LEVELS, 30)
    assert small == large
