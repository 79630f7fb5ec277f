"""Sort orders that are the same on both databases: nulls first ascending (last descending),
and text by code point. SQLite does both by default; PostgreSQL sorts nulls last ascending
and text by the database's locale, so both are said explicitly there."""

from __future__ import annotations

from typing import Any

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
