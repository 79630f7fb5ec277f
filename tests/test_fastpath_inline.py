"""JSON written by the database: nested selections become one column of their parent's rows.

The reference query of the benchmark (events with their participants and figures) runs as a
single SQL statement on both databases, and every kind of value the database writes — enum
names, global IDs, booleans, JSON columns, value objects, to-one records that may be missing,
lists, first pages with filters, orderings and counts, empty relations — is the same answer
the general executor gives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_support import bulk_world, load, world
from tests.harness import app_client, counting_statements, make_app

REFERENCE = """query($type: EventType!) {
  events(first: 50, filter: {type: {equalTo: $type}}, orderBy: [{field: DATE}]) {
    nodes {
      slug title startDate
      participants { role actor { name } }
      figures { nodes { kind value } }
    }
  }
}"""

#: Queries whose nested selections the database writes, each covering other kinds of value.
INLINE_QUERIES = [
    """{ events(first: 20, orderBy: [{field: TITLE, direction: DESC}]) { nodes {
        slug
        participants { __typename role note actor { id name kind aliasOf: name
          countryCode codes parent { id slug } dataset { name } } }
        figures(first: 3) { __typename totalCount nodes { id kind status value lower upper
          qualifier raw asOf { start end precision note } claimant { name title }
          statement { slug directQuote mode date { start end precision } } } }
        statements(first: 2, orderBy: [{field: KIND}]) { totalCount nodes {
          slug text kind speaker { name } evidence { text start end locator } } }
        links { kind target { slug title type subType date { start end precision } } }
    } } }""",
    """{ actors(first: 30) { nodes { slug
        reportedFigures(first: 5, filter: {kind: {equalTo: ARRESTED}}) { totalCount
          nodes { slug value event { slug location { place admin1 countryCode latitude } } } }
        statements(first: 5) { nodes { slug aboutEvents(first: 5) { slug } aboutActors { name } } }
        participations(first: 2) { nodes { role event { slug title } } }
    } } }""",
    """query { statements(first: 10) { nodes { slug
        figures { slug kind claimant { id } }
        aboutEvents(first: 3) { id title participants { actor { name } } }
        ...About } } }
      fragment About on Statement { speaker { name children(first: 1) { totalCount } } }""",
    """{ events(first: 30) { nodes { slug
        participants(first: 1) { role actor { name } }
        links(first: 0) { kind }
        figures(first: 2) { nodes { slug parts(first: 1) { slug value } } }
        statements(first: 1) { nodes { aboutEvents(first: 1) { slug }
          aboutActors(first: 2) { name } figures(first: 1) { slug } } }
    } } }""",
]


@asynccontextmanager
async def twins(url: str, folder: Path, *seeds: dict[str, Any]) -> AsyncIterator[Any]:
    """(fast client, general client, statement counter) over one database."""
    load(url, folder, *seeds)
    fast = make_app(url, fast_path=True)
    general = make_app(url, fast_path=False)
    async with app_client(fast) as fast_client, app_client(general) as general_client:
        with counting_statements(fast) as statements:
            yield fast_client, general_client, statements, fast.state.graphql.fast_path


async def _post(client: httpx.AsyncClient, query: str, variables: Any = None) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    return response.json()


async def test_reference_query_is_one_statement(database_url: str, tmp_path: Path) -> None:
    async with twins(database_url, tmp_path, world(), bulk_world(80)) as (fast, general, n, path):
        variables = {"type": "PROTESTS"}
        await _post(fast, REFERENCE, variables)  # warm up: connection set-up statements
        before, served = n[0], path.served
        answer = await _post(fast, REFERENCE, variables)
        assert path.served == served + 1, "the general executor answered"
        assert n[0] - before == 1
        assert answer == await _post(general, REFERENCE, variables)
        nodes = answer["data"]["events"]["nodes"]
        assert nodes and any(node["participants"] for node in nodes)


@pytest.mark.parametrize(
    "query", INLINE_QUERIES, ids=["events", "actors", "statements", "list-firsts"]
)
async def test_database_written_json_is_what_the_general_executor_answers(
    database_url: str, tmp_path: Path, query: str
) -> None:
    async with twins(database_url, tmp_path, world(), bulk_world(30)) as (fast, general, n, path):
        served = path.served
        answer = await _post(fast, query)
        assert path.served == served + 1, "the general executor answered"
        assert "errors" not in answer, answer
        assert answer == await _post(general, query)


LIST_FIRST = """query($n: Int) { events(first: 20, orderBy: [{field: SLUG}]) { nodes { slug
    participants(first: $n) { role actor { name } }
    figures(first: 2) { nodes { parts(first: $n) { slug } } }
} } }"""


async def test_list_first_from_a_variable_is_cut_by_the_fast_path(
    database_url: str, tmp_path: Path
) -> None:
    async with twins(database_url, tmp_path, world(), bulk_world(30)) as (fast, general, n, path):
        for size in (None, 0, 1, 2):
            served = path.served
            answer = await _post(fast, LIST_FIRST, {"n": size})
            assert path.served == served + 1, "the general executor answered"
            assert answer == await _post(general, LIST_FIRST, {"n": size})
            nodes = answer["data"]["events"]["nodes"]
            if size is not None:
                assert all(len(node["participants"]) <= size for node in nodes)
            longest = 2 if size is None else min(2, size)
            assert max(len(node["participants"]) for node in nodes) == longest
