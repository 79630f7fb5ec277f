"""Deep keyset pages, timed and explained: one client, one pooled connection, N repeats.

    python -m tests.benchmarks.keyset --database-url postgresql://postgres@127.0.0.1/bench

The database must already hold the benchmark's data (`python -m tests.benchmarks --seed-only
--keep`). For a deep forward page (`first: 10, after:` a mid-2022 cursor) and a deep backward
page (`last: 10, before:` that cursor, `orderBy: DATE DESC`), on the fast path and on the
general executor, the same request is sent `--repeat` times over one pooled connection (so
prepared statements and PostgreSQL's switch to a generic plan after five executions show),
and each time is printed; then, on PostgreSQL, the requests are sent again with
`auto_explain` reporting every statement's plan, and the rows its scans read and the
buffers it touched are printed per execution.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import event, select
from starlette.applications import Starlette

from gql.data.cursors import encode_cursor
from gql.data.listing import EVENTS
from schema.core import EVENT
from schema.db import create_sync_engine
from tests.harness import app_client, make_app

FORWARD = """query($c: String!) { events(first: 10, after: $c) {
  edges { cursor node { id title date { start } } } pageInfo { hasNextPage } } }"""
BACKWARD = """query($c: String!) { events(last: 10, before: $c,
  orderBy: [{field: DATE, direction: DESC}]) {
  edges { cursor node { id title date { start } } } pageInfo { hasPreviousPage } } }"""


def cursors(url: str, day: str) -> dict[str, str]:
    """Cursors at the first event on or after `day`: for `DATE` and for `DATE DESC`."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(EVENT.c.start_date, EVENT.c.id)
                .where(EVENT.c.start_date >= dt.date.fromisoformat(day))
                .order_by(EVENT.c.start_date, EVENT.c.id)
                .limit(1)
            ).one()
    finally:
        engine.dispose()
    values = [row.start_date, row.id]
    return {
        "forward": encode_cursor(EVENTS.ordering([("DATE", False)]), values),
        "backward": encode_cursor(EVENTS.ordering([("DATE", True)]), values),
    }


@contextmanager
def explained(app: Starlette) -> Iterator[list[dict[str, Any]]]:
    """The plans (EXPLAIN ANALYZE, BUFFERS, JSON) of every statement `app` runs on
    connections opened from now on, via `auto_explain` notices (PostgreSQL superuser)."""
    engine = app.state.db.engine.sync_engine
    plans: list[dict[str, Any]] = []

    def notice(diagnostic: Any) -> None:
        message = diagnostic.message_primary or ""
        start = message.find("{")
        if "duration:" in message and start >= 0:
            plans.append(orjson.loads(message[start:]))

    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for setting in (
            "LOAD 'auto_explain'",
            "SET auto_explain.log_min_duration = 0",
            "SET auto_explain.log_analyze = on",
            "SET auto_explain.log_buffers = on",
            "SET auto_explain.log_timing = off",
            "SET auto_explain.log_format = json",
            "SET auto_explain.log_level = notice",
        ):
            cursor.execute(setting)
        cursor.close()
        dbapi_connection.driver_connection.add_notice_handler(notice)

    event.listen(engine, "connect", connect)
    try:
        yield plans
    finally:
        event.remove(engine, "connect", connect)


def rows_read(plan: dict[str, Any]) -> int:
    """Rows produced by the plan's scan nodes plus rows they filtered out, over all loops."""
    total = 0
    if "Scan" in plan.get("Node Type", ""):
        loops = plan.get("Actual Loops", 1)
        total += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
    for child in plan.get("Plans", []):
        total += rows_read(child)
    return total


def buffers(plan: dict[str, Any]) -> int:
    """Shared buffers the whole plan hit or read."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


async def run(url: str, repeat: int, day: str) -> None:
    out = sys.stdout
    marks = cursors(url, day)
    # The machine may be shared: say how busy it was.
    out.write("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    for fast_path in (True, False):
        for name, query in (("forward", FORWARD), ("backward", BACKWARD)):
            body = {"query": query, "variables": {"c": marks[name]}}
            label = f"{name:8} {'fast path' if fast_path else 'general'}"
            app = make_app(url, fast_path=fast_path, pool_size=1)
            async with app_client(app) as client:
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = await client.post("/graphql", json=body)
                    times.append((time.perf_counter() - started) * 1000)
                    assert "errors" not in response.json(), response.text
            shown = " ".join(f"{t:.1f}" for t in times)
            out.write(f"{label}: median {statistics.median(times):6.1f} ms  [{shown}]\n")
            if url.startswith("postgresql"):
                app = make_app(url, fast_path=fast_path, pool_size=1)
                async with app_client(app) as client:
                    with explained(app) as plans:
                        for _ in range(repeat):
                            await client.post("/graphql", json=body)
                pages = [p["Plan"] for p in plans if "LIMIT" in p["Query Text"].upper()]
                read = " ".join(str(rows_read(p)) for p in pages)
                touched = " ".join(str(buffers(p)) for p in pages)
                out.write(f"{'':8} rows read per execution [{read}]\n")
                out.write(f"{'':8} buffers per execution   [{touched}]\n")
            out.flush()


def main(argv: list[str] | None = None) -> None:
    """Time and explain deep pages against an already seeded database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--day", default="2022-06-15", help="where the cursor points")
    args = parser.parse_args(argv)
    asyncio.run(run(args.database_url, args.repeat, args.day))


if __name__ == "__main__":
    main()
