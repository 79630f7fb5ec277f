"""What the harness reads about the server from outside: memory, CPU time, busy backends.

Memory and CPU come from Linux's /proc (None elsewhere). Busy backends come from PostgreSQL's
`pg_stat_activity`: a backend of the server's database that is running a statement or holding
a transaction open, as opposed to an idle pooled connection.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

__all__ = [
    "Backend",
    "busy_backends",
    "cpu_seconds",
    "percentile",
    "rss_bytes",
    "terminate_backends",
]


def _status_kb(pid: int, field: str) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def rss_bytes(pid: int, *, peak: bool = False) -> int | None:
    """The process's resident memory now (`VmRSS`), or its peak so far (`VmHWM`)."""
    kb = _status_kb(pid, "VmHWM" if peak else "VmRSS")
    return None if kb is None else kb * 1024


def cpu_seconds(pid: int) -> float | None:
    """CPU time the process has used so far, user and system, all threads together."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name (which may hold spaces) start after its closing ")".
    fields = stat.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


@dataclass(frozen=True)
class Backend:
    """A PostgreSQL backend of the server's database that is not idle."""

    pid: int
    state: str
    #: Seconds since its transaction (or else its statement) began.
    age_s: float
    query: str

    def __str__(self) -> str:
        return f"backend {self.pid} {self.state} for {self.age_s:.1f} s: {self.query[:80]!r}"


def _engine_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql+psycopg").render_as_string(False)


_BUSY = text(
    """SELECT pid, state,
              extract(epoch FROM clock_timestamp() - coalesce(xact_start, query_start)),
              query
         FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_type = 'client backend' AND state <> 'idle'
          AND coalesce(xact_start, query_start) < to_timestamp(:before)"""
)


def busy_backends(database_url: str, *, began_before: float) -> list[Backend]:
    """Backends of the database that are busy with work begun before `began_before`.

    `began_before` is a wall-clock time (`time.time()`); client and server share the clock
    since both run on this machine. Work begun later (the probe's) is not reported.
    """
    engine = create_engine(_engine_url(database_url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            rows = connection.execute(_BUSY, {"before": began_before}).all()
    finally:
        engine.dispose()
    return [Backend(int(p), str(state), float(age), str(query)) for p, state, age, query in rows]


def terminate_backends(database_url: str, *, wait_s: float = 30.0) -> int:
    """End every other backend of the database (left over by an earlier attack), and wait
    until they are gone (a backend busy planning may take seconds to notice); how many."""
    engine = create_engine(_engine_url(database_url), connect_args={"connect_timeout": 3})
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                text(f"SELECT count(pg_terminate_backend(pid)) {others}")
            ).scalar_one()
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                if not connection.execute(text(f"SELECT count(*) {others}")).scalar_one():
                    break
                time.sleep(0.2)
    finally:
        engine.dispose()
    return int(ended)
