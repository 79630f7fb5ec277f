"""Loading seed files: the bundled seeds, idempotence, replacement of whole datasets, atomicity."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from eventql.cli import app
from schema.db import create_sync_engine
from schema.search import matching_ids
from seeds import LoadError, bundled_seed_paths, load_seeds, validate_seeds
from tests.seed_helpers import BAD, GOOD, dump_database

runner = CliRunner()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A sync engine on the test's fresh database."""
    engine = create_sync_engine(database_url)
    yield engine
    engine.dispose()


def _edited_copy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the good fixtures with one text replacement in example.yaml."""
    folder = tmp_path / "edited"
    shutil.copytree(GOOD, folder)
    example = folder / "example.yaml"
    content = example.read_text(encoding="utf-8")
    assert old in content
    example.write_text(content.replace(old, new), encoding="utf-8")
    return folder


def test_seed_bundled_seeds_load(database_url: str, engine: Engine) -> None:
    result = runner.invoke(app, ["seed", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    expected = set(validate_seeds(bundled_seed_paths()).datasets)
    with engine.connect() as connection:
        names = set(connection.execute(text("SELECT name FROM dataset")).scalars())
        events = connection.execute(text("SELECT count(*) FROM event")).scalar_one()
    assert names == expected
    assert "kazakhstan-2022" in names
    assert events > 0


def test_seed_reload_is_idempotent(database_url: str, engine: Engine) -> None:
    load_seeds([GOOD], engine=engine)
    first = dump_database(database_url)

    load_seeds([GOOD], engine=engine)

    assert dump_database(database_url) == first


def test_seed_unchanged_datasets_are_left_alone(engine: Engine, tmp_path: Path) -> None:
    first = load_seeds([GOOD], engine=engine)
    edited = _edited_copy(tmp_path, "title: Example dataset", "title: Renamed")

    second = load_seeds([edited], engine=engine)

    assert {d.name: d.change for d in first.datasets} == {"example": "new", "other": "new"}
    assert {d.name: d.change for d in second.datasets} == {
        "example": "replaced",
        "other": "unchanged",
    }
    assert second.rows_written == 29


def test_seed_edit_then_revert_gives_the_original_database(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    load_seeds([GOOD], engine=engine)
    original = dump_database(database_url, history=False)
    edited = _edited_copy(tmp_path, "note: Released from among", "note: Freed from among")
    load_seeds([edited], engine=engine)
    assert dump_database(database_url, history=False) != original

    load_seeds([GOOD], engine=engine)

    assert dump_database(database_url, history=False) == original


def test_seed_copy_in_another_folder_gives_the_same_database(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    load_seeds([GOOD], engine=engine)
    original = dump_database(database_url, history=False)
    copy = tmp_path / "somewhere" / "else"
    shutil.copytree(GOOD, copy)

    load_seeds([copy], engine=engine, rebuild=True)

    assert dump_database(database_url, history=False) == original


def test_seed_same_records_give_the_same_content_hash(engine: Engine, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(GOOD, copy)

    first = load_seeds([GOOD], engine=engine, dry_run=True)
    second = load_seeds([copy], engine=engine, dry_run=True)
    edited = load_seeds(
        [_edited_copy(tmp_path, "title: Example dataset", "title: Renamed")],
        engine=engine,
        dry_run=True,
    )

    hashes = [{d.name: d.content_hash for d in r.datasets} for r in (first, second, edited)]
    assert hashes[0] == hashes[1]
    assert hashes[2]["example"] != hashes[0]["example"]
    assert hashes[2]["other"] == hashes[0]["other"]


def test_seed_dry_run_writes_nothing(database_url: str, engine: Engine) -> None:
    before = dump_database(database_url)

    report = load_seeds([GOOD], engine=engine, dry_run=True)

    assert report.dry_run
    assert {d.name: d.records["event"] for d in report.datasets} == {"example": 2, "other": 1}
    assert dump_database(database_url) == before


def test_seed_report_counts_records_and_rows(engine: Engine) -> None:
    report = load_seeds([GOOD], engine=engine)

    example = next(d for d in report.datasets if d.name == "example")
    assert example.records == {"source": 1, "actor": 4, "event": 2, "statement": 1, "figure": 3}
    assert example.rows["participation"] == 3
    assert example.rows["searchentry"] == 11  # one per record
    assert report.row_count == 41


def test_seed_reseed_of_one_dataset_leaves_the_others_alone(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    load_seeds([GOOD], engine=engine)
    before = dump_database(database_url)
    edited = _edited_copy(tmp_path, "Protest over fuel prices in Testville", "Fuel protest")

    load_seeds([edited / "example.yaml"], engine=engine)

    after = dump_database(database_url)
    with engine.connect() as connection:
        other_id = connection.execute(text("SELECT id FROM dataset WHERE name = 'other'")).scalar()
        titles = set(connection.execute(text("SELECT title FROM event")).scalars())
    assert "Fuel protest" in titles
    for table in ("event", "actor", "source", "figure", "participation", "searchentry"):
        index = _dataset_column(database_url, table)
        rows_of_other = [row for row in before[table] if row[index] == other_id]
        assert rows_of_other and all(row in after[table] for row in rows_of_other)


def _dataset_column(database_url: str, table: str) -> int:
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        columns = list(connection.execute(text(f'SELECT * FROM "{table}" LIMIT 0')).keys())
    engine.dispose()
    return columns.index("dataset_id")


def test_seed_reseed_deletes_records_removed_from_the_files(engine: Engine, tmp_path: Path) -> None:
    load_seeds([GOOD], engine=engine)
    content = (GOOD / "example.yaml").read_text(encoding="utf-8")
    start = content.index("  - id: protest-size")
    edited = tmp_path / "example.yaml"
    edited.write_text(content[:start], encoding="utf-8")

    load_seeds([edited], engine=engine)

    with engine.connect() as connection:
        slugs = set(connection.execute(text("SELECT slug FROM figure")).scalars())
        searchable = connection.execute(
            text("SELECT count(*) FROM searchentry WHERE kind = 'figure'")
        ).scalar_one()
    assert slugs == {"detained-total", "released", "clash-1-killed"}
    assert searchable == 3


def test_seed_failing_second_file_leaves_first_unloaded_and_old_data_intact(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    load_seeds([GOOD], engine=engine)
    before = dump_database(database_url)
    edited = _edited_copy(tmp_path, "title: Example dataset", "title: Changed")

    with pytest.raises(LoadError):
        load_seeds([edited / "example.yaml", BAD / "dangling-reference.yaml"], engine=engine)

    assert dump_database(database_url) == before


def test_seed_failure_while_writing_rolls_everything_back(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    load_seeds([GOOD], engine=engine)
    before = dump_database(database_url)
    edited = _edited_copy(tmp_path, "title: Example dataset", "title: Changed")

    def fail_midway(stage: str, done: int, total: int) -> None:
        if stage == "write":
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        load_seeds([edited], engine=engine, progress=fail_midway)

    assert dump_database(database_url) == before


def test_seed_progress_reports_reading_and_writing(engine: Engine) -> None:
    calls: list[tuple[str, int, int]] = []

    load_seeds([GOOD], engine=engine, progress=lambda *call: calls.append(call))

    assert ("read", 2, 2) in calls
    assert calls[-1] == ("write", 41, 41)


def test_seed_evidence_offsets_point_into_the_source_text(engine: Engine) -> None:
    load_seeds([GOOD], engine=engine)

    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT f.evidence, f.evidence_start, f.evidence_end, s.text FROM figure f "
                "JOIN source s ON s.id = f.source_id WHERE f.evidence IS NOT NULL"
            )
        ).all()
    assert len(rows) == 3
    for evidence, start, end, source_text in rows:
        assert " ".join(source_text[start:end].split()) == evidence


def test_seed_records_are_searchable(engine: Engine) -> None:
    load_seeds([GOOD], engine=engine)

    with engine.connect() as connection:
        query = matching_ids(connection.dialect.name, "fuel prices", kind="event")
        found = set(connection.execute(query).scalars())
        slugs = {
            row.slug
            for row in connection.execute(text("SELECT id, slug FROM event"))
            if row.id in found
        }
    assert slugs == {"fuel-protest"}


def test_seed_file_named_twice_is_read_once(engine: Engine) -> None:
    report = load_seeds([GOOD, GOOD / "example.yaml"], engine=engine, dry_run=True)

    assert len(report.files) == 2
    assert [d.name for d in report.datasets] == ["example", "other"]
