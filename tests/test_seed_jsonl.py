"""`eventql seed` reads JSONL seed files (one small seed file per line), as exports write them."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from eventql.cli import app
from seeds.importers import import_ucdp
from seeds.importers.seed_files import seed_file_bytes
from tests.import_files import ucdp_records, write_csv

runner = CliRunner()


def _lines(tmp_path: Path) -> list[dict[str, object]]:
    """A small UCDP import, one record per line, as `eventql export jsonl` writes it."""
    header, rows = ucdp_records(3)
    seed = orjson.loads(
        seed_file_bytes(import_ucdp(write_csv(tmp_path / "ged191.csv", header, rows)).seed)
    )
    name = seed["dataset"]["name"]
    lines: list[dict[str, object]] = [{"dataset": seed["dataset"]}]
    for key in ("sources", "actors", "events", "figures"):
        lines += [{"dataset": name, key: [record]} for record in seed[key]]
    return lines


def _write(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return path


def test_seed_reads_a_jsonl_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "sample.jsonl", _lines(tmp_path))
    result = runner.invoke(app, ["seed", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "ucdp-ged-19.1" in result.output


def test_seed_jsonl_error_names_the_line(tmp_path: Path) -> None:
    lines = _lines(tmp_path)
    index = next(i for i, line in enumerate(lines) if "figures" in line)
    figure = dict(lines[index]["figures"][0])  # type: ignore[index]
    figure.update(lower=5, upper=2)
    lines[index] = {**lines[index], "figures": [figure]}
    path = _write(tmp_path / "broken.jsonl", lines)
    result = runner.invoke(app, ["seed", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert f"{path}:{index + 1}: figures[{figure['id']}].lower: lower bound 5 is above" in (
        result.output
    )


def test_seed_jsonl_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.jsonl", _lines(tmp_path))
    path.write_bytes(path.read_bytes() + b'{"dataset": "x", "events": [\n')
    result = runner.invoke(app, ["seed", str(path), "--dry-run"])
    assert result.exit_code == 1
    line = path.read_bytes().count(b"\n")
    assert f"{path}:{line}: JSON syntax error" in result.output
