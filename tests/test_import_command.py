"""`eventql import ucdp|gdelt` through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app
from schema.db import create_sync_engine, schema_state
from seeds.importers import load_imported
from tests.harness import dataset_hashes
from tests.import_files import (
    GDELT_DATASET,
    GDELT_FILE,
    UCDP_DATASET,
    UCDP_FILE,
    csv_line_of,
    gdelt_imported,
    ucdp_records,
    write_csv,
)

runner = CliRunner()


def test_import_gdelt_command_loads_the_file(database_url: str) -> None:
    result = runner.invoke(
        app, ["import", "gdelt", str(GDELT_FILE), "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    assert "2,111 rows read" in result.output
    assert list(dataset_hashes(database_url)) == [GDELT_DATASET]


def test_import_ucdp_command_loads_the_real_file(database_url: str) -> None:
    result = runner.invoke(app, ["import", "ucdp", str(UCDP_FILE), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "3,194 rows read" in result.output
    assert list(dataset_hashes(database_url)) == [UCDP_DATASET]


def test_import_dataset_option_names_the_dataset(database_url: str, tmp_path: Path) -> None:
    header, rows = ucdp_records(30)
    path = write_csv(tmp_path / "ged191.csv", header, rows)
    args = ["import", "ucdp", str(path), "--dataset", "ged-sample", "--database-url", database_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert list(dataset_hashes(database_url)) == ["ged-sample"]


def test_import_dry_run_writes_nothing(database_url: str) -> None:
    args = ["import", "gdelt", str(GDELT_FILE), "--dry-run", "--database-url", database_url]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    engine = create_sync_engine(database_url)
    assert schema_state(engine) is None
    engine.dispose()


def test_import_of_a_corrupted_copy_names_lines_and_columns(
    database_url: str, tmp_path: Path
) -> None:
    runner.invoke(app, ["import", "gdelt", str(GDELT_FILE), "--database-url", database_url])
    before = dataset_hashes(database_url)
    header, rows = ucdp_records()
    rows[1000][header.index("high")] = "-4"
    rows[2000][header.index("type_of_violence")] = "7"
    path = write_csv(tmp_path / "ged191.csv", header, rows)
    result = runner.invoke(app, ["import", "ucdp", str(path), "--database-url", database_url])
    assert result.exit_code == 1
    assert f"{path}:{csv_line_of(path, 1000)}: column high: a death count cannot be negative" in (
        result.output
    )
    assert f"{path}:{csv_line_of(path, 2000)}: column type_of_violence: expected 1, 2 or 3" in (
        result.output
    )
    assert "2 problems in the file; nothing was written" in result.output
    assert dataset_hashes(database_url) == before


def test_import_to_seeds_writes_a_seed_file_that_seeds_the_same_dataset(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    result = runner.invoke(app, ["import", "gdelt", str(GDELT_FILE), "--to-seeds", str(folder)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in folder.iterdir()] == [f"{GDELT_DATASET}.json"]
    seeded = runner.invoke(app, ["seed", str(folder), "--database-url", database_url])
    assert seeded.exit_code == 0, seeded.output
    expected = load_imported(
        [gdelt_imported()], engine=create_sync_engine("sqlite://"), dry_run=True
    )
    assert dataset_hashes(database_url) == {GDELT_DATASET: expected.datasets[0].content_hash}


def test_import_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "ucdp", str(tmp_path / "nothing.csv")])
    assert result.exit_code == 2
