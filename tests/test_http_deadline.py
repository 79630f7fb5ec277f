"""One deadline for the whole HTTP request (`request_timeout_s`), and what happens when it ends:
a 503 naming the limit, the request's work stopped, and a server that answers at once."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from tests.api_support import bulk_world, load
from tests.fault_support import TITLES, error_of, locked, serving

MESSAGE = "request timeout: the request took longer than {:g} s (request_timeout_s)"


def _say(text: str) -> None:
    # Timings are printed (pytest -s shows them), never asserted: the machine may be busy.
    sys.stdout.write(f"\n{text}\n")


def _many_loads(events: int, aliases: int) -> str:
    """One DataLoader batch per alias, each with a load per event: `events × aliases` loads."""
    pages = " ".join(
        f"f{i}: figures(first: {i + 1}) {{ nodes {{ value }} }}" for i in range(aliases)
    )
    return f"{{ events(first: {events}) {{ nodes {{ {pages} }} }} }}"


# graphql-core makes a resolver coroutine per field before it awaits them: those of a
# cancelled request are never awaited, which Python warns about when it collects them.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
async def test_cancelling_many_pending_loads_leaves_the_server_answering(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, bulk_world(2000))
    settings = {
        "request_timeout_s": 0.5,
        "fast_path": False,  # DataLoaders serve the general executor
        "max_page_size": 2000,
        "max_nodes": 10_000_000,
    }
    async with serving(database_url, **settings) as client:
        started = time.perf_counter()
        cut = await client.post("/graphql", json={"query": _many_loads(2000, 10)})
        cut_s = time.perf_counter() - started
        started = time.perf_counter()
        health = await client.get("/healthz")
        after = await client.post("/graphql", json={"query": TITLES})
        after_s = time.perf_counter() - started
    assert cut.status_code == 503
    assert error_of(cut)["message"] == MESSAGE.format(0.5)
    assert cut.headers["retry-after"] == "1"
    assert health.status_code == 200
    assert after.status_code == 200 and "errors" not in after.json()
    _say(f"20,000 loads cut after {cut_s:.2f} s; the next two requests took {after_s:.2f} s")


#: A filter of 300 conditions on related actors: tenths of a second of database work.
SLOW = "query($f: EventFilter) { events(filter: $f, first: 5) { totalCount nodes { title } } }"
SLOW_FILTER = {
    "or": [{"actor": {"name": {"includesInsensitive": f"nobody {i}"}}} for i in range(300)]
}


async def test_a_batch_shares_one_deadline(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, bulk_world(2000))
    operation = {"query": SLOW, "variables": {"f": SLOW_FILTER}}
    async with serving(database_url, request_timeout_s=0.5, max_batch=50) as client:
        started = time.perf_counter()
        # Each operation alone is well within the deadline; all of them together are not.
        batch = await client.post("/graphql", json=[operation] * 50)
        batch_s = time.perf_counter() - started
        after = await client.post("/graphql", json={"query": TITLES})
    assert batch.status_code == 503
    assert error_of(batch)["message"] == MESSAGE.format(0.5)
    assert batch.headers["retry-after"] == "1"
    assert after.status_code == 200 and "errors" not in after.json()
    _say(f"a batch of 50 operations answered 503 after {batch_s:.2f} s")


async def test_the_deadline_stops_the_statement_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, bulk_world(10))
    async with serving(postgres_url, request_timeout_s=1.0, statement_timeout_ms=0) as client:
        with locked(postgres_url):
            response = await client.post("/graphql", json={"query": TITLES})
            answered = time.perf_counter()
            # The request's statement waited for the lock: it must be gone at once, not
            # when the lock is released (or never, without a statement timeout).
            running = _running_statements(postgres_url)
            while running and time.perf_counter() - answered < 2.0:
                running = _running_statements(postgres_url)
            gone_s = time.perf_counter() - answered
        after = await client.post("/graphql", json={"query": TITLES})
    assert response.status_code == 503
    assert error_of(response)["message"] == MESSAGE.format(1)
    assert running == []
    assert after.status_code == 200 and "errors" not in after.json()
    _say(f"the statement was cancelled {gone_s:.3f} s after the 503")


def _running_statements(url: str) -> list[str]:
    """The statements other clients are running in the database of `url` right now."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


def _big_document(salt: int) -> str:
    """A valid document of about 3,000 tokens, its text new each time (so never cached)."""
    fields = " ".join(f"n{salt}_{i}: name" for i in range(40))
    lists = " ".join(f"d{k}: datasets {{ {' name' * 150} }}" for k in range(8))
    return f"{{ datasets {{ {fields} }} {lists} }}"


async def test_healthz_answers_while_new_documents_are_prepared(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, bulk_world(10))
    async with serving(sqlite_url) as client:

        async def heavy() -> list[int]:
            statuses = []
            for salt in range(10):
                response = await client.post("/graphql", json={"query": _big_document(salt)})
                statuses.append(response.status_code)
            return statuses

        async def probe(task: asyncio.Task[list[int]]) -> list[float]:
            waits = []
            while not task.done():
                started = time.perf_counter()
                health = await client.get("/healthz")
                assert health.status_code == 200
                waits.append(time.perf_counter() - started)
                await asyncio.sleep(0.02)
            return waits

        attack = asyncio.create_task(heavy())
        waits = await probe(attack)
        statuses = await attack
    assert statuses == [200] * 10
    _say(f"/healthz answered {len(waits)} times, at most in {max(waits) * 1000:.0f} ms")


async def test_the_deadline_does_not_wait_for_a_worker_thread(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, bulk_world(10))
    # A new filter of 1,000 conditions: a fifth of a second or more of conversion and SQL
    # building in a worker thread, far past this deadline.
    conditions = {"or": [{"title": {"includesInsensitive": f"w{i}"}} for i in range(1000)]}
    async with serving(database_url, request_timeout_s=0.02) as client:
        started = time.perf_counter()
        cut = await client.post("/graphql", json={"query": SLOW, "variables": {"f": conditions}})
        cut_s = time.perf_counter() - started
    assert cut.status_code == 503
    assert error_of(cut)["message"] == MESSAGE.format(0.02)
    _say(f"a 0.02 s deadline answered after {cut_s:.3f} s")
