"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

Tests that take `database_url` run twice, once per backend. PostgreSQL tests need a server
(EVENTQL_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test); without one
they skip with the reason — except under CI=true, where a missing backend fails the run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from tests.harness import scratch_postgres

POSTGRES_URL = os.environ.get(
    "EVENTQL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip a test whose prerequisite is missing; under CI=true, fail it instead."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: prerequisites must be present)")
    pytest.skip(reason)


def _admin_engine_url() -> str:
    return str(make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"))


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    """Whether the PostgreSQL test server answers."""
    try:
        engine = create_engine(_admin_engine_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError:
        return False
    return True


@pytest.fixture
def postgres_url(postgres_available: bool) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not postgres_available:
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    with scratch_postgres(POSTGRES_URL) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'eventql.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh database for one test, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


@pytest.fixture(autouse=True)
def fast_path_never_breaks() -> Iterator[None]:
    """Fail any test in which the fast path broke (and the general executor covered for it).

    The fall-back keeps users' answers right, so a fast path bug would otherwise pass every
    differential test unseen; `eventql.fastpath` logs an error whenever it happens (anything
    it raises outside its named reasons to decline, `gql.fastpath.declines`).
    """
    recorder = _Recorder()
    logger = logging.getLogger("eventql.fastpath")
    logger.addHandler(recorder)
    try:
        yield
    finally:
        logger.removeHandler(recorder)
    assert not recorder.messages, recorder.messages
