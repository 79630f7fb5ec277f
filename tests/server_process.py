"""`eventql serve` as a child process, for tests and load runs that need a real server.

Unlike an in-process app, the child has its own interpreter (its own GIL and memory), so a
load run measures the server alone, its peak memory can be read from `/proc`, and it can be
fed `--watch` and environment settings exactly as a user would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["ServerProcess", "eventql_command", "free_port", "serve"]

#: Long enough for a first start that creates the tables and seeds on a slow, shared machine.
STARTUP_DEADLINE_S = 120.0


def eventql_command() -> list[str]:
    """The `eventql` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "eventql"
    if script.exists():
        return [str(script)]
    found = shutil.which("eventql")
    if found is None:
        raise RuntimeError("the eventql command is not installed (pip install -e '.[test]')")
    return [found]


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """A running `eventql serve`: its URL, process ID and output (a log file)."""

    def __init__(self, process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log

    @property
    def pid(self) -> int:
        """The server's process ID (one worker: the process that answers requests)."""
        return self.process.pid

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def output(self) -> str:
        """Everything the server has logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def peak_rss_bytes(self) -> int | None:
        """The server's peak resident memory (Linux `VmHWM`), or None where /proc has none."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return None

    def wait_for_log(self, text: str, *, timeout_s: float = 60.0) -> str:
        """Wait until the log contains `text`; return the log (raise if it never does)."""
        deadline = time.monotonic() + timeout_s
        while True:
            output = self.output()
            if text in output:
                return output
            if not self.alive() or time.monotonic() > deadline:
                raise AssertionError(f"server log never showed {text!r}:\n{output}")
            time.sleep(0.1)


@contextmanager
def serve(
    database_url: str,
    *,
    args: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> Iterator[ServerProcess]:
    """Start `eventql serve` on a free loopback port; yield it once /healthz answers 200."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="eventql-serve-"))
    log = workdir / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                *eventql_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database-url",
                database_url,
                *args,
            ],
            env={**os.environ, "EVENTQL_SEED_ON_EMPTY": "false", **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=workdir,
        )
    server = ServerProcess(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while True:
            if not server.alive():
                raise RuntimeError(
                    f"eventql serve exited with {process.returncode}:\n{server.output()}"
                )
            try:
                if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"eventql serve did not answer within {STARTUP_DEADLINE_S} s")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
