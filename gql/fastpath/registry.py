"""What each GraphQL field of a record type is, in terms of rows: the fast path's map.

Every object type the fast path can answer is listed with, per field, where its value comes
from: a column of the record's row, a value computed from some columns, a value object made
of the same row (`DateSpan`, `Location`, `Evidence`), or related rows reached through the
`Listing`/`Relation` metadata of `gql.listing` — a to-one key, a small list, or a paged
connection. The GraphQL types in `gql.types` are the reference; each entry here says the
same thing in a form a compiled plan can run without resolvers. A field missing here is not
guessed at: the operation falls back to the general executor (so a new field is safe before
it is added here), and the differential tests compare both paths on every field listed.

Scalar conversions (enum names, 32-bit `Int`, finite `Float`) are derived from the GraphQL
schema when a plan is compiled, so this map only names columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType
from sqlalchemy import Boolean, Date, Table, Text, cast, func, literal_column, or_
from sqlalchemy.sql.elements import ColumnElement

from gql import listing
from gql.listing import Listing, Relation
from schema import enums
from schema.figures import read_figure


@dataclass(frozen=True)
class Column:
    """The value of one column of the record's row."""

    name: str


@dataclass(frozen=True)
class GlobalId:
    """The record's opaque global ID (`gql.node.encode_id`) of GraphQL type `kind`."""

    kind: str


@dataclass(frozen=True)
class Computed:
    """`function(*values of columns)`: a value computed from several columns of the row.

    `sql`, when given, computes the same value in SQL from the same columns (so the database
    can write it, `gql.fastpath.inline`); `null` says whether that value may be null.
    """

    function: Callable[..., Any]
    columns: tuple[str, ...]
    sql: Callable[..., ColumnElement[Any]] | None = None
    null: bool = True


@dataclass(frozen=True)
class Embedded:
    """A value object made of the same row, or null when `present(*columns)` is false."""

    type_name: str
    present: Computed
    fields: Mapping[str, Column | Computed]
    #: The columns `present` tests, if it tests only that they are not null: the object is
    #: there exactly when they are not null.
    guaranteed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ToOne:
    """The record of `listing` whose primary key is in column `key` (null when it is null)."""

    listing: Listing
    key: str
    type_name: str


@dataclass(frozen=True)
class ToMany:
    """The rows of a relation of the record, as a plain list: the first `first` of them
    (`gql.lists.list_size`) in the listing's default order."""

    relation: Relation
    type_name: str


@dataclass(frozen=True)
class Paged:
    """A page of a relation of the record, as a connection of `node_type` nodes."""

    relation: Relation
    node_type: str


FieldSpec = Column | GlobalId | Computed | Embedded | ToOne | ToMany | Paged


@dataclass(frozen=True)
class ObjectSpec:
    """A GraphQL object type whose values are rows of `table` (its columns come first)."""

    name: str
    table: Table
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)


# --- values computed from several columns, as the types in gql.types compute them -----------


def _present(value: Any) -> bool:
    return value is not None


def _either(first: Any, second: Any) -> bool:
    return first is not None or second is not None


def _or_start(end: Any, start: Any) -> Any:
    return end or start


def _precision(precision: str | None) -> str:
    return precision or enums.DatePrecision.DAY.value


def _low(status: str, qualifier: str, value: Any, lower: Any, upper: Any) -> int | None:
    reading = read_figure(status=status, qualifier=qualifier, value=value, lower=lower, upper=upper)
    return None if reading is None else reading.low


def _best(status: str, qualifier: str, value: Any, lower: Any, upper: Any) -> int | None:
    reading = read_figure(status=status, qualifier=qualifier, value=value, lower=lower, upper=upper)
    return None if reading is None else reading.best


def _high(status: str, qualifier: str, value: Any, lower: Any, upper: Any) -> int | None:
    reading = read_figure(status=status, qualifier=qualifier, value=value, lower=lower, upper=upper)
    return None if reading is None else reading.high


def _is_quote(mode: str) -> bool:
    return bool(mode == enums.StatementMode.QUOTE.value)


def _is_quote_sql(mode: ColumnElement[Any]) -> ColumnElement[Any]:
    quote = literal_column(f"'{enums.StatementMode.QUOTE.value}'", Text)
    return cast(mode == quote, Boolean)


def _strings(values: Any) -> list[Any]:
    return list(values or [])


def _present_sql(value: ColumnElement[Any]) -> ColumnElement[Any]:
    return value.is_not(None)


def _either_sql(first: ColumnElement[Any], second: ColumnElement[Any]) -> ColumnElement[Any]:
    return or_(first.is_not(None), second.is_not(None))


