"""`eventql serve --watch`: seed file edits reach the running server; invalid edits do not."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.api_support import world
from tests.server_process import ServerProcess, serve

pytestmark = pytest.mark.slow

#: How long a change may take to show (watchfiles' debounce, validation, a loaded machine).
PATIENCE_S = 90.0
TITLE = '{ event(slug: "almaty-riots") { title } }'


def _eventually(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + PATIENCE_S
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {PATIENCE_S} s: {what}")
        time.sleep(0.2)


def _title(server: ServerProcess) -> str | None:
    response = httpx.post(f"{server.base_url}/graphql", json={"query": TITLE}, timeout=30)
    event = response.json()["data"]["event"]
    return None if event is None else str(event["title"])


def _write(path: Path, data: dict[str, Any]) -> None:
    # Written next to the file and renamed over it, as editors save: never a half-written file.
    partial = path.with_suffix(".tmp")
    partial.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    partial.replace(path)


def test_serve_watch_reseeds_when_a_seed_file_changes(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    seed, records = folder / "testland.json", world()
    _write(seed, records)
    with serve(database_url, args=["--watch", str(folder)]) as server:
        _eventually(lambda: _title(server) == "Riots in Almaty", "the first load")
        records["events"][0]["title"] = "Riots in Almaty, edited"
        _write(seed, records)
        _eventually(lambda: _title(server) == "Riots in Almaty, edited", "the edit served")


def test_serve_watch_keeps_the_served_data_when_an_edit_is_invalid(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    seed, records = folder / "testland.json", world()
    _write(seed, records)
    with serve(database_url, args=["--watch", str(folder)]) as server:
        _eventually(lambda: _title(server) == "Riots in Almaty", "the first load")
        records["events"][0]["title"] = "Never served"
        records["events"][0]["type"] = "riot"  # not an event type
        _write(seed, records)
        log = server.wait_for_log("the served data stays as it was", timeout_s=PATIENCE_S)
        problem = next(line for line in log.splitlines() if "events[almaty-riots].type" in line)
        assert str(seed) in problem
        assert _title(server) == "Riots in Almaty"
