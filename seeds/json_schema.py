"""The JSON Schema of seed files, shipped as `seeds/seed.schema.json` for editors.

Generated from the record models (`schema.records.seed_json_schema`), plus the one key that
belongs to the file format rather than the records: `$schema`, which JSON seed files may use
to name this schema (YAML files use a `# yaml-language-server: $schema=...` comment instead).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from schema.records import seed_json_schema

#: Where the committed schema lives (next to the bundled seeds, installed as package data).
SEED_SCHEMA_PATH = Path(__file__).parent / "seed.schema.json"


def seed_file_json_schema() -> dict[str, Any]:
    """The JSON Schema of a seed file, as a dict."""
    schema = seed_json_schema()
    schema["properties"] = {
        "$schema": {
            "type": "string",
            "description": "The JSON Schema of this file, for editors; ignored by the loader.",
        },
        **schema["properties"],
    }
    return schema


def render_seed_schema() -> str:
    """The JSON Schema as the text of `seed.schema.json` (2-space indent, final newline)."""
    return orjson.dumps(seed_file_json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n"
