"""The explorer in Debian's Chromium (driven by playwright-core; never a downloaded browser).

- `browser/explorer.test.mjs`: it opens offline, shows the example tabs and the docs, runs the
  first example, and the result pane shows seeded records; it runs the subscription example,
  a reseed happens (tests.reseeding) and the new version shows in the result pane.
- `browser/results-view.test.mjs`: the results view draws the example tabs' results (map
  marks per event with coordinates, timeline bars, count bars, low–high error bars), a click
  shows the evidence sentence, the query builder renders every tab without an "arg mismatch",
  nothing is fetched from elsewhere and the console stays clean. A second server holds the
  UCDP test file too, so the map is also checked on many points of every coordinate precision.

Screenshots land in test-artifacts/ (explorer.png, explorer-subscription.png, results-*.png,
query-builder.png).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from schema.db import create_sync_engine
from seeds import bundled_seed_paths, load_seeds
from seeds.importers import load_imported
from tests.conftest import skip_or_fail
from tests.import_files import UCDP_DATASET, ucdp_imported
from tests.node_runner import REPO_ROOT, SEEDED, node_prerequisites, run_node_tests
from tests.reseeding import reseed_command, seeded_copy
from tests.server_process import serve

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = REPO_ROOT / "test-artifacts"


def browser_prerequisites() -> None:
    """Skip (fail under CI=true) unless Node, the Node test packages and Chromium are there."""
    node_prerequisites()
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")


def browser_env(base_url: str, **extra: str) -> dict[str, str]:
    """The environment of a browser test run against the server at `base_url`."""
    return {
        "EVENTQL_URL": base_url,
        "EVENTQL_ARTIFACTS": str(ARTIFACTS),
        "CHROMIUM_PATH": str(CHROMIUM),
        **extra,
    }


def test_explorer_runs_the_example_query_in_chromium(sqlite_url: str, tmp_path: Path) -> None:
    browser_prerequisites()
    screenshots = [ARTIFACTS / "explorer.png", ARTIFACTS / "explorer-subscription.png"]
    for screenshot in screenshots:
        screenshot.unlink(missing_ok=True)
    # The bundled seed from a copy the test's reseeds edit (the subscription example's events).
    copy = seeded_copy(tmp_path, sqlite_url)
    # Keep-alive comment lines on the event stream every half second, for the explorer to skip.
    with serve(sqlite_url, env={"EVENTQL_KEEP_ALIVE_S": "0.5"}) as server:
        run_node_tests(
            "browser/explorer.test.mjs",
            env=browser_env(
                server.base_url, EVENTQL_RESEED=json.dumps(reseed_command(copy, sqlite_url))
            ),
        )
    assert all(screenshot.stat().st_size > 0 for screenshot in screenshots)


def test_results_view_draws_the_examples_in_chromium(sqlite_url: str, tmp_path: Path) -> None:
    browser_prerequisites()
    screenshots = [
        ARTIFACTS / name
        for name in (
            "results-map.png",
            "results-map-ucdp.png",
            "results-timeline.png",
            "results-figures.png",
            "query-builder.png",
        )
    ]
    for screenshot in screenshots:
        screenshot.unlink(missing_ok=True)
    # The examples run on the bundled seed, as on a first start; the UCDP map on a second
    # server that holds the UCDP test file as well.
    ucdp_url = f"sqlite:///{tmp_path / 'ucdp.sqlite3'}"
    engine = create_sync_engine(ucdp_url)
    try:
        load_seeds(bundled_seed_paths(), engine=engine)
        load_imported([ucdp_imported()], engine=engine)
    finally:
        engine.dispose()
    with serve(sqlite_url, env=SEEDED) as server, serve(ucdp_url) as ucdp_server:
        run_node_tests(
            "browser/results-view.test.mjs",
            env=browser_env(
                server.base_url,
                EVENTQL_UCDP_URL=ucdp_server.base_url,
                EVENTQL_UCDP_DATASET=UCDP_DATASET,
            ),
        )
    assert all(screenshot.stat().st_size > 0 for screenshot in screenshots)
