"""The one path by which seed files become database rows: read, validate all, then replace.

`validate_seeds` reads every file and checks everything (each record, references across
files, duplicates, evidence) before anything is written, and raises one `LoadError` listing
every problem. `load_seeds` then replaces exactly the datasets the files define, in one
transaction: other datasets are untouched, and a failure leaves the database as it was.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Engine, select

from schema.db import prepare_schema
from schema.history import HISTORY_TABLES
from schema.prepared_totals import PREPARED_TABLE, prepare_totals
from schema.records import SeedFile
from seeds.bulk import indexes_deferred
from seeds.changes import write_changes
from seeds.figure_estimates import check_estimates
from seeds.figure_words import check_figure_words
from seeds.files import Loc, SeedText, find_seed_files, total_size
from seeds.issues import Issue, LoadError
from seeds.jsonl import parse_seed_texts
from seeds.provenance import check_dropped_evidence, check_provenance
from seeds.record_changes import RecordDiff
from seeds.references import (
    RawRecord,
    Unverifiable,
    check_dropped_references,
    check_key_collisions,
    check_references,
)
from seeds.relative_dates import resolve_relative_dates
from seeds.rows import TABLE_ORDER, DatasetRows, dataset_rows
from seeds.seedset import KINDS, Placed, SeedSet, gather
from seeds.statement_parts import check_statements
from seeds.validate import Positions, check_seed_text
from seeds.versions import History, record_versions
from seeds.write import insert_datasets, table

#: What a load writes to: the records' tables and the totals prepared from them.
_DATA_TABLES = (*TABLE_ORDER, PREPARED_TABLE)

SeedPath = str | os.PathLike[str]
Change = Literal["new", "replaced", "unchanged"]


class Progress(Protocol):
    """Told how far a load has got: `stage` is "read" (files) or "write" (rows)."""

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Called after each file read and each batch of rows written."""


@dataclass(frozen=True)
class DatasetReport:
    """What was (or, in a dry run, would be) loaded for one dataset."""

    name: str
    #: Records per kind: source, actor, event, statement, figure.
    records: dict[str, int]
    #: Rows per table, link tables and search entries included.
    rows: dict[str, int]
    content_hash: str
    files: list[str] = field(default_factory=list)
    #: What the load did: "new" (written, not there before), "replaced" (written over older
    #: content), "unchanged" (same content hash already there: left alone), or None (dry run).
    change: Change | None = None


@dataclass(frozen=True)
class LoadReport:
    """The outcome of a load: per-dataset counts, files read, and whether anything was written."""

    datasets: list[DatasetReport]
    files: list[str]
    dry_run: bool
    seconds: float

    @property
    def row_count(self) -> int:
        """Rows the datasets hold, over all tables and datasets."""
        return sum(sum(d.rows.values()) for d in self.datasets)

    @property
    def rows_written(self) -> int:
        """Rows written: those of new and replaced datasets (none in a dry run)."""
        written = [d for d in self.datasets if d.change in ("new", "replaced")]
        return sum(sum(d.rows.values()) for d in written)


def bundled_seed_paths() -> list[Path]:
    """The seed files shipped with eventql (the folder `seeds/data`, installed as package data)."""
    return [Path(__file__).parent / "data"]


def input_size(paths: Iterable[SeedPath]) -> int:
    """The combined size in bytes of the seed files under `paths` (to decide on a progress bar)."""
    files, _ = find_seed_files(paths)
    return total_size(files)


def validate_seeds(paths: Iterable[SeedPath], *, progress: Progress | None = None) -> SeedSet:
    """Read and check every seed file under `paths`; raise `LoadError` with every problem."""
    with _collector_paused():
        return _validate_seeds(paths, progress)


def _validate_seeds(paths: Iterable[SeedPath], progress: Progress | None) -> SeedSet:
    files, issues = find_seed_files(paths)
    if not files and not issues:
        issues.append(Issue(None, None, None, None, "no seed files given"))
    valid: list[tuple[SeedText, SeedFile, Positions]] = []
    dropped: list[tuple[str, Placed[Any]]] = []
    unverifiable: Unverifiable = {}
    for done, path in enumerate(files, start=1):
        parsed = parse_seed_texts(path)  # a JSONL file may hold several datasets
        if isinstance(parsed, Issue):
            issues.append(parsed)
            parsed = []
        for text in parsed:
            checked = check_seed_text(text)
            if checked.seed is not None:  # what is valid of it goes on to the other checks
                valid.append((text, checked.seed, checked.positions))
                dropped += _dropped(checked.seed, text, checked.dropped)
            if checked.issues:
                issues.extend(checked.issues)
                _note_slugs(text.data, unverifiable)
        if progress is not None:
            progress("read", done, len(files))
    seeds = _checked_set(valid, issues, unverifiable)
    issues.extend(check_dropped_references(seeds, dropped, unverifiable))
    issues.extend(check_dropped_evidence(seeds, dropped))
    if issues:
        rank = {str(path): i for i, path in enumerate(files)}
        issues.sort(key=lambda issue: (rank.get(issue.file or "", -1), issue.line or 0))
        raise LoadError(issues)
    return seeds