def _or_start_sql(end: ColumnElement[Any], start: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(end, start, type_=Date)


def _precision_sql(precision: ColumnElement[Any]) -> ColumnElement[Any]:
    day = literal_column(f"'{enums.DatePrecision.DAY.value}'", Text)
    return func.coalesce(precision, day, type_=Text)


_READING = ("status", "qualifier", "value", "lower", "upper")


def _date_span(prefix: str) -> Embedded:
    """`DateSpan.of(<prefix>start, <prefix>end, <prefix>precision, <prefix>note)`; the
    prefix "date_" stands for the columns start_date, end_date, date_precision, date_note."""
    if prefix == "date_":
        first, last, precision, note = "start_date", "end_date", "date_precision", "date_note"
    else:
        first, last = f"{prefix}start", f"{prefix}end"
        precision, note = f"{prefix}precision", f"{prefix}note"
    return Embedded(
        "DateSpan",
        Computed(_present, (first,), _present_sql, null=False),
        {
            "start": Column(first),
            # Never null where the span is present: then the start is not null.
            "end": Computed(_or_start, (last, first), _or_start_sql, null=False),
            "precision": Computed(_precision, (precision,), _precision_sql, null=False),
            "note": Column(note),
        },
        guaranteed=(first,),
    )


_EVIDENCE = Embedded(
    "Evidence",
    Computed(_either, ("evidence", "locator"), _either_sql, null=False),
    {
        "text": Column("evidence"),
        "start": Column("evidence_start"),
        "end": Column("evidence_end"),
        "locator": Column("locator"),
    },
)
_LOCATION = Embedded(
    "Location",
    Computed(_present, ("country_code",), _present_sql, null=False),
    {
        "countryCode": Column("country_code"),
        "country": Column("country"),
        "admin1": Column("admin1"),
        "admin2": Column("admin2"),
        "place": Column("place"),
        "latitude": Column("latitude"),
        "longitude": Column("longitude"),
        "coordinatePrecision": Column("coordinate_precision"),
        "geonamesId": Column("geonames_id"),
    },
    guaranteed=("country_code",),
)


def _record(kind: str) -> dict[str, FieldSpec]:
    """The fields of the `Record` interface."""
    return {
        "id": GlobalId(kind),
        "slug": Column("slug"),
        "dataset": ToOne(listing.DATASETS, "dataset_id", "Dataset"),
        "source": ToOne(listing.SOURCES, "source_id", "Source"),
        "evidence": _EVIDENCE,
    }


_TYPES = (
    ObjectSpec(
        "Event",
        listing.EVENTS.table,
        {
            **_record("Event"),
            "title": Column("title"),
            "type": Column("type"),
            "subType": Column("sub_type"),
            "description": Column("description"),
            "externalId": Column("external_id"),
            "codes": Column("codes"),
            "date": _date_span("date_"),
            "startDate": Column("start_date"),
            "endDate": Column("end_date"),
            "location": _LOCATION,
            "participants": ToMany(listing.EVENT_PARTICIPANTS, "Participation"),
            "figures": Paged(listing.EVENT_FIGURES, "Figure"),
            "statements": Paged(listing.EVENT_STATEMENTS, "Statement"),
            "links": ToMany(listing.EVENT_LINKS_FROM, "EventLink"),
            "linkedFrom": Paged(listing.EVENT_LINKED_FROM, "EventLink"),
        },
    ),
    ObjectSpec(
        "Actor",
        listing.ACTORS.table,
        {
            **_record("Actor"),
            "name": Column("name"),
            "aliases": Computed(_strings, ("aliases",)),
            "kind": Column("kind"),
            "countryCode": Column("country_code"),
            "title": Column("title"),
            "description": Column("description"),
            "externalId": Column("external_id"),
            "codes": Column("codes"),
            "parent": ToOne(listing.ACTORS, "parent_id", "Actor"),
            "children": Paged(listing.ACTOR_CHILDREN, "Actor"),
            "participations": Paged(listing.ACTOR_PARTICIPATIONS, "Participation"),
            "statements": Paged(listing.ACTOR_STATEMENTS, "Statement"),
            "statementsAbout": Paged(listing.ACTOR_STATEMENTS_ABOUT, "Statement"),
            "reportedFigures": Paged(listing.ACTOR_REPORTED_FIGURES, "Figure"),
            "countedIn": Paged(listing.ACTOR_COUNTED_IN, "Figure"),
        },
    ),
    ObjectSpec(
        "Statement",
        listing.STATEMENTS.table,
        {
            **_record("Statement"),
            "speakerTitle": Column("speaker_title"),
            "kind": Column("kind"),
            "mode": Column("mode"),
            "text": Column("text"),
            "attribution": Column("attribution"),
            "directQuote": Computed(_is_quote, ("mode",), _is_quote_sql, null=False),
            "date": _date_span("date_"),
            "speaker": ToOne(listing.ACTORS, "speaker_id", "Actor"),
            "aboutEvents": ToMany(listing.STATEMENT_ABOUT_EVENTS, "Event"),
            "aboutActors": ToMany(listing.STATEMENT_ABOUT_ACTORS, "Actor"),
            "figures": ToMany(listing.STATEMENT_FIGURES, "Figure"),
        },
    ),
    ObjectSpec(
        "Figure",
        listing.FIGURES.table,
        {
            **_record("Figure"),
            "kind": Column("kind"),
            "unit": Column("unit"),
            "status": Column("status"),
            "value": Column("value"),
            "lower": Column("lower"),
            "upper": Column("upper"),
            "qualifier": Column("qualifier"),
            "raw": Column("raw"),
            "attribution": Column("attribution"),
            "countedGroup": Column("counted_group"),
            "note": Column("note"),
            "low": Computed(_low, _READING),
            "best": Computed(_best, _READING),
            "high": Computed(_high, _READING),
            "asOf": _date_span("as_of_"),
            "event": ToOne(listing.EVENTS, "event_id", "Event"),
            "claimant": ToOne(listing.ACTORS, "claimant_id", "Actor"),
            "statement": ToOne(listing.STATEMENTS, "statement_id", "Statement"),
            "countedActor": ToOne(listing.ACTORS, "counted_actor_id", "Actor"),
            "partOf": ToOne(listing.FIGURES, "part_of_id", "Figure"),
            "parts": ToMany(listing.FIGURE_PARTS, "Figure"),
        },
    ),
    ObjectSpec(
        "Source",
        listing.SOURCES.table,
        {
            "id": GlobalId("Source"),
            "slug": Column("slug"),
            "headline": Column("headline"),
            "outlet": Column("outlet"),
            "url": Column("url"),
            "language": Column("language"),
            "text": Column("text"),
            "licence": Column("licence"),
            "externalId": Column("external_id"),
            "published": _date_span("published_"),
            "dataset": ToOne(listing.DATASETS, "dataset_id", "Dataset"),
            "events": Paged(listing.SOURCE_EVENTS, "Event"),
            "actors": Paged(listing.SOURCE_ACTORS, "Actor"),
            "statements": Paged(listing.SOURCE_STATEMENTS, "Statement"),
            "figures": Paged(listing.SOURCE_FIGURES, "Figure"),
        },
    ),
    ObjectSpec(
        "Dataset",
        listing.DATASETS.table,
        {
            "id": GlobalId("Dataset"),
            "name": Column("name"),
            "title": Column("title"),
            "description": Column("description"),
            "licence": Column("licence"),
            "citation": Column("citation"),
            "url": Column("url"),
            "contentHash": Column("content_hash"),
            "sources": Paged(listing.DATASET_SOURCES, "Source"),
            "events": Paged(listing.DATASET_EVENTS, "Event"),
        },
    ),
    ObjectSpec(
        "Participation",
        listing.PARTICIPATIONS.table,
        {
            "role": Column("role"),
            "note": Column("note"),
            "evidence": Column("evidence"),
            "actor": ToOne(listing.ACTORS, "actor_id", "Actor"),
            "event": ToOne(listing.EVENTS, "event_id", "Event"),
        },
    ),
    ObjectSpec(
        "EventLink",
        listing.EVENT_LINKS.table,
        {
            "kind": Column("kind"),
            "evidence": Column("evidence"),
            "event": ToOne(listing.EVENTS, "event_id", "Event"),
            "target": ToOne(listing.EVENTS, "target_id", "Event"),
        },
    ),
)

#: The row-backed object types, by GraphQL name.
OBJECT_TYPES: Mapping[str, ObjectSpec] = {spec.name: spec for spec in _TYPES}

#: The record types a global ID can name (`gql.node.NODE_KINDS`), with their listings.
NODE_LISTINGS: Mapping[str, Listing] = {
    "Event": listing.EVENTS,
    "Actor": listing.ACTORS,
    "Statement": listing.STATEMENTS,
    "Figure": listing.FIGURES,
    "Source": listing.SOURCES,
    "Dataset": listing.DATASETS,
}

#: Root connections: field of `Query` → (listing, node type).
ROOT_CONNECTIONS: Mapping[str, tuple[Listing, str]] = {
    "events": (listing.EVENTS, "Event"),
    "actors": (listing.ACTORS, "Actor"),
    "statements": (listing.STATEMENTS, "Statement"),
    "figures": (listing.FIGURES, "Figure"),
    "sources": (listing.SOURCES, "Source"),
}

#: Root lookups by slug: field of `Query` → (listing, node type).
ROOT_BY_SLUG: Mapping[str, tuple[Listing, str]] = {
    "event": (listing.EVENTS, "Event"),
    "actor": (listing.ACTORS, "Actor"),
    "statement": (listing.STATEMENTS, "Statement"),
    "figure": (listing.FIGURES, "Figure"),
    "source": (listing.SOURCES, "Source"),
}


def unwrap(type_: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    """The type inside a non-null wrapper, and whether there was one."""
    if isinstance(type_, GraphQLNonNull):
        return type_.of_type, True
    return type_, False


def object_type(type_: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type inside list and non-null wrappers, or None for any other type."""
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_ if isinstance(type_, GraphQLObjectType) else None
