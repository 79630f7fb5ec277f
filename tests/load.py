"""A bounded load run: 16 clients on loopback, a mix of queries, full reseeds in the middle.

    python -m tests.load                      # 30 s on SQLite (a temporary file)
    python -m tests.load --database postgresql://postgres@127.0.0.1:5432/test --duration 30

The server is a real `eventql serve` child process. Its data comes in versions: in version N
every event title, actor name, statement text and figure wording ends in the tag `[vN]`. While
the clients run, the middle half of the run reseeds the whole dataset with the next version
again and again, with `eventql seed` — exactly what an analyst does against a live server.

Every answer is checked: a failure is a transport error, a non-200 status or a GraphQL error;
a *mixed* answer holds tags of two versions (its statements saw different data); a *stale*
answer was asked for after the last reseed committed and still shows an older version. The
report gives requests, failures, mixed and stale answers (all three targets are 0), latency
percentiles, reseeds, and the server's peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import make_url

from tests.api_support import bulk_world, load
from tests.harness import scratch_postgres
from tests.server_process import eventql_command, serve

CLIENTS = 16
#: The reference query of the benchmark (50 events of one type by date, with actors and
#: figures) and three other shapes: statements with speakers and events, nested
#: connections from actors, and search with a count. Both counts count every event (all are
#: protests, all titles say "Event"), so a count names its version (`versions_in`).
QUERIES: tuple[str, ...] = (
    """{ events(first: 50, filter: {type: {equalTo: PROTESTS}}, orderBy: [{field: DATE}]) {
          totalCount nodes { title participants { role actor { name } }
          figures(first: 10) { nodes { kind value raw } } } } }""",
    """{ statements(first: 20) { nodes { text speaker { name } aboutEvents { title } } } }""",
    """{ actors(first: 10) { nodes { name participations(first: 5) {
          nodes { role event { title } } } } } }""",
    """{ events(search: "event", first: 20, orderBy: [{field: DATE, direction: DESC}]) {
          totalCount nodes { title figures(first: 2) { nodes { raw } } } } }""",
)
_TAG = re.compile(rb"\[v(\d+)\]")
_COUNT = re.compile(rb'"totalCount":\s*(\d+)')


def versions_in(body: bytes, n_events: int) -> set[int]:
    """The versions an answer over `versioned_world(·, n_events)` shows: its tags, and the
    version each `totalCount` of all events implies. More than one: a mixed answer."""
    tags = {int(tag) for tag in _TAG.findall(body)}
    return tags | {int(count) - n_events for count in _COUNT.findall(body)}


def versioned_world(version: int, n_events: int) -> dict[str, Any]:
    """`bulk_world` whose every title, name, statement text and figure wording ends in [vN].

    Version N holds `n_events + N` events, so that counts tell versions apart too: a
    `totalCount` read after a reseed committed mid-request must not pass for the old one (the
    fast path reads a page as one tagged statement and its count as another).
    """
    world = bulk_world(n_events + version, dataset="loadtest", per_day=4)
    tag = f" [v{version}]"
    for actor in world["actors"]:
        actor["name"] += tag
    for event in world["events"]:
        event["title"] += tag
    for statement in world["statements"]:
        statement["text"] += tag
    for figure in world["figures"]:
        figure["raw"] = f"{figure['value']} people{tag}"
    return world


@dataclass
class Tally:
    """What the clients saw (each query's `totalCount` counts every event of the version)."""

    n_events: int
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    mixed: int = 0
    stale: int = 0
    versions: set[int] = field(default_factory=set)

    def record(
        self, body: bytes, status: int, started: float, committed: tuple[float, int]
    ) -> None:
        """Check one answer: status, errors, one version per answer, and not stale."""
        if status != 200 or b'"errors"' in body:
            self.failures.append(f"{status}: {body[:300]!r}")
            return
        tags = versions_in(body, self.n_events)
        self.versions |= tags
        if len(tags) > 1:
            self.mixed += 1
        committed_at, latest = committed
        if started > committed_at and tags and max(tags) < latest:
            self.stale += 1


@dataclass
class Report:
    """The outcome of a load run."""

    backend: str
    seconds: float
    requests: int
    failures: int
    mixed: int
    stale: int
    reseeds: int
    reseed_seconds: list[float]
    versions_seen: list[int]
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float | None
    failure_samples: list[str]

    def render(self) -> str:
        """The report as a few lines of text."""
        rss = "n/a" if self.peak_rss_mb is None else f"{self.peak_rss_mb:.0f} MB"
        reseed = (
            f"{self.reseeds} (each {min(self.reseed_seconds):.1f}-{max(self.reseed_seconds):.1f} s)"
            if self.reseed_seconds
            else "0"
        )
        lines = [
            f"backend {self.backend}: {CLIENTS} clients for {self.seconds:.1f} s",
            f"  requests  {self.requests} ({self.requests / self.seconds:.1f}/s)",
            f"  failures  {self.failures}",
            f"  mixed     {self.mixed}   stale {self.stale}",
            f"  reseeds   {reseed}; versions seen {self.versions_seen}",
            f"  latency   p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms",
            f"  server peak RSS {rss}",
        ]
        lines += [f"  failure: {sample}" for sample in self.failure_samples]
        return "\n".join(lines)


class _Run:
    """State shared by the reseeder thread and the clients."""

    def __init__(self, began: float, seconds: float) -> None:
        self.stop_at = began + seconds
        #: When the latest reseed committed, and its version (version 1 is loaded before).
        self.committed: tuple[float, int] = (began, 1)
        self.reseeds_over = threading.Event()
        self.durations: list[float] = []
        self.errors: list[str] = []

    def client_done(self, last_started: float) -> bool:
        """Past the time, reseeds over, and this client has asked since the last commit."""
        return (
            time.monotonic() >= self.stop_at
            and self.reseeds_over.is_set()
            and last_started > self.committed[0]
        )


def _reseed(
    run: _Run, url: str, folder: Path, n_events: int, start_at: float, end_at: float
) -> None:
    """Reseed with versions 2, 3, ... from `start_at` until `end_at` (at least once)."""
    version = 1
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        while version == 1 or time.monotonic() < end_at:
            version += 1
            path = folder / "loadtest.json"
            path.write_bytes(orjson.dumps(versioned_world(version, n_events)))
            started = time.monotonic()
            done = subprocess.run(
                [*eventql_command(), "seed", str(path), "--database-url", url],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                run.errors.append(f"eventql seed exited {done.returncode}: {done.stderr[-500:]}")
                return
            run.durations.append(time.monotonic() - started)
            run.committed = (time.monotonic(), version)
    finally:
        run.reseeds_over.set()


async def _client(client: httpx.AsyncClient, number: int, run: _Run, tally: Tally) -> None:
    turn, started = number, 0.0
    while not run.client_done(started):
        query = QUERIES[turn % len(QUERIES)]
        turn += 1
        started = time.monotonic()
        try:
            response = await client.post("/graphql", json={"query": query})
        except httpx.HTTPError as error:
            tally.failures.append(f"transport: {error!r}")
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.record(response.content, response.status_code, started, run.committed)


async def _drive(base_url: str, run: _Run, tally: Tally) -> None:
    # Each client keeps its own connection, as wrk's do. In one shared pool, a connection the
    # pool seldom picks idles past uvicorn's keep-alive timeout, and a request sent just as
    # the server closes it fails in transport: the client's race, not the server's answer.
    async def one_client(number: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
            await _client(client, number, run, tally)

    await asyncio.gather(*(one_client(i) for i in range(CLIENTS)))


def run_load(
    database_url: str, *, seconds: float, n_events: int, env: dict[str, str] | None = None
) -> Report:
    """Seed version 1, serve it, run the clients for `seconds` with reseeds in the middle.

    Reseeds run from a quarter to three quarters of the time (at least one, however long it
    takes); the clients run until the time is up, the reseeds are over, and each client has
    asked once more after the last reseed committed.
    """
    with tempfile.TemporaryDirectory(prefix="eventql-load-") as tmp:
        folder = Path(tmp)
        load(database_url, folder, versioned_world(1, n_events))
        with serve(database_url, env=env) as server:
            tally = Tally(n_events)
            began = time.monotonic()
            run = _Run(began, seconds)
            reseeder = threading.Thread(
                target=_reseed,
                args=(run, database_url, folder, n_events, began + seconds / 4),
                kwargs={"end_at": began + seconds * 3 / 4},
            )
            reseeder.start()
            try:
                asyncio.run(_drive(server.base_url, run, tally))
            finally:
                reseeder.join()
            elapsed = time.monotonic() - began
            peak = server.peak_rss_bytes()
            errors, durations = run.errors, run.durations
    latencies = sorted(tally.latencies) or [0.0]
    return Report(
        backend=make_url(database_url).get_backend_name(),
        seconds=elapsed,
        requests=len(tally.latencies) + sum(f.startswith("transport") for f in tally.failures),
        failures=len(tally.failures) + len(errors),
        mixed=tally.mixed,
        stale=tally.stale,
        reseeds=len(durations),
        reseed_seconds=durations,
        versions_seen=sorted(tally.versions),
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        peak_rss_mb=None if peak is None else peak / 2**20,
        failure_samples=(errors + tally.failures)[:5],
    )


@contextmanager
def scratch_database(base_url: str | None) -> Iterator[str]:
    """A fresh database: a temporary SQLite file, or a new database on a PostgreSQL server."""
    if base_url is None or make_url(base_url).get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="eventql-load-db-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        return
    with scratch_postgres(base_url, prefix="eventql_load") as url:
        yield url


def main() -> None:
    """Command line: run the load and print the report; exit 1 unless all targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--events", type=int, default=4000, help="events per version")
    options = parser.parse_args()
    with scratch_database(options.database) as url:
        report = run_load(url, seconds=options.duration, n_events=options.events)
    print(report.render())  # noqa: T201
    ok = report.failures == report.mixed == report.stale == 0 and report.reseeds > 0
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
