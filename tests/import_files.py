"""The real UCDP and GDELT files of tests/data, and variants of them built in a test's tmp_path.

Variants are made from the real rows (never invented data): a subset of records, re-encoded
with a BOM or Windows line ends, columns reordered or added, lines inserted, values broken.
Imports of the full files are cached: mapping is pure, and several tests read the same result.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine

from schema.db import create_sync_engine
from seeds.importers import Imported, import_gdelt, import_ucdp, load_imported
from tests.conftest import POSTGRES_URL, skip_or_fail
from tests.harness import scratch_postgres

DATA = Path(__file__).parent / "data"
UCDP_FILE = DATA / "ged191.csv"
GDELT_FILE = DATA / "20191024143000.export.CSV"

UCDP_DATASET = "ucdp-ged-19.1"
GDELT_DATASET = "gdelt-2.0-events-20191024143000"

#: What the files hold, from tests/data/SOURCES.md.
UCDP_EVENTS = 3194
GDELT_EVENTS = 2111
UCDP_BEST, UCDP_LOW, UCDP_HIGH = 20936, 19808, 30686


@cache
def ucdp_imported() -> Imported:
    """The whole UCDP file, imported (cached)."""
    return import_ucdp(UCDP_FILE)


@cache
def gdelt_imported() -> Imported:
    """The whole GDELT file, imported (cached)."""
    return import_gdelt(GDELT_FILE)


def ucdp_records(limit: int | None = None) -> tuple[list[str], list[list[str]]]:
    """The UCDP header and its first `limit` records (all by default), parsed."""
    with UCDP_FILE.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1 : None if limit is None else limit + 1]


def gdelt_lines(limit: int | None = None) -> list[str]:
    """The first `limit` lines of the GDELT file (all by default), without line ends."""
    lines = GDELT_FILE.read_text(encoding="utf-8").split("\n")
    lines = [line for line in lines if line]
    return lines if limit is None else lines[:limit]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, crlf: bool = False) -> Path:
    """Write a CSV as UCDP does (minimal quoting), with `\\n` or `\\r\\n` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def csv_line_of(path: Path, record_index: int) -> int:
    """The line (1-based) record number `record_index` (0 = first after the header) starts on."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        start = reader.line_num + 1
        for index, _ in enumerate(reader):
            if index == record_index:
                return start
            start = reader.line_num + 1
    raise IndexError(record_index)


@contextmanager
def scratch_database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh database URL on `backend` ("sqlite" or "postgresql"), dropped afterwards.

    For module-scoped fixtures: several read-only tests share one loaded database, since
    importing the real files takes seconds. (`tests.conftest` gives one per test.)
    """
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'eventql.sqlite3'}"
        return
    with scratch_postgres(POSTGRES_URL) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_available: bool,
) -> Iterator[Engine]:
    """One database per backend with both real files imported, shared by a module's tests
    (which must not change it). Import it into a test module to use it there."""
    if request.param == "postgresql" and not postgres_available:
        skip_or_fail("PostgreSQL is not reachable")
    with scratch_database(request.param, tmp_path_factory.mktemp("imported")) as url:
        engine = create_sync_engine(url)
        load_imported([ucdp_imported(), gdelt_imported()], engine=engine)
        yield engine
        engine.dispose()