def seed_set_from_files(files: Sequence[tuple[SeedText, SeedFile]]) -> SeedSet:
    """Check already parsed seed files across files, as `validate_seeds` does; the `SeedSet`.

    For callers that hold their records in memory (an import): the same gathering into
    datasets and the same checks (duplicates, references, evidence, key collisions) as files
    get after parsing. Raises `LoadError` with every problem.
    """
    issues: list[Issue] = []
    with _collector_paused():
        seeds = _checked_set([(text, seed, {}) for text, seed in files], issues, {})
    if issues:
        raise LoadError(issues)
    return seeds


def _checked_set(
    valid: list[tuple[SeedText, SeedFile, Positions]],
    issues: list[Issue],
    unverifiable: Unverifiable,
) -> SeedSet:
    """Gather the valid files into datasets and add the cross-file checks' issues."""
    seeds = gather(valid, issues)
    issues.extend(resolve_relative_dates(seeds))  # first: later checks may read the dates
    issues.extend(check_references(seeds, unverifiable))
    issues.extend(check_provenance(seeds))
    issues.extend(check_figure_words(seeds))
    issues.extend(check_estimates(seeds))
    issues.extend(check_statements(seeds))
    issues.extend(check_key_collisions(seeds))
    return seeds


def _dropped(
    seed: SeedFile, text: SeedText, records: list[tuple[Loc, Any]]
) -> list[tuple[str, Placed[Any]]]:
    """The records left out of a file, as raw records placed where they stand, by dataset."""
    sources = seed.all_sources
    only_source = sources[0].id if len(sources) == 1 else None
    placed: list[tuple[str, Placed[Any]]] = []
    for loc, raw in records:
        record = RawRecord(raw) if isinstance(raw, dict) else RawRecord({})
        source = record.source if isinstance(record.source, str) else only_source
        placed.append((seed.dataset_info.name, Placed(record, text, loc, source=source)))
    return placed


def _note_slugs(data: Any, unverifiable: Unverifiable) -> None:
    """Remember the IDs in a file that failed validation, so references to them are not
    reported as dangling on top of the file's own errors."""
    dataset = data.get("dataset")
    name = dataset.get("name") if isinstance(dataset, dict) else dataset
    by_kind = unverifiable.setdefault(name if isinstance(name, str) else None, {})
    lists: list[tuple[str, Any]] = [
        ("source", [data.get("source")]),
        ("source", data.get("sources")),
    ]
    lists += [(kind, data.get(f"{kind}s")) for kind in ("actor", "event", "statement", "figure")]
    for kind, items in lists:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                by_kind.setdefault(kind, set()).add(item["id"])


def load_seeds(
    paths: Iterable[SeedPath],
    *,
    engine: Engine,
    dry_run: bool = False,
    rebuild: bool = False,
    progress: Progress | None = None,
    history: History | None = None,
) -> LoadReport:
    """Validate the seed files, then replace the datasets they define, atomically.

    Creates the tables if the database is empty (`rebuild=True` drops and recreates every
    table first, losing all data: pass every seed file then). With `dry_run=True` the files
    are validated and counted, and the database is not touched at all. Raises `LoadError`
    (nothing written) for bad input and `schema.db.SchemaMismatchError` for a database built
    by another schema version. Each dataset the load changes gets a new version in its
    history, recorded as `history` says (`seeds.versions`).
    """
    started = time.perf_counter()
    with _collector_paused():
        seeds = validate_seeds(paths, progress=progress)
        _release_parsed_files(seeds)
        return load_seed_set(
            seeds,
            engine=engine,
            dry_run=dry_run,
            rebuild=rebuild,
            progress=progress,
            started=started,
            history=history,
        )


def load_seed_set(
    seeds: SeedSet,
    *,
    engine: Engine,
    dry_run: bool = False,
    rebuild: bool = False,
    progress: Progress | None = None,
    started: float | None = None,
    history: History | None = None,
) -> LoadReport:
    """Replace the datasets of an already validated `SeedSet` (from files or an import).

    The second half of `load_seeds`, for callers that build a `SeedSet` another way;
    `started` (a `time.perf_counter()` value) makes the report's time include their work.
    """
    started = time.perf_counter() if started is None else started
    with _collector_paused():
        rows = [dataset_rows(dataset) for dataset in seeds.datasets.values()]
        changes: dict[str, Change] = {}
        if not dry_run:
            changes = _replace(
                engine, rows, seeds, progress, rebuild=rebuild, history=history or History()
            )
    reports = [
        DatasetReport(
            name=r.name,
            records=seeds.datasets[r.name].counts(),
            rows={table: len(table_rows) for table, table_rows in r.tables.items()},
            content_hash=r.content_hash,
            files=list(seeds.datasets[r.name].files),
            change=changes.get(r.name),
        )
        for r in rows
    ]
    return LoadReport(reports, list(seeds.files), dry_run, time.perf_counter() - started)


