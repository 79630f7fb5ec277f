"""The fast path declines only for its named reasons; anything else is a bug, shown loudly.

A decline (an operation it does not cover, a mistake the general executor must word) is
silent and the general executor answers. Any other exception is still answered by the general
executor — users get their data — but it is logged at ERROR and counted, so it cannot hide as
a slowdown (and `tests/conftest.py` fails every test in which that log appears).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, NoReturn

import pytest

from gql.fastpath.compiler import Plan
from tests.api_support import load, world
from tests.harness import app_client, make_app

QUERY = "{ events(first: 2) { nodes { slug title } } }"


async def _answer(url: str) -> tuple[Any, Any]:
    app = make_app(url)
    async with app_client(app) as client:
        response = await client.post("/graphql", json={"query": QUERY})
        assert response.status_code == 200
        return response.json(), app.state.graphql.fast_path


async def test_a_decline_is_silent(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    app = make_app(sqlite_url)
    async with app_client(app) as client:
        # Aggregates of a nested connection are not the fast path's: a decline, not a failure.
        query = "{ sources { nodes { events { aggregates { count } } } } }"
        response = await client.post("/graphql", json={"query": query})
        path = app.state.graphql.fast_path
    assert response.json()["data"]["sources"]["nodes"][0]["events"]["aggregates"]["count"] > 0
    assert (path.declined, path.failed) == (1, 0)


async def test_an_unexpected_exception_is_logged_counted_and_answered(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    load(sqlite_url, tmp_path, world())
    expected, _ = await _answer(sqlite_url)

    async def broken(*_: Any, **__: Any) -> NoReturn:
        raise KeyError("a planted fast path bug")

    monkeypatch.setattr(Plan, "run", broken)
    logger = logging.getLogger("eventql.fastpath")
    handlers = logger.handlers[:]
    for handler in handlers:  # the suite-wide guard would fail this test for the planted bug
        logger.removeHandler(handler)
    try:
        with caplog.at_level(logging.ERROR, logger="eventql.fastpath"):
            answer, path = await _answer(sqlite_url)
    finally:
        for handler in handlers:
            logger.addHandler(handler)

    assert answer == expected  # the general executor answered
    assert path.failed == 1 and path.served == 0
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "fast path bug" in errors[0].getMessage()
    assert errors[0].exc_info is not None
