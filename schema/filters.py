"""Record filters as plain JSON, compiled to SQL: one filter language for the API and exports.

A filter is a JSON object whose keys are the camelCase names the GraphQL filter inputs use, so
the same text works as a GraphQL `filter:` argument, as `eventql export --filter '{...}'` and as
`/export?filter=...`. Several keys in one object must all hold; `and`, `or` and `not` combine
filters; a relation key (`actor`, `claimant`, `aboutEvent`, ...) takes the related record's
filter and holds when some related record matches it.

    {"type": {"in": ["RIOTS", "PROTESTS"]},
     "date": {"greaterThanOrEqualTo": "2022-01-04", "lessThanOrEqualTo": "2022-01-10"},
     "or": [{"place": {"includesInsensitive": "almaty"}},
            {"actor": {"name": {"equalTo": "Kassym-Jomart Tokayev"}}}]}

Operators (after PostGraphile): `equalTo`, `notEqualTo`, `in`, `notIn`, `isNull`, `lessThan`,
`lessThanOrEqualTo`, `greaterThan`, `greaterThanOrEqualTo`, and on text `includesInsensitive`
and `startsWith` (case-sensitive). An operator given `null` is ignored. Every condition is
true or false, never SQL's unknown: a comparison on an empty field is false, and `notEqualTo`,
`notIn` and `not` are exact complements (they match records whose field is empty).

Date ranges (an event's `date`, a statement's `date`, a figure's `asOf`, a source's
`published`) compare by overlap with the record's own first–last day range: `greaterThanOrEqualTo`
holds when the range ends on or after the day, `lessThanOrEqualTo` when it starts on or before
it, `equalTo` when it contains the day. So `{gte: Jan 4, lte: Jan 10}` finds everything that
overlaps 4–10 January.

Enum values may be given as GraphQL names (`RIOTS`) or as stored values (`riots`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, false, func, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

from schema.filter_keys import (
    MAX_FILTER_DEPTH,
    MAX_FILTER_INT,
    MAX_FILTER_LIST,
    MIN_FILTER_INT,
    SCALAR_OPERATORS,
    SET_OPERATORS,
    TEXT_OPERATORS,
    Condition,
    FieldSpec,
    FilterError,
    Related,
    Searched,
    Span,
    Test,
    Value,
    Via,
    entity_fields,
    id_select,
    parse_date,
    parse_string,
    relation_condition,
    show_value,
)
from schema.key_sets import key_in
from schema.search import matches
from schema.search_query import SearchError, parse_search

# --- compiling -------------------------------------------------------------------------------


def compile_filter(
    entity: str, spec: Mapping[str, Any] | None, *, path: str = "filter"
) -> Condition:
    """The SQL condition for a JSON filter over records of `entity`; raises `FilterError`."""
    return _compile(entity, spec, path, 1, nested=False, negated=False)


def _compile(
    entity: str, spec: Any, path: str, depth: int, *, nested: bool, negated: bool
) -> Condition:
    """The condition of one filter object; `nested` inside a relation's subquery, `negated`
    under an odd number of `not`s (its key sets are then written for anti-joins)."""
    if spec is None:
        return true()
    if not isinstance(spec, Mapping):
        raise FilterError(f"{path}: expected an object of filter keys, got {show_value(spec)}")
    if depth > MAX_FILTER_DEPTH:
        raise FilterError(
            f"{path}: filter depth limit exceeded: and/or/not and relation filters may nest at "
            f"most {MAX_FILTER_DEPTH} levels"
        )
    fields = entity_fields(entity)
    parts: list[Condition] = []
    for key, value in spec.items():
        where = f"{path}.{key}"
        if value is None:
            continue
        if key in ("and", "or"):
            items = _list(value, where)
            conditions = [
                _compile(entity, item, f"{where}[{i}]", depth + 1, nested=nested, negated=negated)
                for i, item in enumerate(items)
            ]
            parts.append(_combined(and_ if key == "and" else or_, conditions))
        elif key == "not":
            inner = _compile(entity, value, where, depth + 1, nested=nested, negated=not negated)
            parts.append(not_(inner))
        elif key in fields:
            parts.append(_field(fields[key], value, where, depth, nested=nested, negated=negated))
        else:
            allowed = ", ".join(sorted([*fields, "and", "or", "not"]))
            raise FilterError(f"{where}: unknown filter key (allowed: {allowed})")
    return and_(true(), *parts)


#: Conditions an `and`/`or` joins in one flat list; longer lists are split in halves.
_FLAT_LIST = 32


def _combined(
    combine: Callable[..., ColumnElement[bool]], conditions: Sequence[Condition]
) -> Condition:
    """`conditions` joined by `combine` (`and_` or `or_`; none: true for `and`, false for
    `or`), as a balanced tree of parenthesised halves rather than one flat list.

    SQLite parses `a OR b OR c ...` into a tree as deep as the list is long, and refuses one
    deeper than 1,000 ("Expression tree is too large"): an `or` of about 990 conditions failed
    though `max_filter_conditions` allows 1,000. In halves the depth grows with the logarithm.
    """
    if len(conditions) <= _FLAT_LIST:
        empty = true() if combine is and_ else false()
        return combine(empty, *conditions)
    middle = len(conditions) // 2
    halves = (conditions[:middle], conditions[middle:])
    return combine(*(_Parenthesised(_combined(combine, half)) for half in halves))


class _Parenthesised(ColumnElement[bool]):
    """A condition in parentheses that stay: SQLAlchemy flattens a `Grouping` of an `or_`
    into the `or_` around it, parentheses and all."""

    inherit_cache = True
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]

    def __init__(self, condition: ColumnElement[bool]) -> None:
        self.condition = condition
        self.type = Boolean()

    def self_group(self, against: Any = None) -> ColumnElement[bool]:
        return self  # already parenthesised; never `... = 1` as a bare boolean would be


@compiles(_Parenthesised)
def _parenthesised(element: _Parenthesised, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.condition, **kw)})"


def filter_relations(entity: str, spec: Any) -> int:
    """The relation keys in a JSON filter over records of `entity`, each a subquery of its SQL
    (`and`/`or`/`not` counted through). Keys that are not the entity's count nothing: compiling
    refuses them. The API counts the same way for its `max_filter_relations`."""
    total = 0
    pending: list[tuple[str, Any]] = [(entity, spec)]
    while pending:  # a loop, not recursion: the JSON may nest deeper than Python recurses
        kind, item = pending.pop()
        if isinstance(item, list | tuple):
            pending.extend((kind, inner) for inner in item)
            continue
        if not isinstance(item, Mapping):
            continue
        fields = entity_fields(kind)
        for key, value in item.items():
            related = fields.get(key)
            if key in ("and", "or", "not"):
                pending.append((kind, value))
            elif isinstance(related, Related) and value is not None:
                total += 1
                pending.append((related.entity, value))
    return total


def _list(value: Any, path: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise FilterError(f"{path}: expected a list, got {show_value(value)}")
    if len(value) > MAX_FILTER_LIST:
        raise FilterError(
            f"{path}: filter list limit exceeded: {len(value)} items, at most {MAX_FILTER_LIST}"
        )
    return value


def _field(
    spec: FieldSpec, value: Any, path: str, depth: int, *, nested: bool, negated: bool
) -> Condition:
    if isinstance(spec, Value):
        return _value(spec, value, path)
    if isinstance(spec, Span):
        return _span(spec, value, path)
    if isinstance(spec, Related):
        # The related records are a plain set, whatever stands around the relation.
        inner = _compile(spec.entity, value, path, depth + 1, nested=True, negated=False)
        return relation_condition(spec, inner, hoisted=nested, negated=negated)
    if isinstance(spec, Searched):
        return _searched(spec, value, path, negated=negated)
    if isinstance(spec, Via):
        inner = _value(spec.value, value, path)
        keys = id_select(select(spec.table.c.id).where(inner), hoisted=False)
        return key_in(spec.key, keys, negated=negated)
    if not isinstance(value, bool):
        raise FilterError(f"{path}: expected true or false, got {show_value(value)}")
    return spec.condition if value else not_(spec.condition)


def _operators(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FilterError(
            f'{path}: expected an object of operators like {{"equalTo": ...}}, '
            f"got {show_value(value)}"
        )
    return value


def _value(spec: Value, value: Any, path: str) -> Condition:
    column = spec.column
    parts: list[Condition] = []
    for name, operand in _operators(value, path).items():
        where = f"{path}.{name}"
        if operand is None:
            continue
        negate = False
        if name == "isNull":
            if not isinstance(operand, bool):
                raise FilterError(f"{where}: expected true or false, got {show_value(operand)}")
            parts.append(column.is_(None) if operand else column.is_not(None))
            continue
        if name in ("equalTo", "notEqualTo") or (spec.ordered and name in SCALAR_OPERATORS):
            negate = name == "notEqualTo"
            test = _compare(
                SCALAR_OPERATORS["equalTo" if negate else name], spec.parse(operand, where)
            )
        elif name in SET_OPERATORS:
            negate = name == "notIn"
            items = [spec.parse(v, f"{where}[{i}]") for i, v in enumerate(_list(operand, where))]
            test = _one_of(items)
        elif name in TEXT_OPERATORS and spec.text:
            test = _text_test(name, parse_string(operand, where))
        else:
            allowed = ["equalTo", "notEqualTo", "in", "notIn", "isNull"]
            if spec.ordered:
                allowed += ["lessThan", "lessThanOrEqualTo", "greaterThan", "greaterThanOrEqualTo"]
            if spec.text:
                allowed += list(TEXT_OPERATORS)
            raise FilterError(f"{where}: unknown operator (allowed: {', '.join(allowed)})")
        condition = test(column)
        if spec.nullable:
            condition = and_(column.is_not(None), condition)
        if spec.also is not None:
            condition = or_(condition, spec.also(test))
        parts.append(not_(condition) if negate else condition)
    return and_(true(), *parts)


def _compare(compare: Callable[[Any, Any], Any], operand: Any) -> Test:
    return lambda column: compare(column, operand)


def _one_of(items: list[Any]) -> Test:
    return lambda column: column.in_(items) if items else false()


def _text_test(name: str, text: str) -> Test:
    if name == "includesInsensitive":
        return lambda column: func.lower(column).contains(text.lower(), autoescape=True)
    # substr, not LIKE: SQLite's LIKE ignores case, PostgreSQL's does not.
    return lambda column: func.substr(column, 1, len(text)) == text


def _searched(spec: Searched, value: Any, path: str, *, negated: bool) -> Condition:
    """A full-text search as a filter key: the same syntax and errors as `search`."""
    try:
        query = parse_search(parse_string(value, path))
    except SearchError as error:
        raise FilterError(f"{path}: {error}") from error
    return true() if query is None else matches(spec.key, query, spec.kind, negated=negated)


def _span(spec: Span, value: Any, path: str) -> Condition:
    start, end = spec.start, spec.end
    parts: list[Condition] = []
    for name, operand in _operators(value, path).items():
        where = f"{path}.{name}"
        if operand is None:
            continue
        condition: Condition
        negate = False
        if name == "isNull":
            if not isinstance(operand, bool):
                raise FilterError(f"{where}: expected true or false, got {show_value(operand)}")
            parts.append(start.is_(None) if operand else start.is_not(None))
            continue
        if name in ("equalTo", "notEqualTo"):
            day = parse_date(operand, where)
            negate = name == "notEqualTo"
            condition = and_(start <= day, end >= day)
        elif name in SET_OPERATORS:
            days = [parse_date(v, f"{where}[{i}]") for i, v in enumerate(_list(operand, where))]
            negate = name == "notIn"
            condition = or_(false(), *[and_(start <= day, end >= day) for day in days])
        elif name == "greaterThanOrEqualTo":
            condition = end >= parse_date(operand, where)
        elif name == "greaterThan":
            condition = end > parse_date(operand, where)
        elif name == "lessThanOrEqualTo":
            condition = start <= parse_date(operand, where)
        elif name == "lessThan":
            condition = start < parse_date(operand, where)
        else:
            allowed = "equalTo, notEqualTo, in, notIn, isNull, lessThan, lessThanOrEqualTo, "
            allowed += "greaterThan, greaterThanOrEqualTo"
            raise FilterError(f"{where}: unknown operator (allowed: {allowed})")
        if spec.nullable:
            condition = and_(start.is_not(None), condition)
        parts.append(not_(condition) if negate else condition)
    return and_(true(), *parts)


__all__ = [
    "MAX_FILTER_DEPTH",
    "MAX_FILTER_INT",
    "MAX_FILTER_LIST",
    "MIN_FILTER_INT",
    "FilterError",
    "compile_filter",
    "entity_fields",
    "filter_relations",
]
