"""`eventql history`: the versions of the datasets, and one version's record changes."""

from __future__ import annotations

import copy
from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app
from tests.seed_helpers import large_seed, write_json

runner = CliRunner()


def _seed(url: str, folder: Path, data: dict[str, object]) -> None:
    folder.mkdir()
    path = write_json(folder / "history.json", data)
    result = runner.invoke(app, ["seed", str(path), "--database-url", url])
    assert result.exit_code == 0, result.output


def test_history_lists_versions_then_what_one_changed(sqlite_url: str, tmp_path: Path) -> None:
    seed = large_seed(20, dataset="hist")
    edited = copy.deepcopy(seed)
    edited["events"] = [e for e in edited["events"] if e["id"] != "e7"]
    edited["events"][0]["title"] = "Renamed protest"
    _seed(sqlite_url, tmp_path / "one", seed)
    _seed(sqlite_url, tmp_path / "two", edited)

    listed = runner.invoke(app, ["history", "--database-url", sqlite_url], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.output.splitlines() if "│ hist" in line]
    assert [line.split("│")[2].strip() for line in lines] == ["2", "1"]  # newest first
    assert [cell.strip() for cell in lines[0].split("│")[5:8]] == ["0", "1", "1"]

    shown = runner.invoke(
        app, ["history", "hist", "-v", "2", "--database-url", sqlite_url], terminal_width=200
    )
    assert shown.exit_code == 0, shown.output
    assert "all 2 record changes" in shown.output
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in shown.output.splitlines()]
    assert ["removed", "event", "e7", "", "", ""] in rows
    title = next(row for row in rows if row[:4] == ["changed", "event", "e0", "title"])
    assert title[4].startswith("Protest number 0") and title[5] == "Renamed protest"


def test_history_of_what_is_not_there_says_so(sqlite_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url, tmp_path / "one", large_seed(20, dataset="hist"))
    missing = runner.invoke(app, ["history", "nope", "--database-url", sqlite_url])
    assert missing.exit_code == 1 and "No versions of a dataset named 'nope'" in missing.output
    beyond = runner.invoke(app, ["history", "hist", "-v", "9", "--database-url", sqlite_url])
    assert beyond.exit_code == 1 and "Dataset 'hist' has no version 9." in beyond.output
    alone = runner.invoke(app, ["history", "-v", "1", "--database-url", sqlite_url])
    assert alone.exit_code == 2 and "--version needs a DATASET" in alone.output
