"""The keys of record filters: what each key of each record kind compares, and how values parse.

`entity_fields(kind)` maps each camelCase key (the GraphQL filter inputs' names) to a column
value, a date range, a relation to another kind's filter, or an existence test; the value
parsers turn JSON values into Python values for SQL, or refuse them with a `FilterError`
naming the key. `schema.filters` compiles whole filters from these keys.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Select, Table, and_, func, select
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


def parse_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise FilterError(f"{path}: expected a string, got {show_value(value)}")
    # PostgreSQL text cannot hold NUL (it raises), and no stored text contains one: refused on
    # both databases alike rather than answered on one and failed on the other.
    if "\x00" in value:
        raise FilterError(f"{path}: text must not contain the NUL character (\\u0000)")
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FilterError(f"{path}: expected an integer, got {show_value(value)}")
    if not MIN_FILTER_INT <= value <= MAX_FILTER_INT:
        raise FilterError(f"{path}: {show_value(value)} is out of range (a 64-bit integer)")
    return value


def _float(value: Any, path: str) -> float:
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


def relation_condition(spec: Related, condition: Condition, *, hoisted: bool) -> Condition:
    """The SQL of a relation whose far record must match `condition`: key lookups from the last
    hop back to the first. An empty (NULL) key never matches, so `not` is an exact complement.
    """
    for near, far in reversed(spec.hops):
        wanted = and_(far.is_not(None), condition) if far.nullable else condition
        condition = near.in_(id_select(select(far).where(wanted), hoisted))
        if near.nullable:
            condition = and_(near.is_not(None), condition)
    return condition


def _common(table: Table, kind: str) -> dict[str, FieldSpec]:
    """Keys every record kind has: slug, dataset and (except sources) source."""
    fields: dict[str, FieldSpec] = {
        "slug": Value(table.c.slug, parse_string, text=True),
        "dataset": Via(table.c.dataset_id, DATASET, Value(DATASET.c.name, parse_string, text=True)),
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
    text, opt = parse_string, True
    if entity == "event":
        return {
            **_common(EVENT, entity),
            "title": Value(e.title, text, text=True),
            "description": Value(e.description, text, opt, text=True),
            "type": _choice(e.type, enums.EventType),
            "subType": _choice(e.sub_type, enums.EventSubType),
            "date": Span(e.start_date, e.end_date),
            "startDate": Value(e.start_date, parse_date),
            "endDate": Value(e.end_date, parse_date),
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
