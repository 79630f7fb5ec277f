"""Where a corpus query's time goes: each SQL statement it runs, timed and explained.

    python -m tests.benchmarks.corpus_explain --database-url URL [--queries a,b] [--lines 12]

The database must already hold the benchmark's data (`python -m tests.benchmarks --workload
corpus --seed-only --keep`). Each query (`tests.benchmarks.corpus`) is sent in-process with
the fast path on; every statement it runs is recorded with its parameters, then run again
under `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL (`EXPLAIN QUERY PLAN` and a timed run on
SQLite), and the statement's time and the top of its plan are printed, slowest first.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from typing import Any

import psycopg
from sqlalchemy import event, make_url

from gql.types.node import SQLITE_GLOBAL_ID, encode_id
from tests.benchmarks.corpus import resolve
from tests.harness import app_client, make_app


async def _statements(url: str, names: set[str] | None) -> dict[str, list[tuple[str, Any]]]:
    """Each query's statements (SQL text and parameters), as the app ran them."""
    app = make_app(url)
    found: dict[str, list[tuple[str, Any]]] = {}
    async with app_client(app, timeout=300) as client:
        engine = app.state.db.engine.sync_engine  # made by the app's lifespan

        async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            answer: dict[str, Any] = response.json()
            return answer

        for query in await resolve(post, names):
            ran: list[tuple[str, Any]] = []

            def record(_c: Any, _cur: Any, sql: str, parameters: Any, *_: Any) -> None:
                ran.append((sql, parameters))  # noqa: B023 — listened to for this query only

            headers = {"content-type": "application/json"}
            event.listen(engine, "before_cursor_execute", record)
            try:
                await client.post(query.path, content=query.body, headers=headers)
            finally:
                event.remove(engine, "before_cursor_execute", record)
            found[query.name] = ran
    return found


def _postgresql(url: str, sql: str, parameters: Any) -> tuple[float, list[str]]:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        started = time.perf_counter()
        rows = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", parameters).fetchall()
        return (time.perf_counter() - started) * 1e3, [row[0] for row in rows]


def _sqlite(url: str, sql: str, parameters: Any) -> tuple[float, list[str]]:
    connection = sqlite3.connect(make_url(url).database or "")
    # The app registers this function on each of its connections; the fast path's JSON calls it.
    connection.create_function(SQLITE_GLOBAL_ID, 2, encode_id, deterministic=True)
    try:
        plan = connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters).fetchall()
        started = time.perf_counter()
        connection.execute(sql, parameters).fetchall()
        took = (time.perf_counter() - started) * 1e3
    finally:
        connection.close()
    return took, [f"{'  ' * (row[1] and 1)}{row[3]}" for row in plan]


def main(argv: list[str] | None = None) -> None:
    """Explain the statements of the corpus queries named (or all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--queries", default="")
    parser.add_argument("--lines", type=int, default=12, help="plan lines per statement")
    options = parser.parse_args(argv)
    names = set(options.queries.split(",")) if options.queries else None
    url = options.database_url
    explain = _sqlite if url.startswith("sqlite") else _postgresql
    out = sys.stdout
    for name, statements in asyncio.run(_statements(url, names)).items():
        timed = [(*explain(url, sql, parameters), sql) for sql, parameters in statements]
        total = sum(took for took, _plan, _sql in timed)
        out.write(f"\n=== {name}: {len(timed)} statements, {total:.1f} ms together\n")
        for took, plan, sql in sorted(timed, key=lambda t: -t[0]):
            out.write(f"--- {took:.1f} ms: {' '.join(sql.split())[:300]}\n")
            out.writelines(f"    {line}\n" for line in plan[: options.lines])


if __name__ == "__main__":
    main()
