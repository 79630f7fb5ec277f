"""The HTTP layer: a 4xx with a GraphQL-style body for bad requests; unexpected errors masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gql.types.event import EventType
from tests.api_support import open_api, world


def _message(body: dict[str, Any]) -> str:
    assert list(body) == ["errors"], body
    message: str = body["errors"][0]["message"]
    return message


async def test_malformed_json_is_400(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql",
            content=b'{"query": "{ datasets',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400
    assert _message(response.json()).startswith("Malformed JSON body")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing query"),
        ({"query": ""}, "Missing query"),
        ({"query": 42}, "`query` must be a string"),
        ({"query": "{ datasets { name } }", "variables": [1]}, "`variables` must be a JSON object"),
        (
            {"query": "{ datasets { name } }", "operationName": 1},
            "`operationName` must be a string",
        ),
        ("just a string", "The JSON body must be an object"),
    ],
)
async def test_bad_request_parameters_are_400(
    database_url: str, tmp_path: Path, body: Any, message: str
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.post("/graphql", json=body)
    assert response.status_code == 400
    assert _message(response.json()).startswith(message)


async def test_wrong_content_type_is_415(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", content=b"query=%7Bdatasets%7D", headers={"content-type": "text/plain"}
        )
    assert response.status_code == 415
    assert "send the request as application/json" in _message(response.json())


async def test_oversize_body_is_413(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world(), max_body_bytes=2048) as api:
        padding = " " * 3000
        response = await api.client.post(
            "/graphql", json={"query": "{ datasets { name } }" + padding}
        )
    assert response.status_code == 413
    assert "body size limit exceeded: at most 2048 bytes (max_body_bytes)" in _message(
        response.json()
    )


async def test_other_methods_are_405(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.put("/graphql", json={"query": "{ datasets { name } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert _message(response.json()).startswith("Method not allowed")


async def test_unknown_operation_name_is_400(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", json={"query": "query A { datasets { name } }", "operationName": "B"}
        )
    assert response.status_code == 400
    assert "B" in _message(response.json())


async def test_get_runs_queries(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.get(
            "/graphql",
            params={
                "query": "query($s: String!) { event(slug: $s) { title } }",
                "variables": '{"s": "aktau-protest"}',
            },
        )
        bad = await api.client.get("/graphql", params={"query": "{ x }", "variables": "{nope"})
    assert response.status_code == 200
    assert response.json() == {"data": {"event": {"title": "Peaceful protest in Aktau"}}}
    assert bad.status_code == 400 and _message(bad.json()) == "`variables` is not valid JSON"


async def test_batches_run_each_operation_up_to_the_cap(database_url: str, tmp_path: Path) -> None:
    operation = {"query": "{ datasets { name } }"}
    async with open_api(database_url, tmp_path, world(), max_batch=3) as api:
        batch = await api.client.post("/graphql", json=[operation] * 3)
        too_many = await api.client.post("/graphql", json=[operation] * 4)
        empty = await api.client.post("/graphql", json=[])
    assert batch.status_code == 200
    assert batch.json() == [{"data": {"datasets": [{"name": "testland"}]}}] * 3
    assert too_many.status_code == 400
    assert _message(too_many.json()) == (
        "batch limit exceeded: a batch holds 1 to 3 operations (max_batch), this one holds 4"
    )
    assert empty.status_code == 400


async def test_batching_can_be_turned_off(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world(), max_batch=0) as api:
        response = await api.client.post("/graphql", json=[{"query": "{ datasets { name } }"}])
    assert response.status_code == 400
    assert _message(response.json()) == "Batched requests are turned off (max_batch is 0)"


async def test_unexpected_errors_are_masked(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cls: type[EventType], row: Any) -> EventType:
        raise RuntimeError('SELECT secret FROM "event" -- /srv/eventql/gql/types/event.py')

    monkeypatch.setattr(EventType, "from_row", classmethod(broken))
    # A resolver breaks: the general executor's masking (the fast path uses no resolvers).
    async with open_api(database_url, tmp_path, world(), fast_path=False) as api:
        response = await api.client.post(
            "/graphql", json={"query": "{ events { nodes { slug } } datasets { name } }"}
        )
    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["events"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert body["data"] is None  # `events` is non-null, so the error reaches the root
    for leak in ("SELECT", "secret", "/srv", "Traceback", "RuntimeError"):
        assert leak not in response.text


async def test_expected_errors_keep_their_message_and_code(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        result = await api.post(
            "{ events(filter: { type: { equalTo: RIOTS } }, first: 500) { totalCount } }"
        )
    [error] = result["errors"]
    # the message says what was asked, the limit and the setting (the wording may improve)
    message = error.pop("message")
    assert message.startswith("page size limit exceeded:"), message
    assert all(part in message for part in ("500", "100", "(max_page_size)")), message
    assert error == {
        "locations": [{"line": 1, "column": 3}],
        "path": ["events"],
        "extensions": {"code": "LIMIT_EXCEEDED"},
    }


async def test_healthz_reports_the_database(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["reachable"] is True
