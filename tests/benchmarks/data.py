"""The benchmark's data: a synthetic dataset seeded (and reseeded, timed) into each database.

The records come from `tests.seed_helpers.large_seed(..., varied=True)` and go in through the
one seed loader, as any user's would; the PostgreSQL database is created for the run (and
dropped after it unless kept).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import orjson
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.exc import SQLAlchemyError

from schema.core import DATASET, EVENT
from schema.db import create_sync_engine
from seeds import load_seeds
from tests.benchmarks.queries import DATASET as DATASET_NAME
from tests.seed_helpers import large_seed, write_json


@dataclass(frozen=True)
class SeedTiming:
    """How long loading the dataset took (None when an existing database was reused)."""

    rows: int
    load_s: float | None = None
    reseed_s: float | None = None


def seed_file(folder: Path, events: int) -> Path:
    """Write the synthetic dataset of `events` events as a JSON seed file."""
    return write_json(folder / f"bench-{events}.json", large_seed(events, varied=True))


def event_count(url: str) -> int | None:
    """How many events of the benchmark's dataset the database holds (None: no tables)."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(EVENT.join(DATASET, DATASET.c.id == EVENT.c.dataset_id))
                    .where(DATASET.c.name == DATASET_NAME)
                ).scalar_one()
            )
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def seed(url: str, path: Path, *, reseed: bool) -> SeedTiming:
    """Load the seed file into a rebuilt database, then (if asked) load it again: a reseed
    replaces the dataset in one transaction."""
    engine = create_sync_engine(url)
    try:
        first = load_seeds([path], engine=engine, rebuild=True)
        again = None
        if reseed:
            # Edited input, as a real reseed has: an unchanged dataset would be left alone.
            edited = orjson.loads(path.read_bytes())
            edited["dataset"]["title"] += " (reseeded)"
            again = load_seeds(
                [write_json(path.with_suffix(".edited.json"), edited)], engine=engine
            )
        # Fresh statistics, as after autovacuum's analyze: without them PostgreSQL plans
        # "events of a type by date" as if the table were empty (same for every server).
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return SeedTiming(first.row_count, first.seconds, again.seconds if again else None)


def row_count(url: str) -> int:
    """Rows in every eventql table together (search entries included)."""
    engine = create_sync_engine(url)
    tables = (
        *("dataset", "source", "actor", "event", "eventlink", "participation"),
        *("statement", "statementevent", "statementactor", "figure", "searchentry"),
    )
    try:
        with engine.connect() as connection:
            return sum(
                int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                for name in tables
            )
    finally:
        engine.dispose()


def sqlite_url(folder: Path) -> str:
    """The benchmark's SQLite database file in `folder`."""
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def create_postgres(admin_url: str, name: str, *, keep_existing: bool) -> str:
    """Create database `name` on the server of `admin_url` (recreated unless kept); its URL."""
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists and not keep_existing:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = None
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin_url: str, name: str) -> None:
    """Drop the benchmark database."""
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def temporary_folder() -> Path:
    """A folder for the seed file and the SQLite database."""
    return Path(tempfile.mkdtemp(prefix="eventql-bench-"))


def timed(label: str, started: float) -> str:
    """`label: N.N s`."""
    return f"{label}: {time.perf_counter() - started:.1f} s"