def _release_parsed_files(seeds: SeedSet) -> None:
    """Let go of the files' text and parsed data once everything in them has been checked.

    They are kept only to cite a line in an error; the records are validated copies. At a
    million events they held as much memory as the rows built next.
    """
    for dataset in seeds.datasets.values():
        for kind in KINDS:
            for placed in dataset.of_kind(kind).values():
                placed.text.data = None
                placed.text.text = ""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector for the duration of a load.

    A load allocates millions of small objects (parsed values, records, rows) and frees them
    together at the end; none of them form reference cycles. With the collector running, each
    collection walks the whole growing heap again: measured, it took over two thirds of the
    validation time of a 100,000-event file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _replace(
    engine: Engine,
    rows: Sequence[DatasetRows],
    seeds: SeedSet,
    progress: Progress | None,
    *,
    rebuild: bool,
    history: History,
) -> dict[str, Change]:
    """Replace the datasets whose content differs from what the database holds.

    One transaction: the tables too are created in it when the database has none (or
    `rebuild`), so their indexes can be built once after the rows are in (`seeds.bulk`);
    otherwise only the rows that differ are written (`seeds.changes`). Each dataset written
    gets a version, with the record changes told by `seeds.record_changes`.
    """
    written = 0
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite begins a transaction only before a row is written, and runs the DDL
            # before that in autocommit; this makes tables, indexes and rows one transaction.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            # SQLite's default 2 MB page cache thrashes once a big dataset's indexes outgrow
            # it; 256 MB is a ceiling, used only as pages are touched.
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
        else:
            # PostgreSQL's JIT compiled the statements that prepare figure totals for longer
            # than they ran (2.3 of 3.1 s at 100,000 events); a load reads its rows once.
            connection.exec_driver_sql("SET LOCAL jit = off")
        fresh = prepare_schema(connection, rebuild=rebuild)
        dataset = table("dataset")
        query = select(dataset.c.name, dataset.c.content_hash).where(
            dataset.c.id.in_([r.id for r in rows])
        )
        held: dict[str, str] = {} if fresh else dict(connection.execute(query).all())
        # The hash covers every row of the dataset: equal hashes mean equal rows, so an
        # unchanged dataset is left alone (a reseed of unedited files writes nothing).
        changed = [r for r in rows if held.get(r.name) != r.content_hash]
        total = sum(r.row_count for r in changed)

        def on_rows(count: int) -> None:
            nonlocal written
            written += count
            if progress is not None:
                progress("write", written, total)

        diff = RecordDiff(changed)
        versioned = [(r, seeds.datasets[r.name]) for r in changed]
        if fresh:
            diff.all_added()
            with indexes_deferred(connection, (*TABLE_ORDER, *HISTORY_TABLES)):
                insert_datasets(connection, changed, on_rows, fresh=True)
                record = diff.changes(connection)
                record_versions(connection, versioned, record, history, fresh=True)
        else:
            write_changes(connection, changed, on_rows, diff)
            record_versions(connection, versioned, diff.changes(connection), history)
        analyze = bool(changed) and connection.dialect.name == "postgresql"
        if analyze:
            # Until autovacuum gets round to it, PostgreSQL plans queries on freshly loaded
            # tables as if they were empty (seen: "events of a type by date" on 100,000 rows;
            # and preparing totals, next, took 170 s instead of 4).
            connection.exec_driver_sql(f"ANALYZE {', '.join(TABLE_ORDER)}")
        # Grouped totals read these (`schema.prepared_totals`): in the same transaction, so
        # no reader sees new figures with old totals.
        prepare_totals(connection, [r.id for r in changed])
        if analyze:
            connection.exec_driver_sql(f"ANALYZE {PREPARED_TABLE}")
    if changed and not fresh and engine.dialect.name == "postgresql":
        # Marks the new rows visible to every transaction, so reads answered from an index
        # alone (an event's participants) skip the table itself — autovacuum does it later,
        # if it is on. VACUUM cannot run in a transaction; readers are not blocked by it.
        # (Rows written into new tables are already frozen: COPY FREEZE.)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM {', '.join(_DATA_TABLES)}")
    return {
        r.name: "unchanged"
        if held.get(r.name) == r.content_hash
        else ("replaced" if r.name in held else "new")
        for r in rows
    }
