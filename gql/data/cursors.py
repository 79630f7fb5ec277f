"""Keyset cursors: a page boundary written as the sort values of a row plus its primary key.

A cursor is URL-safe base64 (unpadded) of a JSON array: the ordering's signature (such as
"DATE,-TITLE,id"), then the row's value for each sort key. The next page is "rows after these
values in this order" — a plain indexed comparison — so pages stay stable while rows are
added or removed elsewhere, and a deep page costs what the first one does (no OFFSET). A
cursor made under another `orderBy` is refused rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import and_, literal, or_, tuple_
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from gql.errors import PublicError

ValueKind = Literal["date", "int", "str", "float"]
_MAX_CURSOR_LENGTH = 2000
# Sort values a cursor may hold: what both databases can compare with their columns (64-bit
# integers, finite numbers, text without NUL). This server never hands out others.
_MIN_INT, _MAX_INT = -(2**63), 2**63 - 1


class InvalidCursorError(PublicError):
    """A cursor that this server did not hand out for this ordering."""

    code = "INVALID_CURSOR"


@dataclass(frozen=True)
class SortKey:
    """One term of an ordering: a non-null SQL expression and its direction.

    A `negated` key (an integer primary key breaking ties after a descending field) is
    compared and sorted in SQL as its negation in the other direction: the same order, but
    then every key of the ordering runs one way, so one row-value comparison over an index
    on `(field, -id)` bounds a page exactly. Its cursors hold the key itself.
    """

    name: str
    expression: ColumnElement[Any]
    kind: ValueKind
    descending: bool = False
    negated: bool = False

    @property
    def sql(self) -> ColumnElement[Any]:
        """The expression ORDER BY and cursor bounds use."""
        return -self.expression if self.negated else self.expression

    @property
    def sql_descending(self) -> bool:
        """Whether `sql` is sorted descending."""
        return self.descending != self.negated


Ordering = tuple[SortKey, ...]


def signature(ordering: Ordering) -> str:
    """A short text naming the ordering, stored in its cursors."""
    return ",".join(("-" if key.descending else "") + key.name for key in ordering)


def encode_cursor(ordering: Ordering, values: Sequence[Any]) -> str:
    """The cursor of a row whose sort values are `values`."""
    payload = orjson.dumps([signature(ordering), *values])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> tuple[Any, ...]:
    """The sort values a cursor holds; raises `InvalidCursorError` if it does not fit."""
    try:
        if len(cursor) > _MAX_CURSOR_LENGTH:
            raise ValueError
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii"))
        data = orjson.loads(raw)
        if not isinstance(data, list) or len(data) != len(ordering) + 1:
            raise ValueError
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidCursorError(
            "invalid cursor: pass a `cursor`, `startCursor` or `endCursor` from this API"
        ) from None
    if data[0] != signature(ordering):
        raise InvalidCursorError(
            "the cursor belongs to another ordering: pass the same `orderBy` as the query "
            "that returned it"
        )
    try:
        return tuple(_parse(key.kind, value) for key, value in zip(ordering, data[1:], strict=True))
    except (TypeError, ValueError, OverflowError):
        raise InvalidCursorError("invalid cursor: its values do not fit the ordering") from None


def _parse(kind: ValueKind, value: Any) -> Any:
    if kind == "date":
        if not isinstance(value, str):
            raise TypeError(kind)
        return dt.date.fromisoformat(value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(kind)
        if not _MIN_INT <= value <= _MAX_INT:
            raise ValueError(kind)
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(kind)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(kind)
        return number
    if not isinstance(value, str) or "\x00" in value:
        raise TypeError(kind)
    return value


def beyond(ordering: Ordering, values: Sequence[Any], *, before: bool) -> ColumnElement[bool]:
    """Rows strictly after (or, with `before`, strictly before) `values` in the ordering.

    For keys k1..kn the row comes after when, for some i, k1..k(i-1) are equal and ki is
    greater (smaller for a descending key). Written so that an index on the sort keys bounds
    the scan, and a deep page reads what the first one does: consecutive keys compared the
    same way are one row-value comparison, `(a, id) > (x, y)`, an index range on PostgreSQL
    and on SQLite (3.15+; for plain columns); where the directions change (`a` descending,
    `b` ascending), the first run also bounds the scan inclusively,
    `a <= x AND (a < x OR (b, id) > (y, z))`, so the index is entered at `x` and only rows
    tied with the cursor on `a` are filtered. (The textbook `a > x OR (a = x AND id > y)` is
    no index condition at all: a mid-2022 cursor at 100,000 events filtered 86,316 rows.)
    """
    runs: list[tuple[list[ColumnElement[Any]], list[ColumnElement[Any]], bool]] = []
    for key, value in zip(ordering, values, strict=True):
        greater = key.sql_descending == before
        bound = literal(_negated(value) if key.negated else value, key.expression.type)
        if runs and runs[-1][2] == greater:
            runs[-1][0].append(key.sql)
            runs[-1][1].append(bound)
        else:
            runs.append(([key.sql], [bound], greater))
    condition: ColumnElement[bool] | None = None
    for expressions, bounds, greater in reversed(runs):
        strict = _compare(expressions, bounds, greater, strict=True)
        if condition is None:
            condition = strict
        else:
            inclusive = _compare(expressions, bounds, greater, strict=False)
            condition = and_(inclusive, or_(strict, condition))
    if condition is None:
        raise ValueError("an ordering has at least one key")
    return condition


def _negated(value: int) -> int:
    # -(-2**63) does not fit in 64 bits; no key is negative, so the bound means the same.
    return min(-value, _MAX_INT)


def _compare(
    expressions: Sequence[ColumnElement[Any]],
    bounds: Sequence[ColumnElement[Any]],
    greater: bool,
    *,
    strict: bool,
) -> ColumnElement[bool]:
    """`(e1, e2, ...) > (b1, b2, ...)` (or `<`, `>=`, `<=`); a plain comparison for one key."""
    if len(expressions) == 1:
        return _operator(greater, strict)(expressions[0], bounds[0])
    row = _operator(greater, strict)(tuple_(*expressions), tuple_(*bounds))
    if isinstance(expressions[0], ColumnClause):
        return row
    # SQLite takes a row value as an index range only when it starts with a plain column
    # (not `coalesce(place, '')`): then the first expression bounds the scan by itself.
    return and_(_operator(greater, strict=False)(expressions[0], bounds[0]), row)


def _operator(greater: bool, strict: bool) -> Callable[[Any, Any], ColumnElement[bool]]:
    if greater:
        return operator.gt if strict else operator.ge
    return operator.lt if strict else operator.le
