"""`eventql seed` on the command line: the report, where the database is, schema versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from eventql.cli import app
from schema.db import create_sync_engine
from tests.seed_helpers import GOOD, dump_database, large_seed, write_json

runner = CliRunner()


def test_seed_cli_prints_counts_per_dataset_and_kind(database_url: str) -> None:
    result = runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    example = next(line for line in lines if line.startswith("example "))
    assert example.split() == ["example", "1", "4", "2", "1", "3", "29", "new"]
    assert "2 file(s), 41 rows (41 written)" in result.stdout


def test_seed_cli_says_which_datasets_were_unchanged(database_url: str) -> None:
    assert runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url]).exit_code == 0

    result = runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url])

    assert result.exit_code == 0, result.output
    example = next(line for line in result.stdout.splitlines() if line.startswith("example "))
    assert example.split()[-1] == "unchanged"
    assert "(0 written)" in result.stdout


def test_seed_cli_dry_run_says_so_and_writes_nothing(database_url: str) -> None:
    result = runner.invoke(app, ["seed", str(GOOD), "--dry-run", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    assert "Dry run: validated, nothing written" in result.stdout
    assert dump_database(database_url) == {}


def test_seed_cli_reads_the_database_url_from_the_environment(database_url: str) -> None:
    result = runner.invoke(app, ["seed", str(GOOD)], env={"EVENTQL_DATABASE_URL": database_url})

    assert result.exit_code == 0, result.output
    assert len(dump_database(database_url)["event"]) == 3


def test_seed_cli_default_database_is_eventql_sqlite3_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVENTQL_DATABASE_URL", raising=False)

    result = runner.invoke(app, ["seed", str(GOOD)])

    assert result.exit_code == 0, result.output
    assert len(dump_database(f"sqlite:///{tmp_path / 'eventql.sqlite3'}")["event"]) == 3


def _set_schema_version(database_url: str, version: str) -> None:
    engine = create_sync_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE eventql_meta SET value = :v WHERE key = 'schema_version'"), {"v": version}
        )
    engine.dispose()


def test_seed_cli_refuses_a_database_of_another_schema_version(database_url: str) -> None:
    assert runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url]).exit_code == 0
    _set_schema_version(database_url, "0")
    before = dump_database(database_url)

    result = runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url])

    assert result.exit_code == 5  # eventql.exit_codes.ExitCode.SCHEMA_VERSION
    assert "schema version 0" in result.stderr
    assert "eventql seed --rebuild" in result.stderr
    assert dump_database(database_url) == before


def test_seed_cli_rebuild_recreates_the_tables(database_url: str) -> None:
    assert runner.invoke(app, ["seed", str(GOOD), "--database-url", database_url]).exit_code == 0
    _set_schema_version(database_url, "0")

    result = runner.invoke(
        app, ["seed", str(GOOD / "example.yaml"), "--rebuild", "--database-url", database_url]
    )

    assert result.exit_code == 0, result.output
    dump = dump_database(database_url)
    assert [row[1] for row in dump["dataset"]] == ["example"]
    assert dump["eventql_meta"] != [("schema_version", "0")]


def test_seed_cli_unreachable_database_exits_3(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"

    result = runner.invoke(app, ["seed", str(GOOD), "--database-url", url])

    assert result.exit_code == 3
    assert "Database error" in result.stderr


#: Makes rich treat CliRunner's captured stdout as a terminal.
_TERMINAL = {"TTY_COMPATIBLE": "1"}


def test_seed_cli_shows_a_progress_bar_for_large_input_on_a_terminal(
    sqlite_url: str, tmp_path: Path
) -> None:
    large = write_json(tmp_path / "large.json", large_seed(6_000))  # over 2 MB

    result = runner.invoke(app, ["seed", str(large), "--database-url", sqlite_url], env=_TERMINAL)

    assert result.exit_code == 0, result.output
    assert "Reading files" in result.stdout
    assert "Writing rows" in result.stdout


def test_seed_cli_shows_no_progress_bar_for_small_input(sqlite_url: str) -> None:
    result = runner.invoke(app, ["seed", str(GOOD), "--database-url", sqlite_url], env=_TERMINAL)

    assert result.exit_code == 0, result.output
    assert "Writing rows" not in result.stdout


def test_seed_cli_shows_no_progress_bar_when_not_on_a_terminal(
    sqlite_url: str, tmp_path: Path
) -> None:
    large = write_json(tmp_path / "large.json", large_seed(6_000))

    result = runner.invoke(app, ["seed", str(large), "--database-url", sqlite_url])

    assert result.exit_code == 0, result.output
    assert "Writing rows" not in result.stdout
