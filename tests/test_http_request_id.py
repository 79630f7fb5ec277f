"""Every response carries an `X-Request-ID`, and every log line written while a request is
answered carries the same ID — in text and in JSON logs, through `eventql serve` too."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from eventql.logs import JsonFormatter, TextFormatter
from gql.http.request_id import RequestIdFilter
from tests.api_support import load, world
from tests.fault_support import serving
from tests.server_process import serve


@contextmanager
def captured(formatter: logging.Formatter) -> Iterator[io.StringIO]:
    """Log lines of every logger (INFO and up) as `eventql serve` writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_response_carries_a_generated_request_id(sqlite_url: str) -> None:
    async with serving(sqlite_url) as client:
        first = await client.get("/healthz")
        second = await client.get("/healthz")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(re.fullmatch("[0-9a-f]{32}", request_id) for request_id in ids)
    assert ids[0] != ids[1]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("trace-7f3a:span.01_x", True),
        ("a" * 128, True),
        ("a" * 129, False),  # too long
        ("has space", False),
        ("quote\"'", False),
        ("", False),
    ],
)
async def test_a_sane_client_request_id_is_kept(sqlite_url: str, sent: str, kept: bool) -> None:
    async with serving(sqlite_url) as client:
        response = await client.get("/readyz", headers={"x-request-id": sent})
    returned = response.headers["x-request-id"]
    assert (returned == sent) is kept
    if not kept:
        assert re.fullmatch("[0-9a-f]{32}", returned)


async def test_every_log_line_of_a_request_carries_its_id(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    with captured(JsonFormatter()) as stream:
        async with serving(sqlite_url, fast_path=False) as client:
            # Concurrent requests that each log (a client mistake is one INFO line); a new
            # document is parsed and validated in a worker thread.
            responses = await asyncio.gather(
                *(
                    client.post(
                        "/graphql",
                        json={"query": f"{{ events {{ nope{n} }} }}"},
                        headers={"x-request-id": f"request-{n}"},
                    )
                    for n in range(4)
                )
            )
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    for n, response in enumerate(responses):
        assert response.headers["x-request-id"] == f"request-{n}"
        mine = [line for line in lines if f"nope{n}" in line["message"]]
        assert mine, lines
        assert all(line["request_id"] == f"request-{n}" for line in mine), mine


async def test_text_log_lines_show_the_request_id(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    with captured(TextFormatter()) as stream:
        async with serving(sqlite_url) as client:
            await client.post(
                "/graphql", json={"query": "{ events { nope } }"}, headers={"x-request-id": "r-1"}
            )
    assert "INFO:     [r-1] client error: Cannot query field 'nope'" in stream.getvalue()


def test_serve_writes_json_lines_with_the_request_id(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    env = {"EVENTQL_LOG_FORMAT": "json"}
    with serve(sqlite_url, env=env) as server:
        response = httpx.post(
            f"{server.base_url}/graphql",
            json={"query": "{ events { nope } }"},
            headers={"x-request-id": "from-the-proxy"},
            timeout=10,
        )
        output = server.wait_for_log('"status":200')
    assert response.headers["x-request-id"] == "from-the-proxy"
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    tagged = [line for line in lines if line.get("request_id") == "from-the-proxy"]
    assert {line["logger"] for line in tagged} >= {"eventql.graphql", "uvicorn.access"}
    access = next(line for line in tagged if line["logger"] == "uvicorn.access")
    assert (access["method"], access["path"], access["status"]) == ("POST", "/graphql", 200)
