"""Running the Node test project (tests/node) from pytest: prerequisites and `node --test`.

The servers these tests talk to come from `tests.server_process.serve`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail

__all__ = ["NODE_DIR", "REPO_ROOT", "SEEDED", "node_prerequisites", "run_node_tests"]

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = REPO_ROOT / "tests" / "node"
#: `eventql serve` loads the bundled records into the fresh database, as on a first start.
SEEDED = {"EVENTQL_SEED_ON_EMPTY": "true"}


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
