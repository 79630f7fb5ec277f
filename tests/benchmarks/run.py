"""The benchmark run: seed, serve, load, and print the figures for SQLite and PostgreSQL.

For each database: the dataset is seeded and reseeded (timed); SQL statements per request
are counted in-process; then each server runs in a subprocess — eventql with the general
executor only, eventql with the fast path, the raw floor, and (PostgreSQL) PostGraphile —
and each query is loaded by a separate load-generator process (a warm-up, then the timed
run). Ratios: each row's requests/s over the floor's, and eventql's reference query over
PostGraphile's.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import httpx

from tests.benchmarks import data, servers
from tests.benchmarks.load import LoadGenerator, LoadResult
from tests.benchmarks.queries import (
    BenchQuery,
    eventql_queries,
    floor_query,
    postgraphile_query,
)
from tests.benchmarks.statements import count_statements

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
#: Not "eventql_bench": `tests.bench_seed` users often name theirs so, and it rebuilds it.
_BENCH_DATABASE = "eventql_api_bench"


@dataclass
class Row:
    """One measured (query, server) pair."""

    query: str
    server: str
    result: LoadResult
    statements: int | None


@dataclass
class DatabaseReport:
    """Everything measured on one database."""

    name: str
    events: int
    seeding: data.SeedTiming
    rows: list[Row] = field(default_factory=list)
    memory: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Seed a synthetic dataset, serve it and load it: eventql (general and "
        "fast path), the raw SQL floor and PostGraphile, on SQLite and PostgreSQL.",
    )
    parser.add_argument("--events", type=int, default=100_000, help="events to generate")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each timed run")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up before each run")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--quick", action="store_true", help="20,000 events, 5 s runs, 1 s warm-ups, no reseed"
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="server to create on")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="which of sqlite,postgresql to run"
    )
    parser.add_argument("--queries", default="", help="only these (comma-separated) queries")
    parser.add_argument("--workdir", type=Path, help="where to keep the SQLite database")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse kept databases that hold the same events"
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="seed the databases (use with --keep) and stop"
    )
    parser.add_argument("--no-postgraphile", action="store_true", help="skip PostGraphile")
    parser.add_argument("--python-load", action="store_true", help="use the Python client")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--workload",
        choices=("api", "grouped", "corpus"),
        default="api",
        help="api: the four representative queries (default); grouped: grouped figure totals "
        "on UCDP-shaped data, one client and --concurrency clients, against the floor and "
        "PostGraphile with @graphile/pg-aggregates (see tests.benchmarks.grouped); corpus: "
        "the corpus of analysts' and frontends' queries, one client's p50 and --concurrency "
        "clients' p99 per query, fast path or not, SQL statements (see "
        "tests.benchmarks.corpus_run)",
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.events, options.seconds, options.warmup = 20_000, 5.0, 1.0
    return options


def _measure(
    load: LoadGenerator, server: servers.Server, query: BenchQuery, options: argparse.Namespace
) -> LoadResult:
    url = server.base_url + query.path
    # The previous run's last requests may still be in flight: let them drain, then check
    # that the query answers without errors (a statement timeout under load may need a retry).
    for attempt in range(3):
        time.sleep(2)
        response = httpx.post(
            url, content=query.body, headers={"content-type": "application/json"}, timeout=120
        )
        if response.status_code == 200 and not response.json().get("errors"):
            break
        if attempt == 2:
            raise RuntimeError(f"{query.name} failed: {response.status_code} {response.text[:500]}")
    if options.warmup > 0:
        load.run(url, query.body, options.warmup)
    return load.run(url, query.body, options.seconds)


def _serve(
    report: DatabaseReport,
    label: str,
    start: Callable[[], AbstractContextManager[servers.Server]],
    queries: list[BenchQuery],
    load: LoadGenerator,
    options: argparse.Namespace,
    statements: dict[tuple[str, str], int],
    out: TextIO,
) -> None:
    with start() as server:
        for query in queries:
            result = _measure(load, server, query, options)
            report.rows.append(Row(query.name, label, result, statements.get((query.name, label))))
            out.write(
                f"  {query.name:<12} {label:<12} {result.per_second:8.1f} req/s  "
                f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms\n"
            )
            out.flush()
        report.memory[label] = server.peak_rss_mb()


def _check_same_answer(url: str, out: TextIO) -> None:
    """The floor must return exactly the reference query's response."""
    import asyncio

    from gql.http.app import create_app
    from gql.settings import Settings
    from tests.benchmarks.floor import create_floor_app

    async def answers() -> tuple[object, object]:
        reference, floor = eventql_queries()[0], floor_query()
        results = []
        for app, query in (
            (create_app(Settings(database_url=url, seed_on_empty=False)), reference),
            (create_floor_app(url), floor),
        ):
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    response = await client.post(
                        query.path, content=query.body, headers={"content-type": "application/json"}
                    )
                    results.append(response.json())
        return results[0], results[1]

    graphql, floor = asyncio.run(answers())
    if graphql != floor:
        raise RuntimeError("the floor's response differs from the reference query's")
    out.write("  floor response = reference query response: yes\n")


