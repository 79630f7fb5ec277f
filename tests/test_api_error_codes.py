"""Every error a client gets carries `extensions.code`, one of the documented `ERROR_CODES`,
with the same code and message from the fast path and the general executor."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, NoReturn

import pytest

from gql.errors import ERROR_CODES
from gql.http.endpoint import GraphQLEndpoint
from gql.types.event import EventType
from tests.api_support import open_api, world
from tests.fault_support import error_of, serving

#: (kind, query, variables, code, message) of GraphQL errors: each is posted to both executors
#: (`open_api` checks that their answers are identical).
GRAPHQL_ERRORS: list[tuple[str, str, dict[str, Any] | None, str, str]] = [
    (
        "parse",
        "{ events { nodes { slug }",
        None,
        "GRAPHQL_PARSE_FAILED",
        "Syntax Error: Expected Name, found <EOF>.",
    ),
    (
        "validation",
        "{ events { nodes { nope } } }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        "Cannot query field 'nope' on type 'Event'. Did you mean 'type'?",
    ),
    (
        "variable of the wrong type",
        "query($n: Int) { events(first: $n) { totalCount } }",
        {"n": "ten"},
        "BAD_USER_INPUT",
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'",
    ),
    (
        "missing variable",
        "query($n: Int!) { events(first: $n) { totalCount } }",
        {},
        "BAD_USER_INPUT",
        "Variable '$n' has invalid value: Expected a value of non-null type 'Int!' to be provided.",
    ),
    (
        "filter that cannot be compiled",
        "query($f: EventFilter) { events(filter: $f) { totalCount } }",
        {"f": {"place": {"includesInsensitive": "a\u0000"}}},
        "BAD_USER_INPUT",
        "filter.place.includesInsensitive: text must not contain the NUL character (\\u0000)",
    ),
    (
        "search over its limit",
        "query($s: String) { events(search: $s) { totalCount } }",
        {"s": " ".join(f"w{i}" for i in range(40))},
        "LIMIT_EXCEEDED",
        "search word limit exceeded: 40 words, at most 32 (words in quotes and after - count too)",
    ),
    (
        "page over its limit",
        "{ events(first: 1000) { totalCount } }",
        None,
        "LIMIT_EXCEEDED",
        "page size limit exceeded: `first` is 1000, but a page holds at most 100 records "
        "(max_page_size); follow `pageInfo.endCursor` for more",
    ),
    (
        "depth over its limit",
        "{ events { nodes { participants { actor { name } } } } }",
        None,
        "LIMIT_EXCEEDED",
        "query depth limit exceeded: selections nest more than 4 levels deep (max_depth)",
    ),
    (
        "invalid ID",
        '{ node(id: "nope") { id } }',
        None,
        "INVALID_ID",
        "'nope' is not a valid ID: use the `id` field of a record",
    ),
    (
        "invalid cursor",
        '{ events(after: "nope") { totalCount } }',
        None,
        "INVALID_CURSOR",
        "invalid cursor: pass a `cursor`, `startCursor` or `endCursor` from this API",
    ),
]


@pytest.mark.parametrize(
    ("kind", "query", "variables", "code", "message"),
    GRAPHQL_ERRORS,
    ids=[case[0] for case in GRAPHQL_ERRORS],
)
async def test_graphql_error_has_its_code_on_both_executors(
    sqlite_url: str,
    tmp_path: Path,
    kind: str,
    query: str,
    variables: dict[str, Any] | None,
    code: str,
    message: str,
) -> None:
    async with open_api(sqlite_url, tmp_path, world(), max_depth=4) as api:
        result = await api.post(query, variables)
    [error] = result["errors"]
    assert (error["extensions"]["code"], error["message"]) == (code, message), kind
    assert code in ERROR_CODES


async def test_error_codes_agree_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    async with open_api(postgres_url, tmp_path, world(), max_depth=4) as api:
        for kind, query, variables, code, message in GRAPHQL_ERRORS:
            [error] = (await api.post(query, variables))["errors"]
            assert (error["extensions"]["code"], error["message"]) == (code, message), kind


#: (kind, request, status, code, message start) of errors in refused HTTP requests.
REQUEST_ERRORS: list[tuple[str, dict[str, Any], int, str, str]] = [
    (
        "malformed JSON",
        {"content": b'{"query": ', "headers": {"content-type": "application/json"}},
        400,
        "BAD_REQUEST",
        "Malformed JSON body: ",
    ),
    (
        "unsupported media type",
        {"content": b"{ datasets { name } }", "headers": {"content-type": "text/plain"}},
        415,
        "BAD_REQUEST",
        "Unsupported content type 'text/plain': send the request as application/json",
    ),
    (
        "unknown operation name",
        {"json": {"query": "query A { datasets { name } }", "operationName": "B"}},
        400,
        "BAD_REQUEST",
        'Unknown operation named "B".',
    ),
    (
        "batch over its limit",
        {"json": [{"query": "{ datasets { name } }"}] * 11},
        400,
        "LIMIT_EXCEEDED",
        "batch limit exceeded: a batch holds 1 to 10 operations (max_batch), this one holds 11",
    ),
    (
        "body over its limit",
        {"json": {"query": "{ datasets { name } }", "variables": {"x": "y" * 1_100_000}}},
        413,
        "LIMIT_EXCEEDED",
        "body size limit exceeded: at most 1000000 bytes (max_body_bytes)",
    ),
    (
        "unknown persisted query",
        {"json": {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}}},
        200,
        "PERSISTED_QUERY_NOT_FOUND",
        "PersistedQueryNotFound",
    ),
]


@pytest.mark.parametrize(
    ("kind", "request_", "status", "code", "message"),
    REQUEST_ERRORS,
    ids=[case[0] for case in REQUEST_ERRORS],
)
async def test_refused_request_has_its_code(
    sqlite_url: str,
    tmp_path: Path,
    kind: str,
    request_: dict[str, Any],
    status: int,
    code: str,
    message: str,
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post("/graphql", **request_)
    error = error_of(response)
    assert response.status_code == status, kind
    assert error["extensions"]["code"] == code
    assert error["message"].startswith(message), error["message"]


async def test_mutation_over_get_has_a_code(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get("/graphql", params={"query": "mutation { x }"})
    assert response.status_code == 405
    assert error_of(response)["extensions"] == {"code": "BAD_REQUEST"}
    assert error_of(response)["message"] == "Only queries may be sent with GET: use POST"


async def test_request_timeout_has_a_code(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def stuck(*_: Any, **__: Any) -> NoReturn:
        await asyncio.sleep(60)
        raise AssertionError("the deadline should have cut this")

    monkeypatch.setattr(GraphQLEndpoint, "_execute", stuck)
    async with open_api(sqlite_url, tmp_path, world(), request_timeout_s=0.2) as api:
        response = await api.client.post("/graphql", json={"query": "{ datasets { name } }"})
    assert response.status_code == 503
    assert error_of(response) == {
        "message": "request timeout: the request took longer than 0.2 s (request_timeout_s)",
        "extensions": {"code": "REQUEST_TIMEOUT"},
    }


async def test_database_unavailable_has_a_code(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no such folder' / 'db.sqlite3'}"
    async with serving(missing) as client:
        response = await client.post("/graphql", json={"query": "{ datasets { name } }"})
    assert response.status_code == 503
    assert error_of(response)["extensions"] == {"code": "DATABASE_UNAVAILABLE"}
    assert error_of(response)["message"] == (
        "database unavailable: the SQLite database file cannot be opened or is read-only; "
        "retry shortly"
    )


async def test_unexpected_error_has_a_code(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cls: type[EventType], row: Any) -> EventType:
        raise RuntimeError("a bug")

    monkeypatch.setattr(EventType, "from_row", classmethod(broken))
    async with open_api(sqlite_url, tmp_path, world(), fast_path=False) as api:
        result = await api.post("{ events { nodes { slug } } }")
    [error] = result["errors"]
    assert (error["message"], error["extensions"]) == (
        "Unexpected error.",
        {"code": "INTERNAL_SERVER_ERROR"},
    )
