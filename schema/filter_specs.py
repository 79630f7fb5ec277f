"""What a filter key can be, and how its values parse: the parts `schema.filter_keys` uses.

A key is a column value (`Value`), a date range (`Span`), a relation to another kind's filter
(`Related`, its hops from `schema.relations`), a scalar of another table (`Via`) or an existence
test (`Exists`), each with its description. The value parsers turn JSON values into Python
values for SQL, or refuse them with a `FilterError` naming the key; `relation_condition` makes
the SQL of a relation.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Select, Table, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from schema import enums, relations
from schema.key_sets import key_in

#: How deeply `and`/`or`/`not` and relation filters may nest.
MAX_FILTER_DEPTH = 8
#: The longest list an `in`, `notIn`, `and` or `or` may hold.
MAX_FILTER_LIST = 1000
#: The range of integers a filter may compare with: what both databases' 64-bit columns hold.
MIN_FILTER_INT, MAX_FILTER_INT = -(2**63), 2**63 - 1

Condition = ColumnElement[bool]
#: One operator's test of a value: the condition on a column (or any other expression).
Test = Callable[[ColumnElement[Any]], Condition]
Parse = Callable[[Any, str], Any]
Hop = relations.Hop


class FilterError(ValueError):
    """A filter that cannot be compiled; the message names the offending key and why."""


# --- value parsers: JSON value in, Python value for SQL out --------------------------------


def parse_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise FilterError(f"{path}: expected a string, got {show_value(value)}")
    # PostgreSQL text cannot hold NUL (it raises), and no stored text contains one: refused on
    # both databases alike rather than answered on one and failed on the other.
    if "\x00" in value:
        raise FilterError(f"{path}: text must not contain the NUL character (\\u0000)")
    return value


def parse_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FilterError(f"{path}: expected an integer, got {show_value(value)}")
    if not MIN_FILTER_INT <= value <= MAX_FILTER_INT:
        raise FilterError(f"{path}: {show_value(value)} is out of range (a 64-bit integer)")
    return value


def parse_float(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FilterError(f"{path}: expected a number, got {show_value(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FilterError(f"{path}: {show_value(value)} is out of range (a finite number)")
    return number


def parse_date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FilterError(f"{path}: expected a date like 2022-01-04, got {show_value(value)}")


def _enum(kind: type[enums.DescribedEnum]) -> Parse:
    def parse(value: Any, path: str) -> str:
        if isinstance(value, kind):
            return str(value.value)
        if isinstance(value, str):
            try:
                return str(kind(value).value)
            except ValueError:
                pass
        allowed = ", ".join(member.name for member in kind)
        raise FilterError(
            f"{path}: {show_value(value)} is not a value of {kind.__name__} (one of {allowed})"
        )

    return parse


def show_value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- what a filter key can be ----------------------------------------------------------------
#
# Each spec carries its description and, for values, the name of its operator input
# (`operand`: String, Int, Float, Date or an enum's name): `gql.types.filter_inputs` makes the
# GraphQL filter inputs from these specs, so a key is declared here once, for GraphQL and
# exports alike.


@dataclass(frozen=True)
class Value:
    """A single column (or SQL expression) compared with scalar operators."""

    column: ColumnElement[Any]
    parse: Parse
    nullable: bool = False
    text: bool = False
    ordered: bool = True
    operand: str = "String"
    description: str = ""
    #: Other values the key also matches by (an actor's aliases besides its name): given an
    #: operator's test of one value, the condition that some other value passes it.
    also: Callable[[Test], Condition] | None = None


def choice(
    column: ColumnElement[Any],
    kind: type[enums.DescribedEnum],
    description: str,
    nullable: bool = False,
) -> Value:
    """An enum column: equality and set operators only (its values have no useful order)."""
    return Value(
        column, _enum(kind), nullable, ordered=False, operand=kind.__name__, description=description
    )


def text_value(column: Column[Any], description: str) -> Value:
    """A text column; empty when the column is nullable."""
    return Value(column, parse_string, column.nullable or False, text=True, description=description)


def number(column: ColumnElement[Any], parse: Parse, operand: str, description: str) -> Value:
    """An optional number column (or expression)."""
    return Value(column, parse, True, operand=operand, description=description)


@dataclass(frozen=True)
class Span:
    """A first–last day range, compared by overlap."""

    start: ColumnElement[Any]
    end: ColumnElement[Any]
    nullable: bool = False
    description: str = ""


def optional_span(start: Column[Any], end: Column[Any], description: str) -> Span:
    """A day range whose last day may be left out (it is then the first)."""
    return Span(start, func.coalesce(end, start), True, description)


@dataclass(frozen=True)
class Related:
    """A relation: holds when some related record of `entity` matches the nested filter.

    `hops` lead from the record to the related one, each a pair (column on this side, column on
    the far side) of a key lookup: event → actor is `((event.id, participation.event_id),
    (participation.actor_id, actor.id))`. They come from the relation catalogue
    (`schema.relations`); `relation_condition` makes the SQL of every relation from them.
    """

    entity: str
    hops: tuple[Hop, ...]
    description: str = ""


def related(path: relations.Path, description: str) -> Related:
    """A relation along a path of the relation catalogue."""
    return Related(path.target, path.hops, description)


@dataclass(frozen=True)
class Via:
    """A scalar of another table reached by key (a record's dataset name)."""

    key: ColumnElement[Any]
    table: Table
    value: Value
    description: str = ""


@dataclass(frozen=True)
class Exists:
    """A Boolean: whether an optional relation is set."""

    condition: Condition
    description: str = ""


def exists(column: Column[Any], description: str) -> Exists:
    """Whether an optional reference column is set."""
    return Exists(column.is_not(None), description)


@dataclass(frozen=True)
class Searched:
    """A full-text search (`schema.search_query` syntax) over records of `kind`, whose IDs are
    in `key`: holds when the record matches it."""

    kind: str
    key: ColumnElement[Any]
    description: str = ""


class JsonStrings(FunctionElement[Any]):
    """The strings of a JSON array column, one row each (column `value`): `json_each` on
    SQLite, `json_array_elements_text` on PostgreSQL. Use it as `.table_valued("value")`."""

    name = "json_strings"
    inherit_cache = True


@compiles(JsonStrings)
def _json_each(element: JsonStrings, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(JsonStrings, "postgresql")
def _json_array_elements(element: JsonStrings, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)})"


