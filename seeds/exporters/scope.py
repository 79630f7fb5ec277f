"""What an export covers: the events a filter selects, within the datasets asked for.

The filter is the JSON form of the GraphQL `EventFilter` input (`schema.filters`), so
`eventql export --filter` and the HTTP downloads select exactly what the API would. Exports
read inside one transaction; on PostgreSQL it is REPEATABLE READ, so a reseed running during a
long download cannot mix old and new rows into one file. A selection holds only values both
databases can take: text without NUL characters, integers that fit in 64 bits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, true
from sqlalchemy.sql.elements import ColumnElement

from schema.core import DATASET, EVENT
from schema.filters import FilterError, compile_filter
from seeds.exporters.guard import ExportGuard

#: Rows fetched per round trip while streaming.
BATCH_SIZE = 1000
#: The integers both databases store (SQLite's INTEGER and PostgreSQL's BIGINT: 64 bits).
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Selection:
    """An export's scope: a JSON event filter (or None for all) and dataset names (or all)."""

    filter: Mapping[str, Any] | None = None
    datasets: Sequence[str] = ()

    def __post_init__(self) -> None:
        # Checked here, not left to the database: PostgreSQL refuses a NUL only when the
        # statement runs (mid-download) and SQLite's driver an integer over 64 bits with an
        # OverflowError, while these are plainly mistakes in the request.
        _check_values(self.filter, "filter")
        for index, name in enumerate(self.datasets):
            _check_values(name, f"dataset[{index}]")

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


def _check_values(value: Any, path: str) -> None:
    """Raise `FilterError` for text with a NUL or an integer over 64 bits inside `value`."""
    pending = deque([(value, path)])
    while pending:  # a loop, not recursion: any JSON nesting is checked without a stack limit
        item, where = pending.popleft()
        if isinstance(item, str):
            if "\x00" in item:
                raise FilterError(f"{where}: text may not contain a NUL character (\\u0000)")
        elif isinstance(item, int) and not isinstance(item, bool):
            if not _INT64_MIN <= item <= _INT64_MAX:
                raise FilterError(f"{where}: {item} is out of range (integers fit in 64 bits)")
        elif isinstance(item, Mapping):
            for key, inner in item.items():
                if isinstance(key, str) and "\x00" in key:
                    raise FilterError(f"{where}: a key contains a NUL character (\\u0000)")
                pending.append((inner, f"{where}.{key}"))
        elif isinstance(item, list | tuple):
            pending.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))


def filter_conditions(spec: Any) -> int:
    """The conditions in a JSON filter, counted as the GraphQL API counts them for its
    `max_filter_conditions`: a value is one, a list the sum of its items (each at least one),
    an object the sum of its members (at least one), null none. (An empty list counts one
    here, where the API lets the object holding it count one: never fewer.)"""
    if spec is None:
        return 0
    total = 0
    pending: deque[Any] = deque([spec])
    while pending:  # a loop, not recursion, like `_check_values`
        item = pending.popleft()
        if isinstance(item, Mapping):
            members = [value for value in item.values() if value is not None]
            if not members:
                total += 1
            pending.extend(members)
        elif isinstance(item, list | tuple):
            items = [value for value in item if value is not None]
            total += len(item) - len(items)  # a null item still counts one
            if not item:
                total += 1
            pending.extend(items)
        else:
            total += 1
    return total


@contextmanager
def reading(engine: Engine, guard: ExportGuard | None = None) -> Iterator[Connection]:
    """A connection holding one read transaction for the whole export, bounded by `guard`
    (its statement timeout and cancel switch) when one is given."""
    with engine.connect() as connection:
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin(), guard.attached(connection) if guard else nullcontext():
            if postgresql:
                # PostgreSQL's JIT compiles a large filter's expressions for seconds (5.2 s for
                # 300 relation conditions, then run 3.5 times slower than without), and neither
                # a cancel request nor the statement timeout interrupts it.
                connection.exec_driver_sql("SET LOCAL jit = off")
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


__all__ = [
    "BATCH_SIZE",
    "FilterError",
    "Selection",
    "dataset_rows",
    "filter_conditions",
    "reading",
]
