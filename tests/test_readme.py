"""The README's annotated seed file is a real, valid seed file."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_seed_example_loads(tmp_path: Path, database_url: str) -> None:
    match = re.search(
        r"A short, annotated seed file:\n\n```yaml\n(.*?)```", README.read_text(), re.S
    )
    assert match is not None, "the README lost its annotated seed example"
    seed = tmp_path / "example.yaml"
    seed.write_text(match.group(1))

    result = CliRunner().invoke(app, ["seed", str(seed), "--database-url", database_url])

    assert result.exit_code == 0, result.output
    assert "my-dataset" in result.output
