"""A record's key in a set of keys: how a relation or a search becomes a filter condition.

Most of the time the condition is `key IN (SELECT ...)`: an uncorrelated set, which both
databases read once (PostgreSQL as a semi-join, SQLite as an ephemeral index it may also drive
the scan from). Under a `not` that form has a cliff on PostgreSQL: `NOT IN` cannot become an
anti-join (a NULL in the set would make it unknown), so it runs as a hashed subplan, and once the
set outgrows `work_mem` as a plain subplan that rescans the set for every row (measured: a
`not: {participant: ...}` filter over 1,000,000 events hit the 5 s statement timeout). A key set
that will be negated is therefore written `EXISTS (SELECT 1 FROM (SELECT ...) AS anon WHERE
anon.key = key)`, so the negation is `NOT EXISTS`: an anti-join, or at worst an index probe per
row. Both forms mean the same; `key_set` reads either back (`schema.prepared_totals` translates
filters on an event's columns onto prepared rows).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, literal_column, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, ColumnElement
from sqlalchemy.sql.selectable import Exists, ScalarSelect, Subquery


def key_in(key: ColumnElement[Any], keys: Select[Any], *, negated: bool) -> ColumnElement[bool]:
    """Whether `key` is one of the keys `keys` selects (one column); `negated` when the
    condition stands under a `not`, which then compiles to an anti-join."""
    if not negated:
        return key.in_(keys)
    found = keys.subquery()
    [column] = found.c
    probe: Select[Any] = select(literal_column("1")).select_from(found).where(column == key)
    return exists(probe)


def key_set(condition: Any) -> tuple[ColumnElement[Any], Select[Any]] | None:
    """The key and the keys' SELECT of a condition `key_in` made, in either form; else None."""
    if (
        isinstance(condition, BinaryExpression)
        and condition.operator is operators.in_op
        and isinstance(condition.right, ScalarSelect)
        and isinstance(condition.right.element, Select)
    ):
        return condition.left, condition.right.element
    if not isinstance(condition, Exists):
        return None
    probe: Any = condition.element
    if isinstance(probe, ScalarSelect):
        probe = probe.element
    if not isinstance(probe, Select):
        return None
    # The FROM list holds the keys' subquery and, until compiled, the key's own table.
    found = next((f for f in probe.get_final_froms() if isinstance(f, Subquery)), None)
    where = probe.whereclause
    if not (
        found is not None
        and isinstance(found.element, Select)
        and isinstance(where, BinaryExpression)
        and where.operator is operators.eq
    ):
        return None
    [column] = found.c
    if where.left is not column:
        return None
    return where.right, found.element
