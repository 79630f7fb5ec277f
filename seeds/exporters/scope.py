"""What an export covers: the events a filter selects, within the datasets asked for.

The filter is the JSON form of the GraphQL `EventFilter` input (`schema.filters`), so
`eventql export --filter` and the HTTP downloads select exactly what the API would. Exports
read inside one transaction; on PostgreSQL it is REPEATABLE READ, so a reseed running during a
long download cannot mix old and new rows into one file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, true
from sqlalchemy.sql.elements import ColumnElement

from schema.core import DATASET, EVENT
from schema.filters import FilterError, compile_filter

#: Rows fetched per round trip while streaming.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Selection:
    """An export's scope: a JSON event filter (or None for all) and dataset names (or all)."""

    filter: Mapping[str, Any] | None = None
    datasets: Sequence[str] = ()

    def event_condition(self) -> ColumnElement[bool]:
        """The SQL condition on `event` rows; raises `FilterError` for a bad filter."""
        condition = compile_filter("event", self.filter) if self.filter else true()
        if self.datasets:
            ids = select(DATASET.c.id).where(DATASET.c.name.in_(list(self.datasets)))
            condition = condition & EVENT.c.dataset_id.in_(ids)
        return condition

    def check(self, engine: Engine) -> None:
        """Raise `FilterError` now for a filter that does not compile or an unknown dataset,
        so that a caller can refuse before the first byte of an export is sent."""
        self.event_condition()
        if self.datasets:
            with engine.connect() as connection:
                dataset_rows(connection, self.datasets)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection holding one read transaction for the whole export."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def dataset_rows(connection: Connection, names: Sequence[str]) -> list[Any]:
    """The dataset rows named (all when `names` is empty), by name; unknown names are errors."""
    query = select(DATASET).order_by(DATASET.c.name)
    if names:
        query = query.where(DATASET.c.name.in_(list(names)))
    rows = list(connection.execute(query))
    missing = sorted(set(names) - {row.name for row in rows})
    if missing:
        raise FilterError(f"no dataset named {', '.join(repr(name) for name in missing)}")
    return rows


__all__ = ["BATCH_SIZE", "FilterError", "Selection", "dataset_rows", "reading"]