FieldSpec = Value | Span | Related | Via | Exists | Searched

SCALAR_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "equalTo": operator.eq,
    "lessThan": operator.lt,
    "lessThanOrEqualTo": operator.le,
    "greaterThan": operator.gt,
    "greaterThanOrEqualTo": operator.ge,
}
TEXT_OPERATORS = ("includesInsensitive", "startsWith")
SET_OPERATORS = ("in", "notIn")


def id_select(query: Select[Any], hoisted: bool) -> Select[Any]:
    """`query` as the subquery of an IN, inline or read from a common table expression.

    A relation nested in another relation's subquery is hoisted: it stands in the statement's
    WITH clause (SQLAlchemy puts it at the top of whatever statement the condition ends up in),
    so a chain of relations costs the statement no depth. Nested IN-subqueries would not do:
    SQLite's parser overflows after about ten of them, and a relation through a link table takes
    two. A relation at the top of a filter stays inline: PostgreSQL plans many CTEs slowly, and a
    wide `or` of relations is common. Every relation is an uncorrelated set of keys, so both
    forms mean the same, and the databases inline a CTE read once.
    """
    # correlate(None): a subquery over the same table as the outer query must keep its own
    # FROM, which SQLAlchemy would otherwise correlate away.
    query = query.correlate(None)
    return select(*query.cte().c) if hoisted else query


def relation_condition(
    spec: Related, condition: Condition, *, hoisted: bool, negated: bool = False
) -> Condition:
    """The SQL of a relation whose far record must match `condition`: key lookups from the last
    hop back to the first. An empty (NULL) key never matches, so `not` is an exact complement.
    `negated`: the relation stands under a `not`, so its first hop (the one the filtered
    record's key meets) is written for an anti-join (`schema.key_sets`); the further hops are
    plain key sets either way.
    """
    for hop, (near, far) in reversed(list(enumerate(spec.hops))):
        wanted = and_(far.is_not(None), condition) if far.nullable else condition
        keys = id_select(select(far).where(wanted), hoisted)
        condition = key_in(near, keys, negated=negated and hop == 0)
        if near.nullable:
            condition = and_(near.is_not(None), condition)
    return condition
