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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

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
    """One term of an ordering: a non-null SQL expression and its direction."""

    name: str
    expression: ColumnElement[Any]
    kind: ValueKind
    descending: bool = False


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
    greater (smaller for a descending key).
    """
    terms: list[ColumnElement[bool]] = []
    for i, key in enumerate(ordering):
        greater = key.descending == before
        step = key.expression > values[i] if greater else key.expression < values[i]
        equal = [ordering[j].expression == values[j] for j in range(i)]
        terms.append(and_(*equal, step) if equal else step)
    return or_(*terms)
