"""The grouped workload: `python -m tests.benchmarks --workload grouped [--events N] ...`.

UCDP-shaped data (`tests.benchmarks.grouped_data`) is seeded into SQLite and PostgreSQL (kept
with `--keep` and reused with `--reuse`); then each server runs in its own process — eventql as
`eventql serve` runs it, the raw floor (`tests.benchmarks.grouped_floor`: one hand-written
SQL GROUP BY per question) and, on PostgreSQL, PostGraphile v5 with `@graphile/pg-aggregates`
over the view of `tests.benchmarks.postgraphile_view` — and each question
(`tests.benchmarks.grouped_queries`) is loaded by one client, then by `--concurrency` clients.

Before it is loaded, each server's answer is read and compared: eventql's must equal the
floor's (same groups; same low, best, high and figures counted), PostGraphile's must have the
floor's groups with the same low and best. A difference, or an error instead of an answer (that
query is then not loaded on that server), is printed and makes the run exit 1 after the
figures are printed: it is a bug in eventql (or in the floor), not noise.

Every timed run is printed with the load average of the machine when it ended (the cores may
be shared), and the figures end with the ratios and the targets of issue 11: eventql at least
1.5x PostGraphile's requests/s and 0.7x the floor's, one client's p50 under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

from tests.benchmarks import data, grouped_data, grouped_queries, postgraphile_view, servers
from tests.benchmarks.load import LoadGenerator, LoadResult
from tests.benchmarks.queries import BenchQuery

#: The PostgreSQL database the grouped workload creates (not the API benchmark's).
DATABASE = "eventql_grouped_bench"
#: A request of this workload may take seconds under 16 clients: wait for it.
TIMEOUT_S = 120.0
#: The longest timed run (a run lasts at least `--seconds`, and long enough for a few
#: answers of a slow query).
MAX_RUN_S = 120.0
#: Concurrent runs whose requests would each take longer than this are not run.
MAX_REQUEST_S = 60.0
#: Issue 11's targets.
TARGET_VERSUS_POSTGRAPHILE = 1.5
TARGET_VERSUS_FLOOR = 0.7
TARGET_P50_MS = 50.0


@dataclass
class Row:
    """One timed run: a query on a server, with `clients` concurrent clients."""

    query: str
    server: str
    clients: int
    result: LoadResult
    load_average: tuple[float, float, float]
    seconds: float


@dataclass
class Report:
    """Everything measured on one database."""

    database: str
    events: int
    rows: int
    seed_s: float | None
    results: list[Row] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    #: Queries a server did not answer (an error): they were not loaded.
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rate(self, query: str, server: str, clients: int) -> LoadResult | None:
        """The result of one run, if it was made."""
        for row in self.results:
            if (row.query, row.server, row.clients) == (query, server, clients):
                return row.result
        return None


def _seeded(kind: str, options: argparse.Namespace, out: TextIO) -> tuple[str, Report]:
    """The database of `kind`, seeded with the workload's data (or reused), and its report."""
    folder = options.workdir or data.temporary_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'grouped.sqlite3'}"
    else:
        url = data.create_postgres(options.postgres_url, DATABASE, keep_existing=options.reuse)
    out.write(f"\n== {kind}: {url}\n")
    record = folder / f"grouped-seeding-{kind}-{options.events}.json"
    if options.reuse and data.event_count(url) == options.events:
        found = json.loads(record.read_text()) if record.exists() else {}
        seed_s = found.get("load_s")
        out.write("  reusing the seeded database\n")
    else:
        if kind == "postgresql":
            postgraphile_view.drop_view(url)  # it depends on the tables a rebuild drops
        started = time.perf_counter()
        path = grouped_data.seed_file(folder, options.events)
        out.write(f"  {data.timed('generated the seed file', started)}\n")
        seed_s = data.seed(url, path, reseed=False).load_s
        record.write_text(json.dumps({"load_s": seed_s}))
        out.write(f"  seeded in {seed_s:.1f} s\n")
    if kind == "postgresql":
        postgraphile_view.create_view(url)
    report = Report(kind, options.events, data.row_count(url), seed_s)
    out.write(f"  {report.rows:,} rows; {_load_text()}\n")
    return url, report


def _load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _ask(server: servers.Server, query: BenchQuery) -> tuple[dict[str, Any], float]:
    """One request's JSON response and how long it took (s); a failed request is an error:
    nothing to measure."""
    started = time.perf_counter()
    response = httpx.post(
        server.base_url + query.path,
        content=query.body,
        headers={"content-type": "application/json"},
        timeout=TIMEOUT_S,
    )
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{query.name}: {response.status_code} {response.text[:500]}")
    found: dict[str, Any] = response.json()
    return found, took


