"""What the server logs: a client's mistake is one line without a traceback; an unexpected
error is logged at ERROR with its traceback (and masked for the client)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from gql.types.event import EventType
from tests.api_support import load, world
from tests.fault_support import serving

MISTAKES: list[tuple[str, dict[str, Any]]] = [
    ("syntax error", {"json": {"query": "{ events { nodes { slug }"}}),
    ("unknown field", {"json": {"query": "{ events { nodes { nope } } }"}}),
    ("page over the limit", {"json": {"query": "{ events(first: 1000) { totalCount } }"}}),
    ("depth over the limit", {"json": {"query": "{ a: events { nodes { " * 7 + "}" * 21}}),
    (
        "variable of the wrong type",
        {
            "json": {
                "query": "query($n: Int) { events(first: $n) { totalCount } }",
                "variables": {"n": "ten"},
            }
        },
    ),
    ("bad cursor", {"json": {"query": '{ events(after: "nope") { totalCount } }'}}),
    (
        "malformed JSON",
        {"content": b'{"query": ', "headers": {"content-type": "application/json"}},
    ),
]


def _logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.INFO]


@pytest.mark.parametrize(("mistake", "request_"), MISTAKES, ids=[m for m, _ in MISTAKES])
async def test_a_client_mistake_logs_one_line_without_traceback(
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    mistake: str,
    request_: dict[str, Any],
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        caplog.clear()
        response = await client.post("/graphql", **request_)
    assert "errors" in response.json(), mistake
    logged = _logged(caplog)
    assert len(logged) <= 1, [record.getMessage() for record in logged]
    for record in logged:
        assert record.levelno in (logging.INFO, logging.WARNING)
        assert record.exc_info is None
        assert "\n" not in record.getMessage()


async def test_an_unexpected_error_logs_its_traceback(
    sqlite_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(cls: type[EventType], row: Any) -> EventType:
        raise RuntimeError("a bug")

    monkeypatch.setattr(EventType, "from_row", classmethod(broken))
    load(sqlite_url, tmp_path, world())
    # A resolver breaks: the general executor (the fast path uses no resolvers).
    async with serving(sqlite_url, fast_path=False) as client:
        caplog.clear()
        response = await client.post("/graphql", json={"query": "{ events { nodes { slug } } }"})
    assert response.json()["errors"][0]["message"] == "Unexpected error."
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and "a bug" in str(errors[0].exc_info[1])
