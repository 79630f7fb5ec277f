"""Loading imported records through the seed loader's own checks and writer.

An import holds its records in memory as a `SeedFile` (nothing is parsed from YAML or JSON),
so it enters the seed loader's pipeline after the parsing step: the same gathering into
datasets, the same checks (references, evidence, countries, key collisions), the same rows and
content hash, and the same one-transaction replace of the whole dataset. Whatever
`eventql seed` guarantees for files, an import gets too, and a problem is reported against
the imported file's line.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Engine

from schema.db import ensure_schema
from seeds.importers.collect import Imported
from seeds.issues import LoadError
from seeds.loader import DatasetReport, LoadReport, Progress
from seeds.provenance import check_provenance
from seeds.references import check_key_collisions, check_references
from seeds.rows import dataset_rows
from seeds.seedset import SeedSet, gather
from seeds.write import delete_datasets, insert_datasets


def validate_imported(imports: Sequence[Imported]) -> SeedSet:
    """The imports as datasets, checked as seed files are; raises `LoadError` with every problem.

    The importers' own errors (unreadable values, named by line and column) come first.
    """
    issues = [issue for imported in imports for issue in imported.problems.errors]
    if issues:
        raise LoadError(issues)
    seeds = gather([(imported.text, imported.seed) for imported in imports], issues)
    issues.extend(check_references(seeds, {}))
    issues.extend(check_provenance(seeds))
    issues.extend(check_key_collisions(seeds))
    if issues:
        raise LoadError(issues)
    return seeds


def load_imported(
    imports: Sequence[Imported],
    *,
    engine: Engine,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate the imports, then replace each one's dataset as a whole, in one transaction.

    Re-importing the same file gives the same rows with the same keys (they derive from the
    dataset name and the records' IDs, which derive from the file's own IDs). With
    `dry_run=True` nothing is written. Raises `LoadError` (nothing written) for bad input.
    """
    started = time.perf_counter()
    seeds = validate_imported(imports)
    rows = [dataset_rows(dataset) for dataset in seeds.datasets.values()]
    if not dry_run:
        ensure_schema(engine)
        total = sum(r.row_count for r in rows)
        written = 0

        def on_rows(count: int) -> None:
            nonlocal written
            written += count
            if progress is not None:
                progress("write", written, total)

        with engine.begin() as connection:
            delete_datasets(connection, [r.id for r in rows])
            insert_datasets(connection, rows, on_rows)
    reports = [
        DatasetReport(
            name=r.name,
            records=seeds.datasets[r.name].counts(),
            rows={table: len(table_rows) for table, table_rows in r.tables.items()},
            content_hash=r.content_hash,
            files=list(seeds.datasets[r.name].files),
        )
        for r in rows
    ]
    return LoadReport(reports, list(seeds.files), dry_run, time.perf_counter() - started)
