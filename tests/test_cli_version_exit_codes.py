"""`eventql --version`, one meaning per exit code, and help that reads cleanly (issue 15)."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from eventql import exit_codes
from eventql.cli import app
from eventql.exit_codes import ExitCode
from schema.db import SCHEMA_VERSION, create_sync_engine
from tests.import_files import UCDP_FILE
from tests.seed_helpers import GOOD

runner = CliRunner()


def test_version_names_eventql_and_its_database_schema() -> None:
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.stdout == f"eventql {version('eventql')} (database schema {SCHEMA_VERSION})\n"


def test_python_dash_m_eventql_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eventql", "--version"], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0
    assert done.stdout.startswith(f"eventql {version('eventql')} ")


def test_each_exit_code_has_one_meaning_documented_in_one_place() -> None:
    codes = [int(code) for code in ExitCode]
    assert codes == sorted(set(codes)) == list(range(len(codes)))
    documented = re.findall(r"^\| (\d) \|", exit_codes.__doc__ or "", re.MULTILINE)
    assert [int(code) for code in documented] == codes


def _bad_seed(folder: Path) -> Path:
    path = folder / "bad.yaml"
    path.write_text("dataset: broken\nevents: [{id: x}]\n", encoding="utf-8")
    return path


def _old_schema(folder: Path) -> str:
    url = f"sqlite:///{folder / 'old.sqlite3'}"
    assert runner.invoke(app, ["seed", str(GOOD), "--database-url", url]).exit_code == 0
    engine = create_sync_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE eventql_meta SET value = '0' WHERE key = 'schema_version'"))
    engine.dispose()
    return url


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (ExitCode.BAD_INPUT, "problems in the seed files; nothing was written"),
        (ExitCode.USAGE, "No such option"),
        (ExitCode.DATABASE, "Database error"),
        (ExitCode.SETTINGS, "Invalid setting --database-url="),
        (ExitCode.SCHEMA_VERSION, "eventql seed --rebuild"),
    ],
    ids=lambda value: value.name if isinstance(value, ExitCode) else "",
)
def test_seed_exits_with_the_code_of_each_kind_of_failure(
    code: ExitCode, words: str, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    arguments = {
        ExitCode.BAD_INPUT: [str(_bad_seed(tmp_path)), "--database-url", database],
        ExitCode.USAGE: ["--no-such-option"],
        ExitCode.DATABASE: ["--database-url", f"sqlite:///{tmp_path / 'missing' / 'db'}"],
        ExitCode.SETTINGS: ["--database-url", "mysql://db/events"],
        ExitCode.SCHEMA_VERSION: [str(GOOD), "--database-url", _old_schema(tmp_path)]
        if code is ExitCode.SCHEMA_VERSION
        else [],
    }[code]

    result = runner.invoke(app, ["seed", *arguments])

    assert result.exit_code == code, result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_import_of_a_database_of_another_schema_version_exits_5(tmp_path: Path) -> None:
    url = _old_schema(tmp_path)
    result = runner.invoke(app, ["import", "ucdp", str(UCDP_FILE), "--database-url", url])

    assert result.exit_code == ExitCode.SCHEMA_VERSION
    assert "Database schema mismatch" in result.stderr
    assert "Traceback" not in result.output


def test_serve_with_seed_paths_but_no_watch_is_a_usage_error() -> None:
    result = runner.invoke(app, ["serve", "seeds/"])

    assert result.exit_code == ExitCode.USAGE
    assert "seed paths are only used with --watch" in result.output


COMMANDS = [
    [],
    ["seed"],
    ["seed-schema"],
    ["import"],
    ["import", "ucdp"],
    ["import", "gdelt"],
    ["export"],
    ["export-schema"],
    ["serve"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "eventql")
def test_help_shows_no_python_types(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})

    assert result.exit_code == 0
    for python_type in ("<bool>", "<list[", "<str>", "<int", "<float>", "<dir>"):
        assert python_type not in result.stdout, f"{python_type} in:\n{result.stdout}"


def test_help_names_option_values_by_what_they_are() -> None:
    help_texts = {
        " ".join(command): runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"}).stdout
        for command in (["serve"], ["export"], ["seed"], ["import", "ucdp"])
    }

    assert re.search(r"--database-url\s+URL", help_texts["serve"])
    assert re.search(r"--port\s+PORT", help_texts["serve"])
    assert re.search(r"--output\s+-o\s+FILE", help_texts["export"])
    assert re.search(r"--dataset\s+NAME", help_texts["import ucdp"])
    assert "[PATH]..." in help_texts["seed"]
