"""Sort orders that are the same on both databases — nulls first ascending (last descending),
and text by code point: SQLite does both by default; PostgreSQL sorts nulls last ascending and
text by the database's locale, so both are said explicitly there — and the first rows of a
sorted statement, per parent for a nested scope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.sql.elements import ColumnElement


def ascending(dialect: str, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` in ascending order: nulls first, text by code point."""
    if dialect == "sqlite":
        return column.asc()
    return _by_code_point(column).asc().nulls_first()


def descending(dialect: str, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` in descending order, the reverse of `ascending`."""
    if dialect == "sqlite":
        return column.desc()
    return _by_code_point(column).desc().nulls_last()


def _by_code_point(column: ColumnElement[Any]) -> ColumnElement[Any]:
    try:
        is_text = column.type.python_type is str
    except NotImplementedError:
        is_text = False
    return column.collate("C") if is_text else column


def first_rows(
    statement: Select[Any],
    partition: Sequence[ColumnElement[Any]],
    order: Sequence[ColumnElement[Any]],
    limit: ColumnElement[Any] | int,
) -> Select[Any]:
    """The first `limit` rows of `statement` in `order`; with a `partition` (a nested scope's
    parent key, selected first as `parent_key`), the first `limit` of each parent, numbered by
    `ROW_NUMBER()`, parent by parent."""
    if not partition:
        return statement.order_by(*order).limit(limit)
    width = len(statement.selected_columns)
    number = func.row_number().over(partition_by=list(partition), order_by=list(order))
    inner = statement.add_columns(number.label("row_number")).subquery()
    return (
        select(*list(inner.c)[:width])
        .where(inner.c.row_number <= limit)
        .order_by(inner.c.parent_key, inner.c.row_number)
    )
