"""The corpus workload: `python -m tests.benchmarks --workload corpus [--events N] ...`.

For each database: the benchmark's synthetic data is seeded (or a kept database reused:
`--keep`, `--reuse`; PostgreSQL database `eventql_corpus_bench`), the corpus
(`tests.benchmarks.corpus`) is resolved against it (its cursors and IDs read off real pages),
then:

1. in-process, each query is sent twice to the app as `eventql serve` configures it (fast path
   on): the second time counts its SQL statements and whether the fast path answered it (the
   app's `fast_path.served`; when it declined, the reason label of
   `eventql_fastpath_operations_total`). An answer with errors, or a root field that holds
   nothing, fails the run;
2. eventql runs in its own process (`eventql serve`'s uvicorn, fast path on) and each query is
   loaded by one client (its p50) and then by `--concurrency` clients (its p99), by the
   harness's load generator (wrk). Slow queries get runs long enough for a few answers; a run
   whose requests would each take over a minute is skipped. Any failed request is counted.

Each line is printed with the load average when it ended, and the run begins with `uptime`:
the machine may be shared, and figures under load from a shared machine are pessimistic. The
end is a Markdown table per database, with the issue 12 targets (one client's p50 under 50 ms on
PostgreSQL, 100 ms on SQLite) marked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

import httpx
from prometheus_client import REGISTRY

from gql.fastpath.runner import DECLINE_REASONS
from tests.benchmarks import data, servers
from tests.benchmarks.corpus import CORPUS, empty_parts, resolve
from tests.benchmarks.load import LoadGenerator, LoadResult
from tests.benchmarks.queries import BenchQuery
from tests.harness import app_client, counting_statements, make_app

#: The PostgreSQL database this workload creates (not the API benchmark's nor another's).
DATABASE = "eventql_corpus_bench"
#: Issue 12: one client's p50 at 100,000 events.
TARGET_P50_MS = {"postgresql": 50.0, "sqlite": 100.0}
#: A request may take seconds under many clients: wait for it.
TIMEOUT_S = 120.0
#: The longest timed run, and the longest a request of a concurrent run may take.
MAX_RUN_S = 30.0
MAX_REQUEST_S = 60.0


@dataclass
class Execution:
    """How the app executed one query: fast path or not (and why not), SQL statements."""

    fast_path: bool
    statements: int
    declined_because: str | None = None
    response_bytes: int = 0
    #: The second request's time in-process (ms): a check, not a measurement.
    in_process_ms: float = 0.0
    #: Why the answer is no good (errors, an empty root field); None when it is.
    problem: str | None = None


@dataclass
class Measured:
    """One query's figures on one database."""

    name: str
    execution: Execution
    one: LoadResult | None = None
    many: LoadResult | None = None
    notes: list[str] = field(default_factory=list)


def _declines() -> dict[str, float]:
    return {
        reason: REGISTRY.get_sample_value(
            "eventql_fastpath_operations_total", {"result": "declined", "reason": reason}
        )
        or 0.0
        for reason in DECLINE_REASONS
    }


async def _executions(url: str, names: set[str] | None) -> tuple[list[BenchQuery], list[Execution]]:
    """The corpus resolved against the database at `url`, and how each query is executed
    (with the reason, when it answered with errors or a root field holds nothing)."""
    app = make_app(url)
    async with app_client(app, timeout=TIMEOUT_S) as client:

        async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            answer: dict[str, Any] = response.json()
            return answer

        queries = await resolve(post, names)
        fast_path = app.state.graphql.fast_path
        found = []
        headers = {"content-type": "application/json"}
        for query in queries:
            await client.post("/graphql", content=query.body, headers=headers)  # warm up
            served, declines = fast_path.served, _declines()
            with counting_statements(app) as counter:
                started = time.perf_counter()
                response = await client.post("/graphql", content=query.body, headers=headers)
                took = time.perf_counter() - started
            answer = response.json()
            after = _declines()
            reason = next((r for r in DECLINE_REASONS if after[r] > declines[r]), None)
            execution = Execution(fast_path.served > served, counter[0], reason)
            execution.response_bytes, execution.in_process_ms = len(response.content), took * 1e3
            if response.status_code != 200 or answer.get("errors"):
                execution.problem = f"{response.status_code} {response.text[:300]}"
            elif empty := empty_parts(answer.get("data")):
                execution.problem = f"nothing in {', '.join(empty)}"
            found.append(execution)
    return queries, found


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        one, five, fifteen = os.getloadavg()
        return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f}"


