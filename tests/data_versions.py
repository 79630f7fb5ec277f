"""Data versions in tests: read a database's version, or add one by hand.

The data version of a database is its newest `datasetversion.id` (`gql.data.replicas`).
`add_version` writes a row as a load that changed a dataset would, under a dataset name of
its own, so tests can move a database's version without depending on what a load records.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select

from schema.db import create_sync_engine
from schema.history import DatasetVersion

__all__ = ["add_version", "data_version"]

_TABLE = DatasetVersion.__table__  # type: ignore[attr-defined]


def data_version(url: str) -> int:
    """The newest `datasetversion.id` of the database at `url` (0 when it has none)."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            newest = connection.execute(select(func.coalesce(func.max(_TABLE.c.id), 0))).scalar()
            return int(newest or 0)
    finally:
        engine.dispose()


def add_version(url: str, version: int) -> None:
    """Record version `version` in the database at `url` (a row of a made-up dataset)."""
    engine = create_sync_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(_TABLE).values(
                    id=version,
                    dataset_id=-version,
                    dataset_name="by-hand",
                    number=version,
                    created_at=dt.datetime.now(dt.UTC),
                    content_hash="0" * 64,
                    load_kind="seed",
                    files=[],
                    counts={},
                )
            )
    finally:
        engine.dispose()
