"""The round trip: records in → export JSONL → seed it → the same records and rows.

On each backend, for the imported UCDP and GDELT files and for the hand-written Kazakhstan
seed (event links, participants with evidence, statements about actors — records imports
never make): the seeded copy has the same rows (dataset content hashes are hashes of every
row) and exports byte for byte the same; the JSONL holds exactly the records put in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url
from typer.testing import CliRunner

from eventql.cli import app
from schema.records import SeedFile
from seeds import bundled_seed_paths
from seeds.jsonl import parse_jsonl_file
from seeds.validate import validate_seed_text
from tests.harness import dataset_hashes
from tests.import_files import (
    GDELT_DATASET,
    UCDP_DATASET,
    gdelt_imported,
    scratch_database,
    ucdp_imported,
)
from tests.import_files import loaded as loaded  # a module-scoped fixture

runner = CliRunner()


def _run(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _by_id(records: list[object]) -> list[object]:
    return sorted(records, key=lambda record: record.id)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def exported(loaded: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both real files imported, then exported with `eventql export jsonl`."""
    path = tmp_path_factory.mktemp("export") / "export.jsonl"
    _run("export", "jsonl", "--database-url", _url(loaded), "--output", str(path))
    return path


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_round_trip_seeds_the_same_rows(loaded: Engine, exported: Path, tmp_path: Path) -> None:
    with scratch_database(loaded.dialect.name, tmp_path) as other:
        _run("seed", str(exported), "--database-url", other)
        assert dataset_hashes(other) == dataset_hashes(_url(loaded))
        again = tmp_path / "again.jsonl"
        _run("export", "jsonl", "--database-url", other, "--output", str(again))
        assert again.read_bytes() == exported.read_bytes()


def test_round_trip_of_the_hand_written_seed_gives_the_same_rows(
    database_url: str, tmp_path: Path
) -> None:
    _run("seed", *map(str, bundled_seed_paths()), "--database-url", database_url)
    exported = tmp_path / "kazakhstan.jsonl"
    _run("export", "jsonl", "--database-url", database_url, "--output", str(exported))
    backend = make_url(database_url).get_backend_name()
    with scratch_database(backend, tmp_path) as other:
        _run("seed", str(exported), "--database-url", other)
        assert dataset_hashes(other) == dataset_hashes(database_url)
        again = tmp_path / "again.jsonl"
        _run("export", "jsonl", "--database-url", other, "--output", str(again))
    assert again.read_bytes() == exported.read_bytes()
    lines = exported.read_bytes()
    assert b'"links"' in lines and b'"about_actors"' in lines  # the shapes it is about


def test_round_trip_gives_back_the_imported_records(exported: Path) -> None:
    texts = parse_jsonl_file(exported)
    assert isinstance(texts, list)
    seeds = {}
    for text in texts:
        seed = validate_seed_text(text)
        assert isinstance(seed, SeedFile)
        seeds[seed.dataset_info.name] = seed
    for name, imported in ((UCDP_DATASET, ucdp_imported()), (GDELT_DATASET, gdelt_imported())):
        for kind in ("sources", "actors", "events", "figures"):
            assert _by_id(getattr(seeds[name], kind)) == _by_id(getattr(imported.seed, kind)), kind
        assert seeds[name].dataset_info == imported.seed.dataset_info
