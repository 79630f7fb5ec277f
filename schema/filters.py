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

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Select, Table, and_, false, func, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from schema import enums
from schema.core import (
    ACTOR,
    DATASET,
    EVENT,
    EVENT_LINK,
    FIGURE,
    PARTICIPATION,
    SOURCE,
    STATEMENT,
    STATEMENT_ACTOR,
    STATEMENT_EVENT,
)
from schema.figures import best_expression

#: How deeply `and`/`or`/`not` and relation filters may nest.
MAX_FILTER_DEPTH = 8
#: The longest list an `in`, `notIn`, `and` or `or` may hold.
MAX_FILTER_LIST = 1000
#: The range of integers a filter may compare with: what both databases' 64-bit columns hold.
MIN_FILTER_INT, MAX_FILTER_INT = -(2**63), 2**63 - 1

Condition = ColumnElement[bool]
Parse = Callable[[Any, str], Any]
Hop = tuple[Column[Any], Column[Any]]


class FilterError(ValueError):
    """A filter that cannot be compiled; the message names the offending key and why."""


# --- value parsers: JSON value in, Python value for SQL out --------------------------------


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise FilterError(f"{path}: expected a string, got {_show(value)}")
    # PostgreSQL text cannot hold NUL (it raises), and no stored text contains one: refused on
    # both databases alike rather than answered on one and failed on the other.
    if "\x00" in value:
        raise FilterError(f"{path}: text must not contain the NUL character (\\u0000)")
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FilterError(f"{path}: expected an integer, got {_show(value)}")
    if not MIN_FILTER_INT <= value <= MAX_FILTER_INT:
        raise FilterError(f"{path}: {_show(value)} is out of range (a 64-bit integer)")
    return value


