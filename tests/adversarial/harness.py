"""Run one attack against a fresh `eventql serve` and report what it did to the server.

The server is a child process on loopback (`tests.server_process`) over a database seeded
with `EVENTS` generated events. The probe runs from half a second before the attack until its
work has stopped: the harness polls, once a second for at most `GRACE_S`, which PostgreSQL
backends are still busy with work begun during the attack and how much CPU the server used in
that second; then it reads the peak memory. `Report.problems()` lists every bound broken.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import make_url

from tests.adversarial.attacks import Attack
from tests.adversarial.bounds import (
    GRACE_S,
    IDLE_CPU_FRACTION,
    RSS_BOUND_BYTES,
    SERVER_ENV,
    SLACK_S,
    STALL_BOUND_S,
)
from tests.adversarial.measure import (
    Backend,
    busy_backends,
    cpu_seconds,
    rss_bytes,
    terminate_backends,
)
from tests.adversarial.probe import PROBE_QUERY, Probe, Samples
from tests.adversarial.session import Result, Session
from tests.api_support import load
from tests.harness import scratch_postgres
from tests.seed_helpers import large_seed
from tests.server_process import serve

__all__ = ["EVENTS", "Report", "run_attack", "scratch_database", "seed", "seeded"]

#: Generated events the attacks run on (with about 35 other rows each): enough for the work
#: to matter, quick to load (measured: 4.3 s on SQLite, 5.2 s on PostgreSQL, quiet machine).
EVENTS = 20_000
#: How long the probe runs before the attack starts, for a baseline of its latency.
BASELINE_S = 0.5
#: The window, after the grace, in which the server's CPU use is measured.
CPU_WINDOW_S = 1.0
#: How long to wait for an attack's leftover PostgreSQL backends to go, so that they neither
#: disturb the next attack's figures nor keep its database from being dropped.
DROP_WAIT_S = 180.0


def seed(database_url: str, n_events: int = EVENTS) -> None:
    """Load the generated data (the varied seed of the API benchmark) into a fresh database."""
    with tempfile.TemporaryDirectory(prefix="eventql-adversarial-") as tmp:
        load(database_url, Path(tmp), large_seed(n_events, varied=True))


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} s"


def _mb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:.0f} MB"


@dataclass
class Report:
    """What one attack did, and what the server did meanwhile."""

    attack: Attack
    backend: str
    limit_s: float
    results: list[Result] = field(default_factory=list)
    #: From the first request sent to the last one ended.
    seconds: float = 0.0
    query: Samples = field(default_factory=Samples)
    healthz: Samples = field(default_factory=Samples)
    rss_before: int | None = None
    rss_after: int | None = None
    rss_peak: int | None = None
    #: CPU the server used in the window after the grace, as a fraction of one core.
    cpu_after: float | None = None
    #: How soon after the attack the server was seen idle (its CPU measured over 1 s windows;
    #: the whole grace if it never was).
    settled_s: float | None = None
    busy: list[Backend] = field(default_factory=list)
    alive: bool = True

    @property
    def outcome(self) -> str:
        """The requests' verdicts, counted: e.g. "6 refused" or "1 answered, 1 failed"."""
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.verdict] = counts.get(result.verdict, 0) + 1
        return ", ".join(f"{n} {verdict}" for verdict, n in counts.items()) or "nothing sent"

    @property
    def growth(self) -> int | None:
        """How much the server's resident memory grew from before the attack to after it."""
        if self.rss_before is None or self.rss_after is None:
            return None
        return self.rss_after - self.rss_before

    def problems(self) -> list[str]:
        """Every bound this attack broke, one line each; empty when the server held."""
        problems = [str(result) for result in self.results if not result.ok]
        for name, samples in (("probe query", self.query), ("/healthz", self.healthz)):
            stalled = samples.stalls(STALL_BOUND_S)
            if samples.failures or stalled:
                first = samples.failures[0] if samples.failures else ""
                problems.append(
                    f"{name}: {len(samples.failures)} failed and {stalled} waited over "
                    f"{STALL_BOUND_S} s of {samples.count} (longest {samples.max:.1f} s) {first}"
                )
        if self.query.count == 0 or self.healthz.count == 0:
            problems.append("the probe sent nothing")
        if self.rss_peak is not None and self.rss_peak > RSS_BOUND_BYTES:
            problems.append(
                f"server memory peaked at {_mb(self.rss_peak)}, over {_mb(RSS_BOUND_BYTES)} "
                f"(from {_mb(self.rss_before)} before the attack)"
            )
        growth = self.growth
        bound = self.attack.max_growth_bytes
        if bound is not None and growth is not None and growth > bound:
            problems.append(
                f"server memory grew by {_mb(growth)}, over {_mb(bound)} "
                f"({_mb(self.rss_before)} to {_mb(self.rss_after)})"
            )
        problems += [f"{backend}, {GRACE_S:.0f} s after the attack" for backend in self.busy]
        if self.cpu_after is not None and self.cpu_after > IDLE_CPU_FRACTION:
            problems.append(
                f"the server still used {self.cpu_after:.0%} of a core {GRACE_S:.0f} s after "
                "the attack ended: work outlived its requests"
            )
        if not self.alive:
            problems.append("the server died")
        return problems

    def render(self) -> str:
        """The report as a few lines of text (figures, then any problems)."""
        q, h = self.query, self.healthz
        cpu = "n/a" if self.cpu_after is None else f"{self.cpu_after:.0%}"
        lines = [
            f"{self.attack.name} on {self.backend}: {self.attack.summary}",
            f"  outcome   {self.outcome} in {self.seconds:.1f} s (limit {self.limit_s:.0f} s "
            "per request)",
            f"  probe     p50 {q.p(0.5) * 1000:.0f} ms, p99 {q.p(0.99) * 1000:.0f} ms, "
            f"max {q.max * 1000:.0f} ms ({q.count} queries, {len(q.failures)} failed); "
            f"/healthz max {h.max * 1000:.0f} ms ({h.count}, {len(h.failures)} failed)",
            f"  memory    {_mb(self.rss_before)} before, {_mb(self.rss_after)} after "
            f"(grew {_mb(self.growth)}), peak {_mb(self.rss_peak)}",
            f"  after     {len(self.busy)} busy PostgreSQL backends, server CPU {cpu}; "
            f"idle within {_seconds(self.settled_s)} of the attack's end",
        ]
        lines += [f"  request   {result}" for result in self.results]
        lines += [f"  PROBLEM   {problem}" for problem in self.problems()]
        return "\n".join(lines)