def _load_average() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def _ask(server: servers.Server, query: BenchQuery) -> float:
    """One request's time (s); an error or an empty answer fails the run."""
    started = time.perf_counter()
    response = httpx.post(
        server.base_url + query.path,
        content=query.body,
        headers={"content-type": "application/json"},
        timeout=TIMEOUT_S,
    )
    took = time.perf_counter() - started
    answer = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{query.name}: {response.status_code} {response.text[:500]}")
    return took


def _settle(server: servers.Server, query: BenchQuery) -> float:
    """Wait for the previous run's requests to drain; the best of three lone requests (s)."""
    times = []
    for _ in range(3):
        time.sleep(0.5)
        times.append(_ask(server, query))
    return min(times)


def _length(clients: int, alone_s: float, options: argparse.Namespace) -> float | None:
    """How long to load with `clients` clients: at least `--seconds`, long enough for a few
    answers each, at most `MAX_RUN_S`; None (not run) when each request would take longer
    than `MAX_REQUEST_S`."""
    busy_s = alone_s * clients / len(os.sched_getaffinity(0))
    if clients > 1 and busy_s > MAX_REQUEST_S:
        return None
    return min(MAX_RUN_S, max(float(options.seconds), 3 * max(alone_s, busy_s)))


def _load(
    options: argparse.Namespace, server: servers.Server, query: BenchQuery, clients: int
) -> LoadResult | None:
    alone_s = _settle(server, query)
    seconds = _length(clients, alone_s, options)
    if seconds is None:
        return None
    load = LoadGenerator(concurrency=clients, prefer_wrk=not options.python_load)
    load.timeout_s = TIMEOUT_S
    url = server.base_url + query.path
    if options.warmup > 0:
        load.run(url, query.body, options.warmup)
    return load.run(url, query.body, seconds)


def _line(kind: str, m: Measured) -> str:
    ex = m.execution
    how = "fast path" if ex.fast_path else f"general ({ex.declined_because})"
    one = f"{m.one.p50_ms:8.1f}" if m.one else "       —"
    many = f"{m.many.p99_ms:8.1f}" if m.many and m.many.requests else "       —"
    failures = sum(r.failures for r in (m.one, m.many) if r)
    miss = " MISS" if m.one and m.one.p50_ms >= TARGET_P50_MS[kind] else ""
    return (
        f"  {m.name:<34}{one}{many}  {how:<22}{ex.statements:>4}{failures:>6}  "
        f"{_load_average()}{miss}"
    )


def _database(kind: str, options: argparse.Namespace, out: TextIO) -> list[Measured]:
    folder = options.workdir or data.temporary_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = data.sqlite_url(folder)
    else:
        url = data.create_postgres(options.postgres_url, DATABASE, keep_existing=options.reuse)
    out.write(f"\n== {kind}: {url}\n  {_uptime()}\n")
    if options.reuse and data.event_count(url) == options.events:
        out.write("  reusing the seeded database\n")
    else:
        path = folder / f"bench-{options.events}.json"
        if not path.exists():
            data.seed_file(folder, options.events)
        seeding = data.seed(url, path, reseed=False)
        out.write(f"  seeded {seeding.rows:,} rows in {seeding.load_s:.1f} s\n")
    if options.seed_only:
        return []
    names = set(options.queries.split(",")) if options.queries else None
    queries, executions = asyncio.run(_executions(url, names))
    for query, execution in zip(queries, executions, strict=True):
        if execution.problem:
            out.write(f"  FAILED {query.name}: {execution.problem}\n")
    out.write(
        f"  {'query':<34}{'p50 1c':>8}{'p99 ' + str(options.concurrency) + 'c':>8}  "
        f"{'executed by':<22}{'SQL':>4}{'fail':>6}\n"
    )
    measured = []
    with servers.eventql(url, fast_path=True) as server:
        for query, execution in zip(queries, executions, strict=True):
            m = Measured(query.name, execution)
            if execution.problem:
                measured.append(m)
                out.write(f"  {query.name:<34} not loaded: {execution.problem[:120]}\n")
                continue
            try:
                m.one = _load(options, server, query, 1)
                m.many = _load(options, server, query, options.concurrency)
            except (RuntimeError, httpx.HTTPError) as error:
                # An error served by the server (a time limit): the query fails the run.
                execution.problem = f"served with an error: {str(error)[:300]}"
                out.write(f"  {query.name:<34} FAILED: {execution.problem[:200]}\n")
            if m.many is None:
                m.notes.append(f"{options.concurrency} clients not run: over a minute a request")
            measured.append(m)
            if not execution.problem:
                out.write(_line(kind, m) + "\n")
            out.flush()
    out.write(f"  {_uptime()}\n")
    if not options.keep and kind == "postgresql":
        data.drop_postgres(options.postgres_url, DATABASE)
    return measured


