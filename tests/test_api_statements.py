"""SQL statements per request depend on the shape of the query, never on the page sizes."""

from __future__ import annotations

from pathlib import Path

from tests.api_support import bulk_world, open_api

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
        aggregates { totals(first: 1) { best figures(first: 1) { slug } } }
      }
      statements(first: $n) { nodes { text speaker { name } aboutEvents(first: 1) { slug } } }
      links(first: 2) { kind }
    }
    aggregates { count byType { count } byActor { actor { name } count } }
  }
}"""


async def test_statement_count_is_the_same_for_5_and_100_records(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, bulk_world(120)) as api:
        await api.data(NESTED, {"n": 1})  # warm up: connections and dialect set-up
        small = await api.count_statements(NESTED, {"n": 5})
        large = await api.count_statements(NESTED, {"n": 100})
        data = await api.data(NESTED, {"n": 100})
    assert len(data["events"]["nodes"]) == 100
    assert small == large
    # one statement per field that loads data, not per record
    assert large <= 20, large


async def test_two_levels_of_nested_pages_are_one_statement_each(
    database_url: str, tmp_path: Path
) -> None:
    query = """query($n: Int!) { actors(first: $n) { nodes {
                 statements(first: $n) { nodes { aboutEvents(first: 1) { slug
                   figures(first: $n) { nodes { slug } } } } } } } }"""
    async with open_api(database_url, tmp_path, bulk_world(60)) as api:
        await api.data(query, {"n": 1})
        small = await api.count_statements(query, {"n": 2})
        large = await api.count_statements(query, {"n": 30})
    assert small == large