def _database(
    kind: str, options: argparse.Namespace, load: LoadGenerator, out: TextIO
) -> DatabaseReport:
    folder = options.workdir or data.temporary_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = data.sqlite_url(folder)
    else:
        url = data.create_postgres(
            options.postgres_url, _BENCH_DATABASE, keep_existing=options.reuse
        )
    out.write(f"\n== {kind}: {url}\n")
    record = folder / f"seeding-{kind}-{options.events}.json"
    if options.reuse and data.event_count(url) == options.events:
        # The figures of the run that seeded the kept database, if it left them.
        found = json.loads(record.read_text()) if record.exists() else {}
        seeding = data.SeedTiming(data.row_count(url), found.get("load_s"), found.get("reseed_s"))
        out.write("  reusing the seeded database\n")
    else:
        started = time.perf_counter()
        path = data.seed_file(folder, options.events)
        out.write(f"  {data.timed('generated the seed file', started)}\n")
        seeding = data.seed(url, path, reseed=not options.quick)
        out.write(f"  seeded {seeding.rows:,} rows in {seeding.load_s:.1f} s\n")
        record.write_text(json.dumps({"load_s": seeding.load_s, "reseed_s": seeding.reseed_s}))
    report = DatabaseReport(kind, options.events, seeding)
    if options.seed_only:
        return report
    queries = eventql_queries()
    if options.queries:
        wanted = set(options.queries.split(","))
        queries = [q for q in queries if q.name in wanted]
    floor = floor_query()
    _check_same_answer(url, out)
    statements = count_statements(url, queries, floor)
    for label, fast in (("general", False), ("fast path", True)):
        key = "fast" if fast else "general"
        counts = {(q, label): n for (q, path), n in statements.items() if path == key}

        def start(fast: bool = fast) -> AbstractContextManager[servers.Server]:
            return servers.eventql(url, fast_path=fast)

        _serve(report, label, start, queries, load, options, counts, out)
    _serve(
        report,
        "floor",
        lambda: servers.floor(url),
        [floor],
        load,
        options,
        {(floor.name, "floor"): statements[(floor.name, "floor")]},
        out,
    )
    if kind == "postgresql" and not options.no_postgraphile:
        missing = servers.postgraphile_available()
        if missing:
            report.notes.append(f"PostGraphile not installed: run `{missing}`")
        else:
            _serve(
                report,
                "postgraphile",
                lambda: servers.postgraphile(url),
                [postgraphile_query()],
                load,
                options,
                {},
                out,
            )
    if not options.keep and kind == "postgresql":
        data.drop_postgres(options.postgres_url, _BENCH_DATABASE)
    return report


def _rate(report: DatabaseReport, query: str, server: str) -> float | None:
    for row in report.rows:
        if row.query == query and row.server == server:
            return row.result.per_second
    return None


def _lines(report: DatabaseReport) -> Iterator[str]:
    seeding = report.seeding
    yield f"{report.name}: {report.events:,} events, {seeding.rows:,} rows"
    if seeding.load_s:
        line = f"  seed {seeding.load_s:.1f} s ({seeding.rows / seeding.load_s:,.0f} rows/s)"
        if seeding.reseed_s:
            line += (
                f", reseed {seeding.reseed_s:.1f} s ({seeding.rows / seeding.reseed_s:,.0f} rows/s)"
            )
        yield line
    floor = _rate(report, "floor", "floor")
    postgraphile = _rate(report, "postgraphile", "postgraphile")
    yield (
        f"  {'query':<13}{'server':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL/req':>9}"
        f"{'÷ floor':>9}{'÷ PostGraphile':>16}{'errors':>8}"
    )
    for row in report.rows:
        rate = row.result.per_second
        versus_floor = f"{rate / floor:.2f}" if floor else "—"
        versus_pg = "—"
        if postgraphile and row.query == "reference":
            versus_pg = f"{rate / postgraphile:.2f}"
        statements = "—" if row.statements is None else str(row.statements)
        failures = row.result.errors + row.result.non_2xx
        yield (
            f"  {row.query:<13}{row.server:<14}{rate:>9.1f}{row.result.p50_ms:>9.1f}"
            f"{row.result.p99_ms:>9.1f}{statements:>9}{versus_floor:>9}{versus_pg:>16}"
            f"{failures:>8}"
        )
    memory = ", ".join(
        f"{label} {mb:.0f} MB" for label, mb in report.memory.items() if mb is not None
    )
    yield f"  peak server memory (RSS): {memory}"
    yield from (f"  note: {note}" for note in report.notes)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    options = _options(argv)
    out = sys.stdout
    if options.workload == "grouped":
        from tests.benchmarks import grouped

        sys.exit(grouped.main(options, out))
    if options.workload == "corpus":
        from tests.benchmarks import corpus_run

        sys.exit(corpus_run.main(options, out))
    load = LoadGenerator(concurrency=options.concurrency, prefer_wrk=not options.python_load)
    out.write(
        f"eventql benchmark — {platform.processor() or platform.machine()}, "
        f"{_cores()} cores, Python {platform.python_version()}\n"
        f"load generator: {load.describe()}; {options.warmup:g} s warm-up, "
        f"{options.seconds:g} s per run; response caching off (POST)\n"
    )
    reports = [
        _database(kind, options, load, out)
        for kind in options.databases.split(",")
        if kind in ("sqlite", "postgresql")
    ]
    out.write("\n")
    for report in reports:
        for line in _lines(report):
            out.write(line + "\n")
        out.write("\n")
    if options.json:
        options.json.write_text(
            json.dumps(
                [
                    {
                        "database": r.name,
                        "events": r.events,
                        "rows": r.seeding.rows,
                        "seed_s": r.seeding.load_s,
                        "reseed_s": r.seeding.reseed_s,
                        "memory_mb": r.memory,
                        "results": [
                            {
                                "query": row.query,
                                "server": row.server,
                                "per_second": row.result.per_second,
                                "p50_ms": row.result.p50_ms,
                                "p99_ms": row.result.p99_ms,
                                "statements": row.statements,
                            }
                            for row in r.rows
                        ],
                    }
                    for r in reports
                ],
                indent=2,
            ),
            encoding="utf-8",
        )


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))
