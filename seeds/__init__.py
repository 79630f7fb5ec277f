"""Seed files and their loader: YAML or JSON records in, validated, atomically into the database.

The only path by which files become rows; it serves the `eventql seed` command, the tests and
the app's first start alike. Knows the file formats, nothing of HTTP or GraphQL.
"""

from seeds.issues import Issue, LoadError
from seeds.json_schema import SEED_SCHEMA_PATH, render_seed_schema, seed_file_json_schema
from seeds.loader import (
    DatasetReport,
    LoadReport,
    Progress,
    bundled_seed_paths,
    input_size,
    load_seed_set,
    load_seeds,
    seed_set_from_files,
    validate_seeds,
)
from seeds.seedset import SeedSet

__all__ = [
    "SEED_SCHEMA_PATH",
    "DatasetReport",
    "Issue",
    "LoadError",
    "LoadReport",
    "Progress",
    "SeedSet",
    "bundled_seed_paths",
    "input_size",
    "load_seed_set",
    "load_seeds",
    "render_seed_schema",
    "seed_file_json_schema",
    "seed_set_from_files",
    "validate_seeds",
]
