"""Getting a database ready to serve: tables created, and an empty one seeded.

A newcomer's first `eventql serve` shows data: when the database holds no dataset yet (and
`seed_on_empty` is on), the bundled seed files are loaded through the one seed loader. On
PostgreSQL the check-and-load runs under an advisory lock, so several workers or servers
starting at once seed exactly once; `eventql serve` also prepares the database before it
starts any worker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, inspect, select, text

from gql.settings import Settings
from schema.core import DATASET
from schema.db import create_sync_engine, ensure_schema
from seeds import bundled_seed_paths, load_seeds
from seeds.versions import History

logger = logging.getLogger("eventql.startup")

#: Key of the PostgreSQL advisory lock held while preparing the database ("eventql" in hex).
_LOCK_KEY = 0x6576656E74716C


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield  # SQLite: `eventql serve` prepares the file before starting workers
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            connection.commit()


def is_empty(engine: Engine) -> bool:
    """True when the database has no dataset (or no tables at all)."""
    if not inspect(engine).has_table(DATASET.name):
        return True
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(DATASET)).scalar_one() == 0


def prepare_database(settings: Settings) -> None:
    """Create the tables if needed and, on an empty database, load the bundled seeds."""
    engine = create_sync_engine(settings.database_url)
    try:
        with _exclusive(engine):
            ensure_schema(engine)
            if settings.seed_on_empty and is_empty(engine):
                logger.info("empty database: loading the bundled seed records")
                history = History("seed", keep=settings.history_keep)
                report = load_seeds(bundled_seed_paths(), engine=engine, history=history)
                logger.info(
                    "loaded %d rows from %d files in %.1f s",
                    report.row_count,
                    len(report.files),
                    report.seconds,
                )
    finally:
        engine.dispose()