def markdown(kind: str, events: int, measured: list[Measured], concurrency: int) -> list[str]:
    """The per-query table, ready for the README."""
    target = TARGET_P50_MS[kind]
    titles = {q.name: q.title for q in CORPUS}
    lines = [
        f"{kind}, {events:,} events — p50: one client; p99: {concurrency} clients "
        f"(target: p50 under {target:g} ms; **bold** misses it)",
        "",
        "| query | what | p50 ms | p99 ms | fast path | SQL statements |",
        "|---|---|---:|---:|---|---:|",
    ]
    for m in measured:
        p50 = f"{m.one.p50_ms:.1f}" if m.one else "—"
        if m.one and m.one.p50_ms >= target:
            p50 = f"**{p50}**"
        p99 = f"{m.many.p99_ms:.0f}" if m.many else "—"
        if m.many and not m.many.requests:
            p99 = f"none answered in {m.many.seconds:.0f} s"
        ex = m.execution
        fast = "yes" if ex.fast_path else f"no ({ex.declined_because})"
        if ex.problem:
            fast = f"FAILED: {ex.problem[:80]}"
        lines.append(
            f"| `{m.name}` | {titles[m.name]} | {p50} | {p99} | {fast} | {ex.statements} |"
        )
    return lines


def main(options: argparse.Namespace, out: TextIO) -> int:
    """Run the corpus workload; 1 if any request failed."""
    out.write(
        f"eventql corpus benchmark — {len(CORPUS)} queries, {options.events:,} events, "
        f"{options.warmup:g} s warm-up, runs of at least {options.seconds:g} s, "
        f"1 and {options.concurrency} clients; the fast path on\n"
        "The machine may be shared: figures under load are pessimistic.\n"
    )
    results = {}
    for kind in options.databases.split(","):
        if kind in ("sqlite", "postgresql"):
            results[kind] = _database(kind, options, out)
    failed = False
    for kind, measured in results.items():
        if not measured:
            continue
        out.write("\n" + "\n".join(markdown(kind, options.events, measured, options.concurrency)))
        out.write("\n")
        misses = [m.name for m in measured if m.one and m.one.p50_ms >= TARGET_P50_MS[kind]]
        out.write(f"\n{kind}: {len(misses)} miss the p50 target: {', '.join(misses) or 'none'}\n")
        broken = [m.name for m in measured if m.execution.problem]
        if broken:
            out.write(f"{kind}: FAILED (errors or empty answers): {', '.join(broken)}\n")
        failed = (
            failed
            or bool(broken)
            or any(r.failures for m in measured for r in (m.one, m.many) if r)
        )
    if options.json:
        options.json.write_text(
            json.dumps(
                {
                    kind: [
                        {
                            "query": m.name,
                            "execution": asdict(m.execution),
                            "one": asdict(m.one) if m.one else None,
                            "many": asdict(m.many) if m.many else None,
                            "notes": m.notes,
                        }
                        for m in measured
                    ]
                    for kind, measured in results.items()
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    if failed:
        out.write("some requests failed (see the fail column)\n")
    return 1 if failed else 0
