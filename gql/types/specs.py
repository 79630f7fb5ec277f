"""What a GraphQL field of a row-backed type is, in terms of rows: one spec per field.

A spec is the single statement of where a field's value comes from — a column of the row, a
value computed from some columns, a value object spread over the row, or the rows of another
table reached through `gql.data.listing`. Each spec answers both executors:

- the general executor reads it through the field made from it (`gql.types.fields`): a
  column is read into the object when it is made from its row, a computed value or value
  object is `value(row)`, related rows are loaded through the spec's listing or relation;
- the fast path reads the same object from the field's metadata (`gql.fastpath.registry`) and
  compiles it into row reads or SQL (`sql`, the SQL twin of a computed value).

So the two executors cannot disagree about a field: there is nothing else to disagree with.
The target type of a relation is the field's GraphQL type; scalar conversions (enum names,
32-bit `Int`) are the GraphQL type's too, so a spec names only columns and relations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Row
from sqlalchemy.sql.elements import ColumnElement
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from gql.data.listing import Listing, Relation

#: The key of a field's spec in its Strawberry metadata.
SPEC = "eventql.spec"


@dataclass(frozen=True)
class Column:
    """The value of one column of the record's row."""

    name: str

    def value(self, row: Row[Any]) -> Any:
        """The column's value in `row`."""
        return getattr(row, self.name)


@dataclass(frozen=True)
class GlobalId:
    """The record's opaque global ID (`gql.types.node.encode_id`) of GraphQL type `kind`."""

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

    def value(self, row: Row[Any]) -> Any:
        """The value computed from `row`."""
        return self.function(*[getattr(row, name) for name in self.columns])


@dataclass(frozen=True)
class Embedded:
    """A value object (`cls`, a Strawberry type) made of the same row, or null when `present`
    is false. `parts` maps the object's attributes to columns or computed values.

    `guaranteed`: the columns `present` tests, if it tests only that they are not null — the
    object is there exactly when they are not null.
    """

    cls: type
    present: Computed
    parts: Mapping[str, Column | Computed]
    guaranteed: tuple[str, ...] = ()

    @cached_property
    def fields(self) -> Mapping[str, Column | Computed]:
        """The parts by GraphQL field name (what the fast path selects)."""
        names = {field.python_name: graphql_name(field) for field in definition_fields(self.cls)}
        return {names[attribute]: part for attribute, part in self.parts.items()}

    def value(self, row: Row[Any]) -> Any:
        """The value object of `row`, or None."""
        if not self.present.value(row):
            return None
        return self.cls(**{attribute: part.value(row) for attribute, part in self.parts.items()})


@dataclass(frozen=True)
class ToOne:
    """The record of `listing` whose primary key is in column `key` (null when it is null)."""

    listing: Listing
    key: str


@dataclass(frozen=True)
class ToMany:
    """The rows of a relation of the record, as a plain list: the first `first` of them
    (`gql.types.list_fields.list_size`) in the listing's default order."""

    relation: Relation


@dataclass(frozen=True)
class Paged:
    """A page of a relation of the record, as a connection."""

    relation: Relation


FieldSpec = Column | GlobalId | Computed | Embedded | ToOne | ToMany | Paged


def definition_fields(cls: type) -> list[StrawberryField]:
    """The fields of a Strawberry type, inherited ones first, in schema order."""
    fields: list[StrawberryField] = cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
    return fields


def graphql_name(field: StrawberryField) -> str:
    """A field's name in the schema (Strawberry's default: the attribute in camelCase)."""
    if field.graphql_name is not None:
        return field.graphql_name
    assert field.python_name is not None
    return to_camel_case(field.python_name)


def spec_of(field: StrawberryField) -> FieldSpec | None:
    """The spec a field was declared with (`gql.types.fields`), if any."""
    spec: FieldSpec | None = field.metadata.get(SPEC)
    return spec