def _float(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FilterError(f"{path}: expected a number, got {_show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FilterError(f"{path}: {_show(value)} is out of range (a finite number)")
    return number


def _date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FilterError(f"{path}: expected a date like 2022-01-04, got {_show(value)}")


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
            f"{path}: {_show(value)} is not a value of {kind.__name__} (one of {allowed})"
        )

    return parse


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- what a filter key can be ----------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A single column (or SQL expression) compared with scalar operators."""

    column: ColumnElement[Any]
    parse: Parse
    nullable: bool = False
    text: bool = False
    ordered: bool = True


def _choice(
    column: ColumnElement[Any], kind: type[enums.DescribedEnum], nullable: bool = False
) -> Value:
    """An enum column: equality and set operators only (its values have no useful order)."""
    return Value(column, _enum(kind), nullable, ordered=False)


@dataclass(frozen=True)
class Span:
    """A first–last day range, compared by overlap."""

    start: ColumnElement[Any]
    end: ColumnElement[Any]
    nullable: bool = False


@dataclass(frozen=True)
class Related:
    """A relation: holds when some related record of `entity` matches the nested filter.

    `hops` lead from the record to the related one, each a pair (column on this side, column on
    the far side) of a key lookup: event → actor is `((event.id, participation.event_id),
    (participation.actor_id, actor.id))`. `relation_condition` makes the SQL of every relation
    from them.
    """

    entity: str
    hops: tuple[Hop, ...]


@dataclass(frozen=True)
class Via:
    """A scalar of another table reached by key (a record's dataset name)."""

    key: ColumnElement[Any]
    table: Table
    value: Value


@dataclass(frozen=True)
class Exists:
    """A Boolean: whether an optional relation is set."""

    condition: Condition


FieldSpec = Value | Span | Related | Via | Exists

_SCALAR_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "equalTo": operator.eq,
    "lessThan": operator.lt,
    "lessThanOrEqualTo": operator.le,
    "greaterThan": operator.gt,
    "greaterThanOrEqualTo": operator.ge,
}
_TEXT_OPERATORS = ("includesInsensitive", "startsWith")
_SET_OPERATORS = ("in", "notIn")


def _ids(query: Select[Any], hoisted: bool) -> Select[Any]:
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


def relation_condition(spec: Related, condition: Condition, *, hoisted: bool) -> Condition:
    """The SQL of a relation whose far record must match `condition`: key lookups from the last
    hop back to the first. An empty (NULL) key never matches, so `not` is an exact complement.
    """
    for near, far in reversed(spec.hops):
        wanted = and_(far.is_not(None), condition) if far.nullable else condition
        condition = near.in_(_ids(select(far).where(wanted), hoisted))
        if near.nullable:
            condition = and_(near.is_not(None), condition)
    return condition


def _common(table: Table, kind: str) -> dict[str, FieldSpec]:
    """Keys every record kind has: slug, dataset and (except sources) source."""
    fields: dict[str, FieldSpec] = {
        "slug": Value(table.c.slug, _string, text=True),
        "dataset": Via(table.c.dataset_id, DATASET, Value(DATASET.c.name, _string, text=True)),
    }
    if kind != "source":
        fields["source"] = Related("source", ((table.c.source_id, SOURCE.c.id),))
    return fields


@cache
def entity_fields(entity: str) -> Mapping[str, FieldSpec]:
    """The filter keys of one record kind (`event`, `actor`, `statement`, `figure`, `source`,
    `participation`, `eventLink`), with what each compares."""
    e, a, s, f, src = EVENT.c, ACTOR.c, STATEMENT.c, FIGURE.c, SOURCE.c
    p, link, se, sa = PARTICIPATION.c, EVENT_LINK.c, STATEMENT_EVENT.c, STATEMENT_ACTOR.c
    text, opt = _string, True
    if entity == "event":
        return {
            **_common(EVENT, entity),
            "title": Value(e.title, text, text=True),
            "description": Value(e.description, text, opt, text=True),
            "type": _choice(e.type, enums.EventType),
            "subType": _choice(e.sub_type, enums.EventSubType),
            "date": Span(e.start_date, e.end_date),
            "startDate": Value(e.start_date, _date),
            "endDate": Value(e.end_date, _date),
            "datePrecision": _choice(e.date_precision, enums.DatePrecision),
            "countryCode": Value(e.country_code, text, opt, text=True),
            "country": Value(e.country, text, opt, text=True),
            "admin1": Value(e.admin1, text, opt, text=True),
            "admin2": Value(e.admin2, text, opt, text=True),
            "place": Value(e.place, text, opt, text=True),
            "latitude": Value(e.latitude, _float, opt),
            "longitude": Value(e.longitude, _float, opt),
            "coordinatePrecision": _choice(e.coordinate_precision, enums.CoordinatePrecision, opt),
            "externalId": Value(e.external_id, text, opt, text=True),
            "actor": Related("actor", ((e.id, p.event_id), (p.actor_id, a.id))),
            "participant": Related("participation", ((e.id, p.event_id),)),
            "figure": Related("figure", ((e.id, f.event_id),)),
            "statement": Related("statement", ((e.id, se.event_id), (se.statement_id, s.id))),
            "link": Related("eventLink", ((e.id, link.event_id),)),
        }
    if entity == "actor":
        return {
            **_common(ACTOR, entity),
            "name": Value(a.name, text, text=True),
            "kind": _choice(a.kind, enums.ActorKind),
            "countryCode": Value(a.country_code, text, opt, text=True),
            "title": Value(a.title, text, opt, text=True),
            "description": Value(a.description, text, opt, text=True),
            "externalId": Value(a.external_id, text, opt, text=True),
            "parent": Related("actor", ((a.parent_id, a.id),)),
            "parentExists": Exists(a.parent_id.is_not(None)),
            "event": Related("event", ((a.id, p.actor_id), (p.event_id, e.id))),
            "participation": Related("participation", ((a.id, p.actor_id),)),
        }
    if entity == "participation":
        return {
            "role": _choice(p.role, enums.ParticipationRole),
            "note": Value(p.note, text, opt, text=True),
            "actor": Related("actor", ((p.actor_id, a.id),)),
            "event": Related("event", ((p.event_id, e.id),)),
        }
    if entity == "eventLink":
        return {
            "kind": _choice(link.kind, enums.EventLinkKind),
            "target": Related("event", ((link.target_id, e.id),)),
        }
    if entity == "statement":
        return {
            **_common(STATEMENT, entity),
            "kind": _choice(s.kind, enums.StatementKind),
            "mode": _choice(s.mode, enums.StatementMode),
            "text": Value(s.text, text, text=True),
            "speakerTitle": Value(s.speaker_title, text, opt, text=True),
            "attribution": Value(s.attribution, text, opt, text=True),
            "date": Span(s.start_date, func.coalesce(s.end_date, s.start_date), opt),
            "datePrecision": _choice(s.date_precision, enums.DatePrecision, opt),
            "speaker": Related("actor", ((s.speaker_id, a.id),)),
            "aboutEvent": Related("event", ((s.id, se.statement_id), (se.event_id, e.id))),
            "aboutActor": Related("actor", ((s.id, sa.statement_id), (sa.actor_id, a.id))),
            "figure": Related("figure", ((s.id, f.statement_id),)),
        }
    if entity == "figure":
        return {
            **_common(FIGURE, entity),
            "kind": _choice(f.kind, enums.FigureKind),
            "unit": Value(f.unit, text, text=True),
            "status": _choice(f.status, enums.FigureStatus),
            "qualifier": _choice(f.qualifier, enums.FigureQualifier),
            "value": Value(f.value, _int, opt),
            "lower": Value(f.lower, _int, opt),
            "upper": Value(f.upper, _int, opt),
            "best": Value(best_expression(FIGURE), _int, opt),
            "raw": Value(f.raw, text, opt, text=True),
            "note": Value(f.note, text, opt, text=True),
            "attribution": Value(f.attribution, text, opt, text=True),
            "countedGroup": Value(f.counted_group, text, opt, text=True),
            "asOf": Span(f.as_of_start, func.coalesce(f.as_of_end, f.as_of_start), opt),
            "event": Related("event", ((f.event_id, e.id),)),
            "eventExists": Exists(f.event_id.is_not(None)),
            "claimant": Related("actor", ((f.claimant_id, a.id),)),
            "claimantExists": Exists(f.claimant_id.is_not(None)),
            "statement": Related("statement", ((f.statement_id, s.id),)),
            "countedActor": Related("actor", ((f.counted_actor_id, a.id),)),
            "partOf": Related("figure", ((f.part_of_id, f.id),)),
            "partOfExists": Exists(f.part_of_id.is_not(None)),
        }
    if entity == "source":
        return {
            **_common(SOURCE, entity),
            "headline": Value(src.headline, text, text=True),
            "outlet": Value(src.outlet, text, opt, text=True),
            "published": Span(
                src.published_start, func.coalesce(src.published_end, src.published_start), opt
            ),
            "language": Value(src.language, text, text=True),
            "url": Value(src.url, text, opt, text=True),
            "text": Value(src.text, text, opt, text=True),
            "externalId": Value(src.external_id, text, opt, text=True),
        }
    raise FilterError(f"unknown record kind {entity!r}")


# --- compiling -------------------------------------------------------------------------------


def compile_filter(
    entity: str, spec: Mapping[str, Any] | None, *, path: str = "filter"
) -> Condition:
    """The SQL condition for a JSON filter over records of `entity`; raises `FilterError`."""
    return _compile(entity, spec, path, 1, nested=False)


def _compile(entity: str, spec: Any, path: str, depth: int, *, nested: bool) -> Condition:
    """The condition of one filter object; `nested` inside a relation's subquery."""
    if spec is None:
        return true()
    if not isinstance(spec, Mapping):
        raise FilterError(f"{path}: expected an object of filter keys, got {_show(spec)}")
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
                _compile(entity, item, f"{where}[{i}]", depth + 1, nested=nested)
                for i, item in enumerate(items)
            ]
            if key == "and":
                parts.append(and_(true(), *conditions))
            else:
                parts.append(or_(false(), *conditions))
        elif key == "not":
            parts.append(not_(_compile(entity, value, where, depth + 1, nested=nested)))
        elif key in fields:
            parts.append(_field(fields[key], value, where, depth, nested=nested))
        else:
            allowed = ", ".join(sorted([*fields, "and", "or", "not"]))
            raise FilterError(f"{where}: unknown filter key (allowed: {allowed})")
    return and_(true(), *parts)


