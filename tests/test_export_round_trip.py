"""The round trip: import the real files → export JSONL → seed it → the same records and rows.

On each backend: the seeded copy has the same rows (dataset content hashes are hashes of
every row), exports byte for byte the same, and the JSONL holds exactly the imported records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from eventql.cli import app
from schema.records import SeedFile
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
