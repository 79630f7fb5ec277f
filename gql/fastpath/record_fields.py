"""Compiling a record's selection: one builder per object selection, and the fetches below it.

Each field of a row-backed type is looked up in `registry` (the spec it was declared with):
a column, computed value or value object is read from the record's own row
(`gql.fastpath.value_fields`), its `id` is encoded as a global ID, and a relation is answered
in the cheapest way its selection allows, tried in turn:

- a to-one record selecting only columns is joined into the parent's statement;
- a relation whose whole selection SQL can write becomes a JSON column of the parent's rows
  (`gql.fastpath.inline`);
- otherwise the relation gets a fetch one level down, batched by the parents' keys
  (`gql.fastpath.fetch`), and a builder of its own: a record by key, a plain list, or a page
  (`gql.fastpath.connection_fields`).

A field with no spec, or a spec the schema contradicts, raises `Unsupported`.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType
from sqlalchemy import Table
from sqlalchemy.sql.elements import ColumnElement

from gql.data.listing import Relation
from gql.data.loaders import by_id_statement
from gql.fastpath import steps
from gql.fastpath.arguments import Arguments, Prepare, variables_used
from gql.fastpath.codegen import dict_display
from gql.fastpath.compilation import Compilation, Details, object_of
from gql.fastpath.connection_fields import ConnectionCompiler
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import (
    ColumnOf,
    Columns,
    Fetch,
    ListFetch,
    NotJoinable,
    PageFetch,
    ToOneFetch,
    batch_keys,
)
from gql.fastpath.inline import InlineCompiler, NotInline
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
)
from gql.fastpath.value_fields import ValueCompiler

logger = logging.getLogger("eventql.fastpath")
T = TypeVar("T")


def own_columns(table: Table) -> Columns:
    """Columns of a fetch by primary key: its statement reads `table` alone."""
    return Columns(table, joins=True, scope=frozenset({table}))


class RecordCompiler:
    """Writes the builders of record selections into one compilation, and adds the fetches
    their relations need."""

    def __init__(self, compilation: Compilation) -> None:
        self.compilation = compilation
        self.values = ValueCompiler(compilation)
        self.connections = ConnectionCompiler(compilation, self.record)
        self.inline = InlineCompiler(
            compilation.db.dialect,
            compilation.subfields,
            self._static_page,
            self._static_list_size,
        )

    def record(
        self, spec: ObjectSpec, type_: GraphQLObjectType, details: Details, fetch: Fetch
    ) -> str:
        """The builder of a record's selection, called with one of `fetch`'s rows."""
        if spec.name != type_.name:
            raise Unsupported(f"{type_.name} is not {spec.name}")
        items = [
            (key, self._field(spec, type_, sub, fetch))
            for key, sub in self.compilation.subfields(type_, details).items()
        ]
        writer = self.compilation.writer
        return writer.function(writer.name("o"), "r, D", [f"return {dict_display(items)}"])

    def _field(
        self, spec: ObjectSpec, type_: GraphQLObjectType, details: Details, fetch: Fetch
    ) -> str:
        name = details[0].node.name.value
        if name == "__typename":
            return repr(type_.name)
        field = spec.fields.get(name)
        definition = type_.fields.get(name)
        if field is None or definition is None:
            raise Unsupported(f"{type_.name}.{name}")
        if isinstance(field, Column | Computed):
            return self.values.value(spec, fetch.columns, field, definition.type)
        if isinstance(field, GlobalId):
            return f"_id({field.kind!r}, {fetch.columns.ref('id')})"
        if isinstance(field, Embedded):
            return self.values.embedded(spec, fetch.columns, field, definition.type, details)
        if isinstance(field, ToOne):
            return self._to_one(spec, field, definition, details, fetch)
        if isinstance(field, ToMany):
            target = OBJECT_TYPES[object_of(definition.type).name]
            if target.table is not field.relation.listing.table:
                raise Unsupported(f"{type_.name}.{name}")
        inlined = self._inline(spec, field, definition, details, fetch)
        if inlined is not None:
            return inlined
        if isinstance(field, ToMany):
            return self._list(field, definition, details, fetch)
        return self._page(field, definition, details, fetch)

    def _list(self, field: ToMany, definition: GraphQLField, details: Details, fetch: Fetch) -> str:
        """A plain list of related records, fetched per parent."""
        target = OBJECT_TYPES[object_of(definition.type).name]
        key = fetch.columns.index("id")
        # JSON columns are computed for the kept rows only, read from the cut statement
        # as a subquery (as a page's are): no table of the relation is in scope there.
        child = ListFetch(
            self.compilation.slot(),
            Columns(target.table, joins=True, scope=frozenset(), paged=True),
            key_index=key,
        )
        fetch.children.append(child)
        builder = self.record(target, object_of(definition.type), details, child)
        selected = child.columns.selected()
        child.group_index = len(selected)
        statement = steps.related_list(
            field.relation,
            self.compilation.settings,
            selected,
            child.columns.finish,
            child.columns.outer(),
        )
        child.arguments = self.compilation.arguments(definition, details, statement)
        return f"[{builder}(y, D) for y in D[{child.slot}].get(r[{key}], ())]"

    def _page(self, field: Paged, definition: GraphQLField, details: Details, fetch: Fetch) -> str:
        """A nested connection over a page fetched per parent."""
        key = fetch.columns.index("id")
        page = PageFetch(
            self.compilation.slot(),
            Columns(field.relation.listing.table, scope=frozenset(), paged=True),
            key_index=key,
            step_slot=self.compilation.slot(),
            count_slot=self.compilation.slot(),
        )
        fetch.children.append(page)
        node_type = object_of(object_of(definition.type).fields["nodes"].type).name
        builder = self.connections.connection(details, definition, node_type, page)
        prepare = steps.nested_page(
            field.relation, self.compilation.settings, page.columns.selected(), page.columns.outer()
        )
        page.arguments = self.compilation.arguments(definition, details, prepare)
        return f"{builder}(r[{key}], D)"

    def _to_one(
        self,
        spec: ObjectSpec,
        field: ToOne,
        definition: GraphQLField,
        details: Details,
        fetch: Fetch,
    ) -> str:
        """A to-one record: joined in, as JSON, or fetched by key."""
        type_ = definition.type
        target = OBJECT_TYPES[object_of(type_).name]
        joined = self._joined(field, target, type_, details, fetch)
        if joined is not None:
            return joined
        inlined = self._inline(spec, field, definition, details, fetch)
        if inlined is not None:
            return inlined
        child = ToOneFetch(
            self.compilation.slot(),
            own_columns(target.table),
            key_index=fetch.columns.index(field.key),
        )
        fetch.children.append(child)
        builder = self.record(target, object_of(type_), details, child)
        child.id_index = child.columns.index("id")
        child.statement = child.columns.finish(
            by_id_statement(
                self.compilation.db, field.listing, batch_keys, child.columns.selected()
            )
        )
        key = f"r[{child.key_index}]"
        if isinstance(type_, GraphQLNonNull):
            return f"{builder}(D[{child.slot}][{key}], D)"
        return f"({builder}(x, D) if (x := D[{child.slot}].get({key})) is not None else None)"

    def _joined(
        self,
        field: ToOne,
        target: ObjectSpec,
        type_: GraphQLOutputType,
        details: Details,
        fetch: Fetch,
    ) -> str | None:
        """A to-one record read from the parent's rows (joined in), if its selection is only
        columns and the parent's statement can take a join; else None."""
        writer = self.compilation.writer
        try:
            columns = fetch.columns.join(field.listing, field.key, writer.name("J"))
            reader = Fetch(-1, columns)
            builder = self.record(target, object_of(type_), details, reader)
        except NotJoinable:
            return None
        fetch.columns.joined.append(columns)
        self.compilation.joins.append(columns)
        otherwise = "_missing()" if isinstance(type_, GraphQLNonNull) else "None"
        return f"({builder}(r, D) if {columns.ref('id')} is not None else {otherwise})"

    def _inline(
        self,
        spec: ObjectSpec,
        field: ToOne | ToMany | Paged,
        definition: GraphQLField,
        details: Details,
        fetch: Fetch,
    ) -> str | None:
        """Code reading a relation field's JSON, written by the database as a column of the
        fetch's rows (`gql.fastpath.inline`); None if the fetch or the selection cannot."""
        columns = fetch.columns
        scope = columns.scope
        if scope is None or columns.fixed:
            return None

        def build(column: ColumnOf) -> ColumnElement[Any]:
            return self.inline.field(spec, field, definition, details, column, scope)

        try:
            build(columns.table.c.__getitem__)  # raises NotInline now, not later
        except NotInline as reason:
            logger.debug("rows, not JSON, for this field: %s", reason)
            return None
        columns.index(field.key if isinstance(field, ToOne) else "id")  # read by `build`
        position = columns.inline(build)
        if isinstance(field, ToOne):  # null when there is no record
            return f"(_fragment(x) if (x := r[{position}]) is not None else None)"
        return f"_fragment(r[{position}])"

    def _static_page(
        self, definition: GraphQLField, details: Details, relation: Relation
    ) -> tuple[Any, Any, Any]:
        """A nested connection's condition, ordering and page, when its arguments are all
        written in the document (JSON columns are built once per plan)."""
        return self._static(
            definition, details, steps.nested_parts(relation, self.compilation.settings)
        )

    def _static_list_size(self, definition: GraphQLField, details: Details) -> int:
        """A plain list's size, when its `first` is written in the document."""
        return self._static(definition, details, steps.list_limit(self.compilation.settings))

    def _static(self, definition: GraphQLField, details: Details, prepare: Prepare[T]) -> T:
        """Arguments prepared when the plan is compiled; `NotInline` if they use variables."""
        if variables_used(details[0].node):
            raise NotInline("arguments from variables")
        try:
            arguments: Arguments[T] = self.compilation.arguments(definition, details, prepare)
            return arguments.get(None, self.compilation.db)
        except Exception as error:  # invalid arguments: the row path reports them
            raise NotInline(str(error)) from error
