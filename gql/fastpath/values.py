"""Runtime helpers of the generated builders: scalar checks, cursors, pages, abstract types.

Each helper either returns the value GraphQL would serialise or raises `Unservable`, which
makes the request fall back to the general executor — so values the fast path cannot write
exactly as graphql-core would (an `Int` beyond 32 bits, a non-finite `Float`, a missing
non-null value) still get the spec's error from the general path, never a different answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gql.data.connections import PageRequest, page_window
from gql.data.cursors import Ordering, encode_cursor
from gql.fastpath.declines import Unservable

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def missing(*_: Any) -> Any:
    """A non-null field without a value."""
    raise Unservable("a non-null field has no value")


def non_null(value: Any) -> Any:
    """The value, which must not be null."""
    if value is None:
        raise Unservable("a non-null field has no value")
    return value


def int32(value: Any) -> int | None:
    """An `Int` as graphql-core serialises it: a 32-bit integer (or null)."""
    if value is None:
        return None
    if type(value) is int and _INT_MIN <= value <= _INT_MAX:
        return value
    raise Unservable(f"not a 32-bit Int: {value!r}")


def finite_float(value: Any) -> float | None:
    """A `Float` as graphql-core serialises it: a finite number (or null)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            return number
    raise Unservable(f"not a finite Float: {value!r}")


def string(value: Any) -> str | None:
    """A `String` that is one already (or null)."""
    if value is None or type(value) is str:
        return value
    raise Unservable(f"not a string: {value!r}")


def boolean(value: Any) -> bool | None:
    """A `Boolean` that is one already (or null)."""
    if value is None or type(value) is bool:
        return value
    raise Unservable(f"not a Boolean: {value!r}")


class Step:
    """A connection's arguments made ready to run: page, ordering and statements.

    `sort_from` is where the ordering's sort values start in the fetched rows (after the
    table's columns), so cursors are read by position.
    """

    __slots__ = ("count", "ordering", "page", "sort_from", "sort_to", "statement")

    def __init__(
        self,
        page: PageRequest,
        ordering: Ordering,
        statement: Any,
        count: Any,
        sort_from: int,
    ) -> None:
        self.page = page
        self.ordering = ordering
        self.statement = statement
        self.count = count
        self.sort_from = sort_from
        self.sort_to = sort_from + len(ordering)


def window(rows: Sequence[Any], step: Step) -> tuple[list[Any], bool, bool]:
    """The page's rows in order, `hasNextPage`, `hasPreviousPage` (`gql.data.connections`)."""
    return page_window(rows, step.page)


def cursor(step: Step, row: Any) -> str:
    """The keyset cursor of a fetched row (`gql.data.cursors.encode_cursor`)."""
    return encode_cursor(step.ordering, row[step.sort_from : step.sort_to])


def first_cursor(step: Step, rows: Sequence[Any]) -> str | None:
    """`startCursor`: the first row's cursor, null for an empty page."""
    return encode_cursor(step.ordering, rows[0][step.sort_from : step.sort_to]) if rows else None


def last_cursor(step: Step, rows: Sequence[Any]) -> str | None:
    """`endCursor`: the last row's cursor, null for an empty page."""
    return encode_cursor(step.ordering, rows[-1][step.sort_from : step.sort_to]) if rows else None


Builder = Callable[[Any, list[Any]], Any]


def abstract(
    found: tuple[str, Any] | None, builders: Mapping[str, Builder], data: list[Any]
) -> Any:
    """A value of an interface type: built by its runtime type's builder, or null."""
    if found is None or found[1] is None:
        return None
    kind, row = found
    return builders[kind](row, data)
