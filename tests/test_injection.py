"""Hostile strings through every string filter and search argument: answered with data or a
clear error, never an unexpected error, a leak of internals, or a change to the data.

Every `StringFilter` field of every filter input type is reached from a root connection (a
nested type such as `ParticipationFilter` through a relation filter), and given every
hostile string under every text operator at once.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type

from gql.schema import build_schema
from gql.settings import Settings
from tests.api_support import load, world
from tests.fault_support import assert_no_internals, error_of, serving

#: SQL, LIKE, FTS5 and tsquery syntax, quoting, Unicode oddities, long text.
HOSTILE = [
    "'; DROP TABLE event; --",
    '" OR 1=1 --',
    "') OR ('1'='1",
    "%",
    "_",
    "\\",
    "%_\\'\"`;",
    "NEAR(almaty riots, 2)",
    '"unterminated',
    "almaty*",
    "body:almaty",
    "title:riots OR 1",
    "AND OR NOT",
    "^almaty",
    "(((",
    "-almaty",
    "almaty:* & !riots | <-> <2>",
    '{"$gt": ""}',
    "\u202eevil\u200b\ufeff",
    "Алматы 阿拉木图 🔥",
    "x" * 10_000,
]
NUL = "almaty\x00riots"
SEARCH_REFUSALS = ("a search needs at least one word", "nothing to search for", "search too long")
TEXT_OPERATORS = (
    "equalTo",
    "notEqualTo",
    "lessThan",
    "greaterThanOrEqualTo",
    "includesInsensitive",
    "startsWith",
)
COUNTS = "{ events { totalCount } actors { totalCount } statements { totalCount } }"
SEARCH = """query($s: String!) {
  events(search: $s) { totalCount nodes { title } }
  actors(search: $s) { totalCount }
  statements(search: $s) { totalCount }
  figures(search: $s) { totalCount }
  sources(search: $s) { totalCount }
  event(slug: $s) { title }
  actor(slug: $s) { name }
  dataset(name: $s) { name }
}"""


def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def _roots(schema: GraphQLSchema) -> dict[str, GraphQLInputObjectType]:
    """Root connection field → its filter input type."""
    roots = {}
    assert schema.query_type is not None
    for name, field in schema.query_type.fields.items():
        argument = field.args.get("filter")
        if argument is not None:
            named = get_named_type(argument.type)
            assert isinstance(named, GraphQLInputObjectType)
            roots[name] = named
    return roots


def string_filters() -> list[tuple[str, str, list[str]]]:
    """(root connection, filter type, path of field names to a string field) for every
    `StringFilter` field of every filter type reachable from a root connection."""
    schema = _schema()
    found: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for root, filter_type in _roots(schema).items():
        queue: deque[tuple[GraphQLInputObjectType, list[str]]] = deque([(filter_type, [])])
        seen = {filter_type.name}
        while queue:
            current, path = queue.popleft()
            for name, field in current.fields.items():
                named = get_named_type(field.type)
                if named.name == "StringFilter":
                    found.setdefault((current.name, name), (root, [*path, name]))
                elif (
                    isinstance(named, GraphQLInputObjectType)
                    and named.name.endswith("Filter")
                    and named.name not in seen
                    and name not in ("and", "or", "not")
                ):
                    seen.add(named.name)
                    queue.append((named, [*path, name]))
    return [(root, type_name, path) for (type_name, _), (root, path) in sorted(found.items())]


def _nest(path: list[str], condition: dict[str, Any]) -> dict[str, Any]:
    for name in reversed(path):
        condition = {name: condition}
    return condition


def _filter(path: list[str], values: list[str]) -> dict[str, Any]:
    """One filter trying every value under every text operator (and `in`) on one field."""
    conditions = [_nest(path, {op: value}) for op in TEXT_OPERATORS for value in values]
    conditions.append(_nest(path, {"in": values, "notIn": values[:3]}))
    return {"or": conditions}


def _check(response: httpx.Response) -> dict[str, Any]:
    """Data or a clear error: a 200, nothing masked, nothing internal."""
    assert response.status_code == 200, response.text[:500]
    assert_no_internals(response.text)
    body: dict[str, Any] = response.json()
    for error in body.get("errors", []):
        assert error["message"] != "Unexpected error.", body
    return body


FILTERS = string_filters()


def test_string_filters_found_in_every_filter_type() -> None:
    types = {type_name for _, type_name, _ in FILTERS}
    assert {"EventFilter", "ActorFilter", "StatementFilter", "FigureFilter"} <= types
    assert {"SourceFilter", "ParticipationFilter"} <= types


async def test_hostile_strings_in_every_string_filter_are_answered_with_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    roots = _roots(_schema())
    # A relation path repeats its relation once per condition: over `max_filter_relations`.
    async with serving(database_url, max_filter_relations=10_000) as client:
        before = await client.post("/graphql", json={"query": COUNTS})
        for root, _type_name, path in FILTERS:
            query = f"query($f: {roots[root].name}) {{ {root}(filter: $f) {{ totalCount }} }}"
            response = await client.post(
                "/graphql", json={"query": query, "variables": {"f": _filter(path, HOSTILE)}}
            )
            assert "errors" not in _check(response), (root, path)
            with_nul = await client.post(
                "/graphql", json={"query": query, "variables": {"f": _filter(path, [NUL])}}
            )
            errors = _check(with_nul).get("errors", [])
            assert errors and all(
                error["message"].endswith("text must not contain the NUL character (\\u0000)")
                for error in errors
            ), (root, path)
        after = await client.post("/graphql", json={"query": COUNTS})
    assert before.json() == after.json()


async def test_hostile_strings_in_search_and_lookups_are_answered_with_data(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        for value in HOSTILE:
            response = await client.post(
                "/graphql", json={"query": SEARCH, "variables": {"s": value}}
            )
            body = _check(response)
            errors = body.get("errors", [])
            # The search syntax refuses a search with nothing to look for (only -exclusions or
            # only common words) or over its length limit: a clear error, not a failure.
            assert all(error["message"].startswith(SEARCH_REFUSALS) for error in errors), errors
            if not errors:
                assert body["data"]["event"] is None


async def test_nul_in_search_and_lookups_is_answered_with_data_or_a_clear_error(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        response = await client.post("/graphql", json={"query": SEARCH, "variables": {"s": NUL}})
    for error in _check(response).get("errors", []):
        assert error["message"].startswith("invalid input: ")


async def test_megabyte_string_is_refused_by_the_body_limit(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        response = await client.post(
            "/graphql", json={"query": SEARCH, "variables": {"s": "almaty " * 150_000}}
        )
    assert response.status_code == 413
    assert "max_body_bytes" in response.json()["errors"][0]["message"]


async def test_megabyte_strings_under_a_raised_body_limit_are_answered(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    huge = "almaty " * 150_000
    query = "query($f: EventFilter) { events(filter: $f) { totalCount } }"
    async with serving(database_url, max_body_bytes=8_000_000) as client:
        search = await client.post("/graphql", json={"query": SEARCH, "variables": {"s": huge}})
        filtered = await client.post(
            "/graphql",
            json={
                "query": query,
                "variables": {
                    "f": {
                        "or": [
                            {"title": {"includesInsensitive": huge}},
                            {"description": {"equalTo": huge}},
                        ]
                    }
                },
            },
        )
    _check(search)
    _check(filtered)


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ datasets { name } }", "x": "\xff\xfe"}',
        b'{"query": "{ dataset(name: \\"\xc3\\") { name } }"}',
        b'{"query": "{ datasets { name } }", "x": "\\ud800"}',
        b'{"query": "{ datasets { name } }\x00"}',
        b"\x00\x01\x02",
    ],
    ids=["invalid-utf8", "truncated-utf8", "lone-surrogate", "raw-nul", "binary"],
)
async def test_invalid_utf8_and_binary_bodies_get_a_400(
    database_url: str, tmp_path: Path, body: bytes
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    assert 400 <= response.status_code < 500, response.text
    assert_no_internals(response.text)
    assert response.json()["errors"][0]["message"]


async def test_invalid_utf8_in_a_get_query_is_answered(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        response = await client.get(
            "/graphql?query=%7B%20dataset(name%3A%20%22%FF%FE%22)%20%7B%20name%20%7D%20%7D"
        )
    assert response.status_code < 500
    assert_no_internals(response.text)


async def test_variable_of_the_wrong_type_is_explained_not_masked(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    query = "query($f: EventFilter) { events(filter: $f) { totalCount } }"
    async with serving(database_url) as client:
        response = await client.post("/graphql", json={"query": query, "variables": {"f": []}})
    assert error_of(response)["message"] == (
        "Variable '$f' has invalid value: Expected value of type 'EventFilter' to be an object, "
        "found: []."
    )
