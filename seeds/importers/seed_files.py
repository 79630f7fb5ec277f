"""Writing an import as a seed file, so the file (not the database) stays the source of truth.

The file is JSON (thousands of records read and diff better as indented JSON than as YAML,
and load several times faster); `eventql seed` reads it back into exactly the records the
import made. Fields at their default value are left out, as an analyst would write them.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from schema.records import SeedFile


def seed_file_bytes(seed: SeedFile) -> bytes:
    """The seed file's JSON: indented, defaults and empty fields left out, ending in a newline."""
    data = seed.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def write_seed_file(seed: SeedFile, directory: Path) -> Path:
    """Write `seed` as `<directory>/<dataset>.json` (creating the folder); returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{seed.dataset_info.name}.json"
    path.write_bytes(seed_file_bytes(seed))
    return path
