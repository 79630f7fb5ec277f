"""What `eventql import` shows (issue 15): the whole dataset name, "unchanged", a counted bar."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app
from tests.import_files import GDELT_DATASET, GDELT_FILE

runner = CliRunner()

#: Makes rich treat CliRunner's captured stdout as a terminal.
_TERMINAL = {"TTY_COMPATIBLE": "1"}
#: Terminal control sequences (colours, cursor moves) of rich's output.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _import(url: str, env: dict[str, str]) -> str:
    result = runner.invoke(
        app, ["import", "gdelt", str(GDELT_FILE), "--database-url", url], env=env
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def _row(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if line.startswith(GDELT_DATASET)]
    assert len(lines) == 1, output
    return lines[0].split()


def test_import_summary_keeps_the_dataset_name_whole_on_a_narrow_terminal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    row = _row(_import(url, {"COLUMNS": "40"}))

    assert row[0] == GDELT_DATASET  # exactly what --dataset needs
    assert row[-1] == "new"


def test_reimporting_an_unchanged_file_says_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    first = _row(_import(url, {"COLUMNS": "60"}))

    again = _import(url, {"COLUMNS": "60"})

    assert _row(again)[-1] == "unchanged"
    assert _row(again)[:-1] == first[:-1]  # the same counts, now said to be unchanged


def test_the_writing_progress_bar_counts_rows_written_of_the_total(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    output = _import(url, _TERMINAL)

    counts = re.findall(
        r"Writing rows\S*\s+\S*?\s*\S*?(\d+)/(\d+)", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    )
    assert counts, output
    done, total = counts[-1]
    assert done == total == str(sum(int(n.replace(",", "")) for n in _row(output)[-2:-1]))