def run_attack(attack: Attack, database_url: str) -> Report:
    """Serve the (seeded) database fresh, probe it, run the attack, and measure."""
    backend = make_url(database_url).get_backend_name()
    postgres = backend == "postgresql"
    if postgres:
        terminate_backends(database_url)  # whatever an earlier attack left running
    env = {**SERVER_ENV, **attack.env}
    report = Report(attack, backend, float(env["EVENTQL_REQUEST_TIMEOUT_S"]) + SLACK_S)
    with serve(database_url, env=env) as server:
        session = Session(server, database_url, report.limit_s)
        warm = session.graphql("warm-up", {"query": PROBE_QUERY})
        assert warm.verdict == "answered", warm
        session.results.clear()
        report.rss_before = rss_bytes(server.pid)
        with Probe(server.base_url) as probe:
            time.sleep(BASELINE_S)
            started = time.monotonic()
            attack.send(session)
            report.seconds = time.monotonic() - started
            ended_at = time.time()
            # Poll until the attack's work has stopped (no busy backend, the server's CPU
            # idle), or the grace period is over: then whatever is still busy is reported.
            settle_by = time.monotonic() + GRACE_S
            while True:
                if postgres:
                    report.busy = busy_backends(database_url, began_before=ended_at)
                cpu_before, window_start = cpu_seconds(server.pid), time.monotonic()
                time.sleep(CPU_WINDOW_S)
                cpu_now = cpu_seconds(server.pid)
                if cpu_before is not None and cpu_now is not None:
                    report.cpu_after = (cpu_now - cpu_before) / (time.monotonic() - window_start)
                idle = report.cpu_after is None or report.cpu_after <= IDLE_CPU_FRACTION
                if (idle and not report.busy) or time.monotonic() >= settle_by:
                    report.settled_s = time.monotonic() - started - report.seconds
                    break
            if attack.follow_up is not None and not session.stuck:
                attack.follow_up(session)
        report.query, report.healthz = probe.query, probe.healthz
        report.results = list(session.results)
        report.rss_after = rss_bytes(server.pid)
        report.rss_peak = rss_bytes(server.pid, peak=True)
        report.alive = server.alive()
    if postgres:
        terminate_backends(database_url, wait_s=DROP_WAIT_S)
    return report


@contextmanager
def scratch_database(base_url: str | None) -> Iterator[str]:
    """A fresh, empty database: a temporary SQLite file, or a new one on a PostgreSQL server.

    Dropping it waits for backends that ignore being terminated (PostgreSQL's JIT compiler
    does, for as long as it compiles), so that a server that left them cannot fail the drop.
    """
    if base_url is None or make_url(base_url).get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="eventql-adversarial-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'attacked.sqlite3'}"
        return
    with scratch_postgres(
        base_url,
        prefix="eventql_adversarial",
        before_drop=lambda url: terminate_backends(url, wait_s=DROP_WAIT_S),
    ) as url:
        yield url


@contextmanager
def seeded(base_url: str | None, n_events: int = EVENTS) -> Iterator[str]:
    """A fresh database (SQLite without `base_url`) seeded with `n_events` events."""
    with scratch_database(base_url) as url:
        seed(url, n_events)
        yield url
