"""What each GraphQL field of a row-backed type is, in terms of rows: the fast path's map.

Nothing here is written out by hand: the map is read from the GraphQL types themselves.
Every field of a row-backed type (`gql.types.fields.RowObject`) is declared with a spec
(`gql.types.specs`: a column, a computed value, a value object, a to-one key, a list or a
paged relation) carried in its Strawberry metadata, and the general executor's resolver is
made from that same spec. So the fast path answers a field exactly as the resolver does, and
a field declared without a spec is one it declines (the operation goes to the general
executor; `tests/test_field_coverage.py` fails for any such field outside aggregates).

The types are found by walking from `Query` through relation fields and connections. Two
facts come from elsewhere, each stated once: `Node.id` (`gql.types.node`) is the global ID of the
type's `node_kind`, and the root fields of `Query` (`gql.types.query`) page through, or look up by
slug, the listing of the type they return. Scalar conversions (enum names, 32-bit `Int`,
finite `Float`) and the target type of a relation are read from the GraphQL schema when a
plan is compiled, so specs only name columns and relations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType
from sqlalchemy import Table
from strawberry.types.base import StrawberryOptional

from gql.data.connections import Connection
from gql.data.listing import Listing
from gql.types.fields import RowObject, node_class, record_class
from gql.types.node import Node
from gql.types.query import Query
from gql.types.specs import (
    Column,
    Computed,
    Embedded,
    FieldSpec,
    GlobalId,
    Paged,
    ToMany,
    ToOne,
    definition_fields,
    graphql_name,
    spec_of,
)

__all__ = [
    "NODE_LISTINGS",
    "OBJECT_TYPES",
    "ROOT_BY_SLUG",
    "ROOT_CONNECTIONS",
    "Column",
    "Computed",
    "Embedded",
    "FieldSpec",
    "GlobalId",
    "ObjectSpec",
    "Paged",
    "ToMany",
    "ToOne",
    "object_type",
    "unwrap",
]


@dataclass(frozen=True)
class ObjectSpec:
    """A GraphQL object type whose values are rows of `table` (its columns come first)."""

    name: str
    table: Table
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)


#: `Node.id` as Strawberry holds it: every node type inherits this one field object.
_NODE_ID = next(f for f in definition_fields(Node) if f.python_name == "id")


def _name(cls: type) -> str:
    name: str = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
    return name


def _is_row_type(cls: Any) -> TypeGuard[type[RowObject]]:
    """Whether `cls` is a row-backed type (not an interface such as `Record`)."""
    return isinstance(cls, type) and issubclass(cls, RowObject) and hasattr(cls, "table_listing")


def _object_spec(cls: type[RowObject]) -> ObjectSpec:
    """The spec of a row-backed type: each field's declared spec, by GraphQL name."""
    fields: dict[str, FieldSpec] = {}
    for definition in definition_fields(cls):
        spec = spec_of(definition)
        if definition is _NODE_ID and issubclass(cls, Node):  # it encodes (node_kind, db_id)
            spec = GlobalId(cls.node_kind)
        if spec is not None:
            fields[graphql_name(definition)] = spec
    return ObjectSpec(_name(cls), cls.table_listing.table, fields)


def _related(cls: type) -> Iterator[type]:
    """The row-backed types a type's relation fields lead to."""
    for definition in definition_fields(cls):
        spec = spec_of(definition)
        if isinstance(spec, ToOne | ToMany):
            yield record_class(definition.type)
        elif isinstance(spec, Paged):
            yield node_class(record_class(definition.type))


def _row_types() -> dict[str, type[RowObject]]:
    """Every row-backed type reachable from `Query`, by GraphQL name."""
    found: dict[str, type[RowObject]] = {}
    pending = [_root_type(definition.type) for definition in definition_fields(Query)]
    while pending:
        cls = pending.pop()
        if _is_row_type(cls) and _name(cls) not in found:
            found[_name(cls)] = cls
            pending.extend(_related(cls))
    return found


def _root_type(type_: Any) -> Any:
    """The row-backed type a root field returns, or pages through."""
    cls = record_class(type_)
    if isinstance(cls, type) and issubclass(cls, Connection):
        return node_class(cls)
    return cls


_ROW_TYPES = _row_types()

#: The row-backed object types, by GraphQL name.
OBJECT_TYPES: Mapping[str, ObjectSpec] = {
    name: _object_spec(cls) for name, cls in _ROW_TYPES.items()
}

#: The record types a global ID can name (`gql.types.node.NODE_TYPES`), with their listings.
NODE_LISTINGS: Mapping[str, Listing] = {
    name: cls.table_listing for name, cls in _ROW_TYPES.items() if issubclass(cls, Node)
}


def _root_connections() -> dict[str, tuple[Listing, str]]:
    """Root fields returning a connection: each pages through its node type's listing."""
    found: dict[str, tuple[Listing, str]] = {}
    for definition in definition_fields(Query):
        cls = record_class(definition.type)
        if isinstance(cls, type) and issubclass(cls, Connection):
            node = node_class(cls)
            if _is_row_type(node):
                found[graphql_name(definition)] = (node.table_listing, _name(node))
    return found


def _root_lookups() -> dict[str, tuple[Listing, str]]:
    """Root fields taking a `slug` and returning one record or null: each looks the record up
    by slug in its type's listing."""
    found: dict[str, tuple[Listing, str]] = {}
    for definition in definition_fields(Query):
        cls = record_class(definition.type)
        by_slug = any(argument.python_name == "slug" for argument in definition.arguments)
        if by_slug and isinstance(definition.type, StrawberryOptional) and _is_row_type(cls):
            found[graphql_name(definition)] = (cls.table_listing, _name(cls))
    return found


#: Root connections: field of `Query` → (listing, node type).
ROOT_CONNECTIONS: Mapping[str, tuple[Listing, str]] = _root_connections()

#: Root lookups by slug: field of `Query` → (listing, node type).
ROOT_BY_SLUG: Mapping[str, tuple[Listing, str]] = _root_lookups()


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