def _drain(server: servers.Server, query: BenchQuery, alone_s: float) -> None:
    """Wait until the requests a finished run left in flight are done: until one request
    takes at most twice what it took alone (or five tries)."""
    for _ in range(5):
        time.sleep(1)
        try:
            _answer, took = _ask(server, query)
        except (RuntimeError, httpx.HTTPError):
            continue  # still busy (a timeout), or a failure the next run will show
        if took <= 2 * alone_s:
            return


def _plan(clients: int, alone_s: float, options: argparse.Namespace) -> float | None:
    """How long to load with `clients` clients, given one request alone takes `alone_s`:
    long enough for a few answers each, at most `MAX_RUN_S`; None when `clients` requests at
    once on the machine's cores would each take longer than `MAX_REQUEST_S`: not run."""
    busy_s = alone_s * clients / _cores()
    if clients > 1 and busy_s > MAX_REQUEST_S:
        return None
    return min(MAX_RUN_S, max(float(options.seconds), 3 * busy_s))


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _serve(
    report: Report,
    label: str,
    start: Callable[[], AbstractContextManager[servers.Server]],
    queries: list[BenchQuery],
    loads: list[LoadGenerator],
    options: argparse.Namespace,
    answers: dict[tuple[str, str], dict[grouped_queries.GroupKey, grouped_queries.Measures]],
    out: TextIO,
) -> None:
    """Start a server, read its answers, then load each query with each load generator (one
    client first, after a warm-up; the server is warm for the others)."""
    with start() as server:
        for query in queries:
            try:
                response, _took = _ask(server, query)
                answers[(query.name, label)] = grouped_queries.answer(query.name, label, response)
                _answer, alone_s = _ask(server, query)  # warm now
            except (RuntimeError, httpx.HTTPError) as error:
                # Nothing to measure: say so, and go on with the other queries and servers.
                report.failures.append(f"{query.name}, {label}: {str(error)[:300]}")
                out.write(f"  {query.name:<8} {label:<13} FAILED, not loaded: {error}\n")
                continue
            url = server.base_url + query.path
            for index, load in enumerate(loads):
                seconds = _plan(load.concurrency, alone_s, options)
                if seconds is None:
                    note = (
                        f"{query.name}, {label}, {load.concurrency} clients: not run (one "
                        f"request alone took {alone_s:.1f} s, so each of "
                        f"{load.concurrency} at once would take over {MAX_REQUEST_S:g} s)"
                    )
                    report.notes.append(note)
                    out.write(f"  {note}\n")
                    continue
                if index == 0 and options.warmup > 0:
                    load.run(url, query.body, options.warmup)
                _drain(server, query, alone_s)
                result = load.run(url, query.body, seconds)
                row = Row(query.name, label, load.concurrency, result, os.getloadavg(), seconds)
                report.results.append(row)
                out.write(f"  {_row_text(row)}\n")
                out.flush()
                # The requests still in flight: about a request's time under this load.
                time.sleep(min(MAX_REQUEST_S, alone_s * load.concurrency / _cores()))
                _drain(server, query, alone_s)


def _row_text(row: Row) -> str:
    r = row.result
    answered = r.requests > 0
    p50 = f"{r.p50_ms:10.1f}" if answered else f"{'—':>10}"
    p99 = f"{r.p99_ms:10.1f}" if answered else f"{'—':>10}"
    return (
        f"{row.query:<9}{row.server:<14}{row.clients:>8}{r.per_second:>9.1f}{p50}{p99}"
        f"{r.requests:>9}{r.failures:>9}{row.seconds:>6.0f}  "
        + " ".join(f"{x:.2f}" for x in row.load_average)
    )


_HEADER = (
    f"{'query':<9}{'server':<14}{'clients':>8}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}"
    f"{'answers':>9}{'failed':>9}{'run s':>6}  load average (1, 5, 15 min) at the end"
)


def _compare(
    report: Report,
    names: list[str],
    answers: dict[tuple[str, str], dict[grouped_queries.GroupKey, grouped_queries.Measures]],
    out: TextIO,
) -> None:
    """eventql's and PostGraphile's answers against the floor's; differences go in the report."""
    for name in names:
        if (name, "floor") not in answers:
            continue
        floor = answers[(name, "floor")]
        for server, full in (("eventql", True), ("postgraphile", False)):
            if (name, server) not in answers:
                continue
            lines = grouped_queries.differences(floor, answers[(name, server)], full=full)
            what = "groups, low, best, high, figures" if full else "groups, low, best"
            verdict = "yes" if not lines else f"NO ({len(lines)} differences)"
            out.write(f"  {name}: {server} = floor ({len(floor)} groups; {what}): {verdict}\n")
            for line in lines[:10]:
                out.write(f"    {line}\n")
            report.mismatches += [f"{name}, {server}: {line}" for line in lines]


