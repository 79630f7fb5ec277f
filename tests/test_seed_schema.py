"""The committed JSON Schema of seed files matches the record models."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from eventql.cli import app
from seeds import SEED_SCHEMA_PATH, render_seed_schema

runner = CliRunner()


def test_seed_schema_committed_file_matches_the_models() -> None:
    assert SEED_SCHEMA_PATH.read_text(encoding="utf-8") == render_seed_schema(), (
        "seeds/seed.schema.json is out of date: run `eventql seed-schema` and commit it"
    )


def test_seed_schema_command_writes_the_schema(tmp_path: Path) -> None:
    output = tmp_path / "seed.schema.json"

    result = runner.invoke(app, ["seed-schema", "--output", str(output)])

    assert result.exit_code == 0, result.output
    schema = orjson.loads(output.read_bytes())
    assert schema["title"] == "eventql seed file"
    assert "$schema" in schema["properties"]


def test_seed_schema_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "seed.schema.json"
    stale.write_text("{}\n", encoding="utf-8")

    result = runner.invoke(app, ["seed-schema", "--output", str(stale), "--check"])

    assert result.exit_code == 1
    assert "out of date" in result.stderr


def test_seed_schema_check_passes_on_the_committed_file() -> None:
    result = runner.invoke(app, ["seed-schema", "--check"])

    assert result.exit_code == 0, result.output
