"""The committed SDL (`gql/schema.graphql`) is the schema clients see; it must match the code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app
from gql.schema import SDL_PATH, build_schema, sdl
from gql.settings import Settings


def test_committed_sdl_matches_the_schema() -> None:
    committed = SDL_PATH.read_text(encoding="utf-8")
    assert committed == sdl(build_schema(Settings())), (
        "gql/schema.graphql differs from the schema in the code: if the change is intended, "
        "run `eventql export-schema` and commit the file (clients generate types from it)"
    )


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    output = tmp_path / "schema.graphql"
    result = CliRunner().invoke(app, ["export-schema", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == sdl(build_schema(Settings()))


def test_export_schema_prints_to_stdout() -> None:
    result = CliRunner().invoke(app, ["export-schema", "--output", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout == sdl(build_schema(Settings()))
