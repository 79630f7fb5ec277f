"""A real `eventql serve` process for tests that talk to it from outside Python (Node, Chromium).

The server runs as a subprocess on a free port with its own database; on an empty database it
seeds the bundled records itself, exactly as a newcomer's first `eventql serve` does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import skip_or_fail

__all__ = [
    "NODE_DIR",
    "REPO_ROOT",
    "eventql_command",
    "node_prerequisites",
    "run_node_tests",
    "running_server",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = REPO_ROOT / "tests" / "node"
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(database_url: str, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `eventql serve` on `database_url`; yield its base URL once /healthz answers."""
    port = _free_port()
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
        ],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"eventql serve exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"eventql serve did not answer within {STARTUP_DEADLINE_S} s")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def node_prerequisites() -> None:
    """Skip (fail under CI=true) unless Node.js and the locked packages are installed."""
    if shutil.which("node") is None:
        skip_or_fail("Node.js is not installed (apt-get install nodejs)")
    if not (NODE_DIR / "node_modules" / ".package-lock.json").exists():
        skip_or_fail("the Node test packages are not installed: run `npm ci` in tests/node")


def run_node_tests(*paths: str, env: dict[str, str] | None = None) -> None:
    """Run Node's test runner on `paths` (relative to tests/node); fail with its report."""
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec", *paths],
        cwd=NODE_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"node --test {' '.join(paths)}:\n{result.stdout}\n{result.stderr}"
    )
