"""Loading imported records through the seed loader's own checks and writer.

An import holds its records in memory as a `SeedFile` (nothing is parsed from YAML or JSON),
so it enters the seed loader's pipeline after the parsing step (`seed_set_from_files`): the
same gathering into datasets, the same checks (references, evidence, countries, key
collisions), then `load_seed_set`, the loader's own writer: the same rows and content hash,
the same one-transaction replace of each dataset, an unchanged dataset left alone. Whatever
`eventql seed` guarantees for files, an import gets too, and a problem is reported against
the imported file's line.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Engine

from seeds.importers.collect import Imported
from seeds.issues import LoadError
from seeds.loader import LoadReport, Progress, load_seed_set, seed_set_from_files
from seeds.seedset import SeedSet
from seeds.versions import History


def validate_imported(imports: Sequence[Imported]) -> SeedSet:
    """The imports as datasets, checked as seed files are; raises `LoadError` with every problem.

    The importers' own errors (unreadable values, named by line and column) come first.
    """
    issues = [issue for imported in imports for issue in imported.problems.errors]
    if issues:
        raise LoadError(issues)
    return seed_set_from_files([(imported.text, imported.seed) for imported in imports])


def load_imported(
    imports: Sequence[Imported],
    *,
    engine: Engine,
    dry_run: bool = False,
    progress: Progress | None = None,
    history: History | None = None,
) -> LoadReport:
    """Validate the imports, then replace each one's dataset as a whole, in one transaction.

    Re-importing the same file gives the same rows with the same keys (they derive from the
    dataset name and the records' IDs, which derive from the file's own IDs), so the dataset
    is left alone (reported "unchanged"). With `dry_run=True` nothing is written. Raises
    `LoadError` (nothing written) for bad input.
    """
    started = time.perf_counter()
    seeds = validate_imported(imports)
    return load_seed_set(
        seeds,
        engine=engine,
        dry_run=dry_run,
        progress=progress,
        started=started,
        history=history or History("import"),
    )