def _list(value: Any, path: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise FilterError(f"{path}: expected a list, got {_show(value)}")
    if len(value) > MAX_FILTER_LIST:
        raise FilterError(
            f"{path}: filter list limit exceeded: {len(value)} items, at most {MAX_FILTER_LIST}"
        )
    return value


def _field(spec: FieldSpec, value: Any, path: str, depth: int, *, nested: bool) -> Condition:
    if isinstance(spec, Value):
        return _value(spec, value, path)
    if isinstance(spec, Span):
        return _span(spec, value, path)
    if isinstance(spec, Related):
        inner = _compile(spec.entity, value, path, depth + 1, nested=True)
        return relation_condition(spec, inner, hoisted=nested)
    if isinstance(spec, Via):
        inner = _value(spec.value, value, path)
        return spec.key.in_(_ids(select(spec.table.c.id).where(inner), hoisted=False))
    if not isinstance(value, bool):
        raise FilterError(f"{path}: expected true or false, got {_show(value)}")
    return spec.condition if value else not_(spec.condition)


def _operators(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FilterError(
            f'{path}: expected an object of operators like {{"equalTo": ...}}, got {_show(value)}'
        )
    return value


def _value(spec: Value, value: Any, path: str) -> Condition:
    column = spec.column
    parts: list[Condition] = []
    for name, operand in _operators(value, path).items():
        where = f"{path}.{name}"
        if operand is None:
            continue
        condition: Condition
        negate = False
        if name == "isNull":
            if not isinstance(operand, bool):
                raise FilterError(f"{where}: expected true or false, got {_show(operand)}")
            parts.append(column.is_(None) if operand else column.is_not(None))
            continue
        if name in ("equalTo", "notEqualTo") or (spec.ordered and name in _SCALAR_OPERATORS):
            negate = name == "notEqualTo"
            compare = _SCALAR_OPERATORS["equalTo" if negate else name]
            condition = compare(column, spec.parse(operand, where))
        elif name in _SET_OPERATORS:
            negate = name == "notIn"
            items = [spec.parse(v, f"{where}[{i}]") for i, v in enumerate(_list(operand, where))]
            condition = column.in_(items) if items else false()
        elif name in _TEXT_OPERATORS and spec.text:
            text = _string(operand, where)
            if name == "includesInsensitive":
                condition = func.lower(column).contains(text.lower(), autoescape=True)
            else:
                # substr, not LIKE: SQLite's LIKE ignores case, PostgreSQL's does not.
                condition = func.substr(column, 1, len(text)) == text
        else:
            allowed = ["equalTo", "notEqualTo", "in", "notIn", "isNull"]
            if spec.ordered:
                allowed += ["lessThan", "lessThanOrEqualTo", "greaterThan", "greaterThanOrEqualTo"]
            if spec.text:
                allowed += list(_TEXT_OPERATORS)
            raise FilterError(f"{where}: unknown operator (allowed: {', '.join(allowed)})")
        if spec.nullable:
            condition = and_(column.is_not(None), condition)
        parts.append(not_(condition) if negate else condition)
    return and_(true(), *parts)


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
                raise FilterError(f"{where}: expected true or false, got {_show(operand)}")
            parts.append(start.is_(None) if operand else start.is_not(None))
            continue
        if name in ("equalTo", "notEqualTo"):
            day = _date(operand, where)
            negate = name == "notEqualTo"
            condition = and_(start <= day, end >= day)
        elif name in _SET_OPERATORS:
            days = [_date(v, f"{where}[{i}]") for i, v in enumerate(_list(operand, where))]
            negate = name == "notIn"
            condition = or_(false(), *[and_(start <= day, end >= day) for day in days])
        elif name == "greaterThanOrEqualTo":
            condition = end >= _date(operand, where)
        elif name == "greaterThan":
            condition = end > _date(operand, where)
        elif name == "lessThanOrEqualTo":
            condition = start <= _date(operand, where)
        elif name == "lessThan":
            condition = start < _date(operand, where)
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
]