def _database(kind: str, options: argparse.Namespace, out: TextIO) -> Report:
    url, report = _seeded(kind, options, out)
    if options.seed_only:
        return report
    wanted = set(options.queries.split(",")) if options.queries else set(grouped_queries.NAMES)
    names = [name for name in grouped_queries.NAMES if name in wanted]
    loads = [
        LoadGenerator(concurrency=clients, prefer_wrk=not options.python_load, timeout_s=TIMEOUT_S)
        for clients in sorted({1, options.concurrency})
    ]
    answers: dict[tuple[str, str], dict[grouped_queries.GroupKey, grouped_queries.Measures]] = {}

    def run(
        label: str,
        start: Callable[[], AbstractContextManager[servers.Server]],
        make: Callable[[str], BenchQuery],
    ) -> None:
        _serve(report, label, start, [make(n) for n in names], loads, options, answers, out)

    run("eventql", lambda: servers.eventql(url, fast_path=True), grouped_queries.eventql_query)
    run(
        "floor",
        lambda: servers.floor(url, module="tests.benchmarks.grouped_floor"),
        grouped_queries.floor_query,
    )
    if kind == "postgresql" and not options.no_postgraphile:
        missing = servers.postgraphile_available()
        if missing:
            report.notes.append(f"PostGraphile not installed: run `{missing}`")
        else:
            run(
                "postgraphile",
                lambda: servers.postgraphile(url, aggregates=True),
                grouped_queries.postgraphile_query,
            )
    _compare(report, names, answers, out)
    if not options.keep and kind == "postgresql":
        data.drop_postgres(options.postgres_url, DATABASE)
    return report


def _ratio(top: LoadResult | None, bottom: LoadResult | None) -> str:
    if top is None or bottom is None or top.failures or bottom.failures:
        return "—"  # no ratio of failed runs
    if not bottom.per_second:
        return "—"
    return f"{top.per_second / bottom.per_second:.2f}"


def lines(report: Report, concurrency: int) -> Iterator[str]:
    """The report of one database as text: every run, then ratios against the targets."""
    seeded = f", seeded in {report.seed_s:.1f} s" if report.seed_s else ""
    yield f"{report.database}: {report.events:,} events, {report.rows:,} rows{seeded}"
    yield f"  {_HEADER}"
    yield from (f"  {_row_text(row)}" for row in report.results)
    queries = list(dict.fromkeys(row.query for row in report.results))
    for query in queries:
        for clients in sorted({1, concurrency}):
            mine = report.rate(query, "eventql", clients)
            floor = report.rate(query, "floor", clients)
            pg = report.rate(query, "postgraphile", clients)
            yield (
                f"  {query} × {clients:>2} clients: eventql ÷ PostGraphile {_ratio(mine, pg)} "
                f"(target ≥ {TARGET_VERSUS_POSTGRAPHILE}), eventql ÷ floor "
                f"{_ratio(mine, floor)} (target ≥ {TARGET_VERSUS_FLOOR})"
            )
        one = report.rate(query, "eventql", 1)
        if one is not None and one.requests:
            verdict = "met" if one.p50_ms < TARGET_P50_MS else "NOT met"
            yield (
                f"  {query}: eventql one-client p50 {one.p50_ms:.1f} ms "
                f"(target < {TARGET_P50_MS:g} ms: {verdict})"
            )
    yield from (f"  note: {note}" for note in report.notes)
    yield from (f"  FAILED (not loaded): {failure}" for failure in report.failures)
    if report.mismatches:
        yield f"  ANSWERS DIFFER: {len(report.mismatches)} differences (see above)"


def main(options: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run the grouped workload with the harness's options; 1 when answers differ."""
    out.write(
        f"grouped workload — {options.events:,} events; {options.warmup:g} s warm-up, "
        f"runs of {options.seconds:g} s or more; 1 and {options.concurrency} clients; "
        f"{_load_text()}\n"
    )
    reports = [
        _database(kind, options, out)
        for kind in options.databases.split(",")
        if kind in ("sqlite", "postgresql")
    ]
    out.write("\n")
    for report in reports:
        for line in lines(report, options.concurrency):
            out.write(line + "\n")
        out.write("\n")
    if options.json:
        options.json.write_text(json.dumps([_as_json(r) for r in reports], indent=2))
    return 1 if any(r.mismatches or r.failures for r in reports) else 0


def _as_json(report: Report) -> dict[str, Any]:
    return {
        "database": report.database,
        "events": report.events,
        "rows": report.rows,
        "seed_s": report.seed_s,
        "mismatches": report.mismatches,
        "failures": report.failures,
        "results": [
            {
                "query": row.query,
                "server": row.server,
                "clients": row.clients,
                "per_second": row.result.per_second,
                "p50_ms": row.result.p50_ms,
                "p99_ms": row.result.p99_ms,
                "answers": row.result.requests,
                "failed": row.result.failures,
                "load_average": row.load_average,
                "seconds": row.seconds,
            }
            for row in report.results
        ],
    }
