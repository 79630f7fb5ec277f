"""The explorer in Debian's Chromium (driven by playwright-core; never a downloaded browser):
it opens offline, shows the example tabs and the docs, runs the first example, and the result
pane shows seeded records. The screenshot lands in test-artifacts/explorer.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.node_runner import REPO_ROOT, SEEDED, node_prerequisites, run_node_tests
from tests.server_process import serve

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = REPO_ROOT / "test-artifacts"


def test_explorer_runs_the_example_query_in_chromium(sqlite_url: str) -> None:
    node_prerequisites()
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    screenshot = ARTIFACTS / "explorer.png"
    screenshot.unlink(missing_ok=True)
    with serve(sqlite_url, env=SEEDED) as server:
        run_node_tests(
            "browser/explorer.test.mjs",
            env={
                "EVENTQL_URL": server.base_url,
                "EVENTQL_ARTIFACTS": str(ARTIFACTS),
                "CHROMIUM_PATH": str(CHROMIUM),
            },
        )
    assert screenshot.stat().st_size > 0
