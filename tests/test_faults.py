"""Faults: the database goes away, is locked or read-only, or work runs away — clear errors,
no hang, no stack trace, no corruption, and recovery without a restart."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from sqlalchemy import make_url

from tests.api_support import bulk_world, load, world
from tests.fault_support import TITLES, assert_no_internals, error_of, locked, serving
from tests.server_process import eventql_command
from tests.tcp_proxy import tcp_proxy

RUNAWAY = "query($f: EventFilter) { events(filter: $f, first: 5) { totalCount nodes { title } } }"
#: 300 relation conditions over 2,000 events: seconds of work on either database (over the
#: default relation limit, so the test raises it: a refusal would run no statement at all).
RUNAWAY_FILTER = {
    "or": [{"actor": {"name": {"includesInsensitive": f"nobody {i}"}}} for i in range(300)]
}


def _ok(response: httpx.Response) -> bool:
    return response.status_code == 200 and "errors" not in response.json()


def _unavailable(response: httpx.Response) -> bool:
    if response.status_code != 503:
        return False
    error = error_of(response)
    return bool(
        error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        and error["message"].startswith("database unavailable: ")
        and response.headers.get("retry-after")
    )


async def test_database_outage_fails_fast_with_a_clear_error_and_recovers(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    with tcp_proxy("127.0.0.1", make_url(postgres_url).port or 5432) as proxy:
        proxied = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
        url = proxied.render_as_string(hide_password=False)
        async with serving(url) as client:

            async def burst() -> list[httpx.Response]:
                return await asyncio.gather(
                    *(client.post("/graphql", json={"query": TITLES}) for _ in range(8))
                )

            assert all(_ok(r) for r in await burst())
            proxy.cut()
            during = await burst() + await burst()
            health = await client.get("/readyz")
            proxy.restore()
            after = await burst()
    assert all(_unavailable(r) for r in during), [r.text for r in during]
    for response in during:
        assert_no_internals(response.text)
    assert health.status_code == 503
    assert all(_ok(r) for r in after), [r.text for r in after]


async def test_sqlite_locked_database_answers_a_clear_error_and_stays_intact(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    async with serving(sqlite_url) as client:
        with locked(sqlite_url):
            during = await client.post("/graphql", json={"query": TITLES})
        after = await client.post("/graphql", json={"query": TITLES})
    assert _unavailable(during), during.text
    assert "locked" in error_of(during)["message"]
    assert _ok(after)
    check = sqlite3.connect(str(make_url(sqlite_url).database))
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_seed_into_a_locked_sqlite_database_fails_clearly_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    changed = tmp_path / "changed.json"
    changed.write_text(
        (tmp_path / "seed-0.json").read_text().replace("Riots in Almaty", "Changed"), "utf-8"
    )
    with locked(sqlite_url):
        done = subprocess.run(
            [*eventql_command(), "seed", str(changed), "--database-url", sqlite_url],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 3
    assert "database is locked" in done.stderr
    check = sqlite3.connect(str(make_url(sqlite_url).database))
    assert check.execute("SELECT count(*) FROM event WHERE title = 'Changed'").fetchone() == (0,)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_seed_into_a_read_only_sqlite_database_fails_clearly_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    # Changed data: a reseed of identical data writes nothing and would rightly succeed.
    changed = tmp_path / "changed.json"
    changed.write_text(
        (tmp_path / "seed-0.json").read_text().replace("Riots in Almaty", "Changed"), "utf-8"
    )
    read_only = f"sqlite:///file:{make_url(sqlite_url).database}?mode=ro&uri=true"
    done = subprocess.run(
        [*eventql_command(), "seed", str(changed), "--database-url", read_only],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "readonly database" in done.stderr
    check = sqlite3.connect(str(make_url(sqlite_url).database))
    assert check.execute("SELECT count(*) FROM event WHERE title = 'Changed'").fetchone() == (0,)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


async def test_serving_a_read_only_sqlite_database_answers_queries(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    read_only = f"sqlite:///file:{make_url(sqlite_url).database}?mode=ro&uri=true"
    async with serving(read_only) as client:
        response = await client.post("/graphql", json={"query": TITLES})
    assert _ok(response), response.text


async def test_serving_a_missing_sqlite_file_answers_a_clear_error(tmp_path: Path) -> None:
    missing = f"sqlite:///file:{tmp_path / 'nowhere' / 'x.sqlite3'}?mode=ro&uri=true"
    async with serving(missing) as client:
        response = await client.post("/graphql", json={"query": TITLES})
    assert _unavailable(response), response.text
    assert_no_internals(response.text)


async def test_statement_timeout_stops_a_runaway_query_with_a_clear_error(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, bulk_world(2000))
    settings = {"statement_timeout_ms": 20, "max_filter_relations": 300}
    async with serving(database_url, **settings) as client:
        response = await client.post(
            "/graphql", json={"query": RUNAWAY, "variables": {"f": RUNAWAY_FILTER}}
        )
        after = await client.post("/graphql", json={"query": TITLES})
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["message"].startswith("statement timeout: ")
    assert "20 ms (statement_timeout_ms)" in error["message"]
    assert _ok(after)


async def test_request_timeout_answers_503_naming_the_limit(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url, request_timeout_s=1.0, statement_timeout_ms=0) as client:
        with locked(database_url):
            response = await client.post("/graphql", json={"query": TITLES})
        after = await client.post("/graphql", json={"query": TITLES})
    assert response.status_code == 503
    assert error_of(response)["message"] == (
        "request timeout: the request took longer than 1 s (request_timeout_s)"
    )
    assert _ok(after)


async def test_pool_exhausted_fails_fast_naming_pool_timeout(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    # pool_size 1: one pooled connection and one overflow; a third request finds none free.
    async with serving(
        database_url, pool_size=1, pool_timeout_s=0.5, statement_timeout_ms=0
    ) as client:
        with locked(database_url):
            waiting = [
                asyncio.create_task(client.post("/graphql", json={"query": TITLES}))
                for _ in range(3)
            ]
            first_done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        responses = await asyncio.gather(*waiting)
    refused = [r for r in responses if r.status_code == 503]
    assert len(refused) == 1 and refused[0] in [t.result() for t in first_done]
    assert error_of(refused[0])["message"].startswith(
        "database unavailable: no database connection became free within 0.5 s (pool_timeout_s)"
    )
    assert sum(_ok(r) for r in responses) == 2


async def test_body_size_limit_refuses_a_large_body_with_413(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    body = b'{"query": "{ datasets { name } }", "padding": "' + b"x" * 5000 + b'"}'
    async with serving(database_url, max_body_bytes=4096) as client:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert error_of(response)["message"] == (
        "body size limit exceeded: at most 4096 bytes (max_body_bytes)"
    )


async def test_body_size_limit_applies_to_bodies_without_a_length(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ datasets { name } }", "padding": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    async with serving(database_url, max_body_bytes=4096) as client:
        response = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
