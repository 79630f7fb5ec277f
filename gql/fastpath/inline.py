"""JSON written by the database: a relation's whole selection compiled into one SQL expression.

An event's participants, a figure's claimant, the first page of an event's figures: when
everything selected below such a field can be said in SQL — columns, enum names, global IDs,
value objects, to-one records, lists and first pages of relations, counts — the field becomes
one correlated subquery that returns the field's JSON text, selected as one more column of
the parent's rows. The builder splices that text into the response as it is
(`orjson.Fragment`), so the rows below never reach Python and a whole nested selection costs
no statement of its own. This is how Hasura and PostGraphile answer; PostgreSQL builds the
JSON with `json_build_object`/`json_agg`, SQLite with `json_object`/`json_group_array`.

Values are written as graphql-core would write them: enum names through a `CASE` over the
stored values, `Boolean` as JSON booleans, `JSON` columns embedded, global IDs encoded as
`gql.types.node.encode_id` encodes them (SQLite calls `eventql_global_id`, registered on each
connection by `gql.data.database`). What SQL could get wrong is not compiled here but left to the
row builders, which check it: a non-null field over a nullable column (the spec's error), a
list of scalars, a computed value without an SQL twin, a page after a cursor, `pageInfo` and
edges, arguments given as variables (a page's size or a list's `first`: the LIMIT is written
into the subquery), a relation reached from its own table. `NotInline`
says so, and the field is fetched by a statement of its own as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Integer,
    Numeric,
    Table,
    Text,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.sql import Select, operators
from sqlalchemy.sql.elements import BinaryExpression, ColumnElement
from sqlalchemy.sql.selectable import FromClause, Join
from sqlalchemy.sql.util import find_tables

from gql.data.connections import PageRequest, row_limit
from gql.data.cursors import Ordering
from gql.data.listing import Relation
from gql.fastpath.registry import (
    OBJECT_TYPES,
    Column,
    Computed,
    Embedded,
    GlobalId,
    ObjectSpec,
    Paged,
    ToMany,
    ToOne,
    object_type,
    unwrap,
)
from gql.types.node import SQLITE_GLOBAL_ID

#: Reads a column of the row an expression is about, by name.
ColumnOf = Callable[[str], ColumnElement[Any]]
#: A sort order: (expression, descending) pairs.
Order = list[tuple[ColumnElement[Any], bool]]
#: PostgreSQL functions take at most 100 arguments: 50 fields per JSON object.
_MAX_FIELDS = 50
#: Text written into SQL as a literal (names and stored enum values) must look like this.
_SAFE_LITERAL = re.compile(r"[A-Za-z0-9_. :-]*")


class NotInline(Exception):
    """A selection the database cannot write exactly as GraphQL would: rows answer it."""


def _literal(text: str) -> ColumnElement[Any]:
    if not _SAFE_LITERAL.fullmatch(text):
        raise NotInline(f"not a safe SQL literal: {text!r}")
    return literal_column(f"'{text}'", Text)


def _object_type(type_: GraphQLOutputType) -> GraphQLObjectType:
    found = object_type(type_)
    if found is None:
        raise NotInline(f"{type_} is not an object type")
    return found


def _joined(source: FromClause, table: Table, key: ColumnElement[Any]) -> bool:
    """Whether `source` inner-joins `table` on `table.id = key`."""
    if not isinstance(source, Join):
        return False
    on = source.onclause
    if not source.isouter and source.right is table and isinstance(on, BinaryExpression):
        left, right, id_ = on.left, on.right, table.c.id
        ends = (left is id_ and right is key) or (left is key and right is id_)
        if on.operator is operators.eq and ends:
            return True
    return _joined(source.left, table, key)


class JsonSql:
    """The JSON functions of one database, as SQLAlchemy expressions."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def object(self, pairs: list[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        """A JSON object of these keys and values, in this order."""
        if len(pairs) > _MAX_FIELDS:
            raise NotInline("too many fields for one JSON object")
        arguments = [part for key, value in pairs for part in (_literal(key), value)]
        if self.sqlite:
            return func.json_object(*arguments, type_=Text)
        return func.json_build_object(*arguments, type_=JSON)

    def nested(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """JSON text from a subquery, as a JSON value (SQLite would quote it as a string)."""
        return func.json(value, type_=Text) if self.sqlite else value

    def array(self, element: ColumnElement[Any], rows: Select[Any], order: Order) -> Any:
        """The JSON array of `element` over `rows` (a statement without columns yet) in
        `order` ((expression, descending) pairs)."""
        by = [
            expression.desc() if descending else expression.asc()
            for expression, descending in order
        ]
        rows = rows.add_columns(element.label("j"))
        if self.sqlite:
            # SQLite aggregates rows in the order of the subquery they come from.
            ordered = rows.order_by(*by).subquery()
            aggregate = func.json_group_array(func.json(ordered.c.j))
            return select(func.coalesce(aggregate, "[]")).scalar_subquery()
        # ARRAY(subquery) keeps the subquery's order, and writes `[]` for no rows.
        array = func.array(rows.order_by(*by).scalar_subquery())
        return func.array_to_json(array, type_=JSON)

    def boolean(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A `Boolean` as a JSON boolean (SQLite keeps booleans as 0 and 1)."""
        if not self.sqlite:
            return value
        return case(
            (value.is_(None), null()),
            (value, func.json("true")),
            else_=func.json("false"),
        )

    def embedded(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A JSON column's value as JSON (SQLite keeps it as text)."""
        return func.json(value, type_=Text) if self.sqlite else value

    def global_id(self, kind: str, key: ColumnElement[Any]) -> ColumnElement[Any]:
        """`gql.types.node.encode_id(kind, key)`: URL-safe base64 of "Kind:key", unpadded."""
        if self.sqlite:
            encode: Callable[..., ColumnElement[Any]] = getattr(func, SQLITE_GLOBAL_ID)
            return encode(_literal(kind), key, type_=Text)
        text = _literal(f"{kind}:").concat(cast(key, Text))
        encoded = func.encode(func.convert_to(text, literal_column("'UTF8'")), "base64")
        return func.rtrim(func.translate(encoded, "+/", "-_"), "=", type_=Text)

    def text(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """The JSON as text, as the driver should hand it over (not parsed)."""
        return value if self.sqlite else cast(value, Text)


class InlineCompiler:
    """Compiles selections into JSON expressions; `subfields` collects a field's selection as
    the plan compiler does (fragments, aliases, directives)."""

    def __init__(
        self,
        dialect: str,
        subfields: Callable[[GraphQLObjectType, Any], Mapping[str, Any]],
        static_arguments: Callable[[GraphQLField, Any, Relation], tuple[Any, Any, PageRequest]],
        static_list_size: Callable[[GraphQLField, Any], int],
    ) -> None:
        self.json = JsonSql(dialect)
        self.subfields = subfields
        self.static_arguments = static_arguments
        self.static_list_size = static_list_size

    # --- entry points: one field of a parent row ---------------------------------------

    def field(
        self,
        spec: ObjectSpec,
        field: ToOne | ToMany | Paged,
        definition: GraphQLField,
        details: Any,
        column: ColumnOf,
        scope: frozenset[Table],
    ) -> ColumnElement[Any]:
        """The JSON text of a relation field of a `spec` row (`column` reads the row): a
        to-one record (null when there is none), a list, or a connection's first page."""
        return self.json.text(self._field(spec, field, definition, details, column, scope, None))

    def page(
        self,
        spec: ObjectSpec,
        type_: GraphQLObjectType,
        details: Any,
        page_rows: Select[Any],
        ordering: Ordering,
        size: int,
    ) -> Select[Any]:
        """The statement writing a root page's `nodes` as JSON: the records of `page_rows` (a
        page statement: all the table's columns and the sort values `sort_<i>`), in order."""
        page = page_rows.subquery()
        element = self.record(spec, type_, details, page.c.__getitem__, frozenset())
        rows = select().select_from(page).limit(row_limit(size))
        order: Order = [(page.c[f"sort_{i}"], key.descending) for i, key in enumerate(ordering)]
        return select(self.json.text(self.json.array(element, rows, order)))

    # --- records ---------------------------------------------------------------------------

    def record(
        self,
        spec: ObjectSpec,
        type_: GraphQLObjectType,
        details: Any,
        column: ColumnOf,
        scope: frozenset[Table],
        source: FromClause | None = None,
    ) -> ColumnElement[Any]:
        """The JSON object of one record's selection; `column` reads the record's row, from
        `source` (a relation's FROM clause, if the row is read from it directly)."""
        if spec.name != type_.name:
            raise NotInline(f"{type_.name} is not {spec.name}")
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.subfields(type_, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(type_.name)))
                continue
            field = spec.fields.get(name)
            definition = type_.fields.get(name)
            if field is None or definition is None:
                raise NotInline(f"{type_.name}.{name}")
            pairs.append((key, self._field(spec, field, definition, sub, column, scope, source)))
        return self.json.object(pairs)

    def _field(
        self,
        spec: ObjectSpec,
        field: Any,
        definition: GraphQLField,
        details: Any,
        column: ColumnOf,
        scope: frozenset[Table],
        source: FromClause | None,
    ) -> ColumnElement[Any]:
        if isinstance(field, Column):
            nullable = bool(spec.table.c[field.name].nullable)
            return self._scalar(column(field.name), definition.type, nullable)
        if isinstance(field, Computed):
            return self._scalar(self._computed(field, column), definition.type, field.null)
        if isinstance(field, GlobalId):
            return self.json.global_id(field.kind, column("id"))
        if isinstance(field, Embedded):
            return self._embedded(spec, field, definition.type, details, column)
        if isinstance(field, ToOne):
            target = OBJECT_TYPES[_object_type(definition.type).name]
            if source is not None and _joined(source, target.table, spec.table.c[field.key]):
                # The row's source joins the record in already (an event's participants
                # are read with their actors, to sort by name): no lookup of its own.
                object_type = _object_type(definition.type)
                getter = target.table.c.__getitem__
                return self.record(target, object_type, details, getter, scope, source)
            nullable = bool(spec.table.c[field.key].nullable)
            return self.json.nested(
                self._to_one(field, definition.type, details, column, nullable, scope)
            )
        if isinstance(field, ToMany):
            return self.json.nested(self._list(field, definition, details, column("id"), scope))
        if isinstance(field, Paged):
            return self.json.nested(
                self._connection(field, definition, details, column("id"), scope)
            )
        raise NotInline(str(field))

    def _to_one(
        self,
        field: ToOne,
        type_: GraphQLOutputType,
        details: Any,
        column: ColumnOf,
        nullable_key: bool,
        scope: frozenset[Table],
    ) -> ColumnElement[Any]:
        if isinstance(type_, GraphQLNonNull) and nullable_key:
            raise NotInline("a non-null record behind a nullable key")
        target = OBJECT_TYPES[_object_type(type_).name]
        alias = target.table.alias()
        value = self.record(target, _object_type(type_), details, alias.c.__getitem__, scope)
        return select(value).where(alias.c.id == column(field.key)).scalar_subquery()

    def _computed(self, field: Computed, column: ColumnOf) -> ColumnElement[Any]:
        if field.sql is None:
            raise NotInline(f"{field.function.__name__} has no SQL twin")
        return field.sql(*(column(name) for name in field.columns))

    def _embedded(
        self,
        spec: ObjectSpec,
        field: Embedded,
        type_: GraphQLOutputType,
        details: Any,
        column: ColumnOf,
    ) -> ColumnElement[Any]:
        # Present exactly when its guaranteed columns are not null: always, if the table
        # says they never are; otherwise a non-null object might be missing (the spec's error).
        always = bool(field.guaranteed) and not any(
            spec.table.c[name].nullable for name in field.guaranteed
        )
        if isinstance(type_, GraphQLNonNull) and not always:
            raise NotInline("a non-null value object that may be missing")
        value_type = _object_type(type_)
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.subfields(value_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(value_type.name)))
                continue
            part = field.fields.get(name)
            if part is None:
                raise NotInline(f"{value_type.name}.{name}")
            part_type = value_type.fields[name].type
            if isinstance(part, Column):
                nullable = bool(spec.table.c[part.name].nullable)
                nullable = nullable and part.name not in field.guaranteed
                value = self._scalar(column(part.name), part_type, nullable)
            else:
                value = self._scalar(self._computed(part, column), part_type, part.null)
            pairs.append((key, value))
        present = self._computed(field.present, column)
        return case((present, self.json.object(pairs)), else_=null())

    # --- relations -------------------------------------------------------------------------

    def _rows(
        self, relation: Relation, parent: ColumnElement[Any], scope: frozenset[Table]
    ) -> tuple[Select[Any], frozenset[Table]]:
        """The relation's rows of the parent row (a statement without columns yet), and the
        tables in scope below it."""
        tables = frozenset(t for t in find_tables(relation.source) if isinstance(t, Table))
        if tables & scope:
            # The inner query would be correlated to the outer one's table of the same name.
            raise NotInline(f"{relation.name} is reached from one of its own tables")
        # Correlated to the parent row, wherever it comes from (a table, a page subquery).
        rows = (
            select()
            .select_from(relation.source)
            .where(relation.parent == parent)
            .correlate_except(*tables)
        )
        return rows, scope | tables

    def _list(
        self,
        field: ToMany,
        definition: GraphQLField,
        details: Any,
        parent: ColumnElement[Any],
        scope: frozenset[Table],
    ) -> ColumnElement[Any]:
        relation = field.relation
        type_ = _object_type(definition.type)
        target = OBJECT_TYPES[type_.name]
        if target.table is not relation.listing.table:
            raise NotInline(type_.name)
        rows, inner = self._rows(relation, parent, scope)
        size = self.static_list_size(definition, details)
        column = target.table.c.__getitem__
        element = self.record(target, type_, details, column, inner, relation.source)
        order = [(k.expression, k.descending) for k in relation.listing.ordering()]
        array: ColumnElement[Any] = self.json.array(element, rows.limit(row_limit(size)), order)
        return array

    def _connection(
        self,
        field: Paged,
        definition: GraphQLField,
        details: Any,
        parent: ColumnElement[Any],
        scope: frozenset[Table],
    ) -> ColumnElement[Any]:
        relation = field.relation
        rows, inner = self._rows(relation, parent, scope)
        connection = _object_type(definition.type)
        condition, ordering, page = self.static_arguments(definition, details, relation)
        if page.backwards or page.after is not None or page.before is not None:
            raise NotInline("a page after or before a cursor")
        node_type = connection.fields["nodes"].type
        target = OBJECT_TYPES[_object_type(node_type).name]
        table = target.table
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.subfields(connection, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(connection.name)))
            elif name == "nodes":
                element = self.record(
                    target,
                    _object_type(node_type),
                    sub,
                    table.c.__getitem__,
                    inner,
                    relation.source,
                )
                order = [(k.expression, k.descending) for k in ordering]
                page_rows = rows.where(condition).limit(row_limit(page.size))
                array = self.json.array(element, page_rows, order)
                pairs.append((key, self.json.nested(array)))
            elif name == "totalCount":
                count = rows.where(condition).add_columns(func.count()).scalar_subquery()
                pairs.append((key, count))
            else:
                raise NotInline(f"{connection.name}.{name}")
        return self.json.object(pairs)

    # --- scalars ---------------------------------------------------------------------------

    def _scalar(
        self, value: ColumnElement[Any], type_: GraphQLOutputType, nullable: bool
    ) -> ColumnElement[Any]:
        inner, non_null = unwrap(type_)
        if non_null and nullable:
            raise NotInline("a non-null field over a value that may be null")
        if isinstance(inner, GraphQLEnumType):
            names = {str(v.value): name for name, v in inner.values.items()}
            if all(name == stored.upper() for stored, name in names.items()):
                return func.upper(value, type_=Text)  # cheaper for the database than a CASE
            whens = [(value == _literal(stored), _literal(name)) for stored, name in names.items()]
            return case(*whens, else_=null())
        if not isinstance(inner, GraphQLScalarType):
            raise NotInline(str(inner))
        sql_type = value.type
        if inner.name in ("String", "ID", "Date"):
            if inner.name == "Date" or not isinstance(
                sql_type, Integer | Float | Numeric | Boolean
            ):
                return value
        elif inner.name == "Int" and isinstance(sql_type, Integer):
            return value
        elif inner.name == "Float" and isinstance(sql_type, Float | Numeric | Integer):
            return value
        elif inner.name == "Boolean" and isinstance(sql_type, Boolean):
            return self.json.boolean(value)
        elif inner.name == "JSON" and isinstance(sql_type, JSON):
            return self.json.embedded(value)
        raise NotInline(f"{inner.name} over {sql_type}")
