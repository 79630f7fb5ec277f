"""Compiling an operation into a plan: the fetches it needs and the builders that write it.

The selection is collected exactly as graphql-core's executor collects it
(`collect_fields`/`collect_subfields`: fragments, inline fragments, type conditions, aliases,
merged fields, `@skip`/`@include` under this request's variables — plans are cached per value
of the variables those directives use). Each field is then looked up in `registry`: a column
becomes a row read (with the scalar's serialisation derived from the GraphQL type), a
relation becomes a fetch one level down plus a call of the builder generated for its
selection. Anything the registry does not cover — introspection, aggregates, a field declared
without a spec — raises `Unsupported`, and the whole operation goes to the general executor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson
import strawberry
from graphql import (
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues
from graphql.language import DocumentNode
from sqlalchemy import Table
from sqlalchemy.sql.elements import ColumnElement

from gql.connections import PageRequest
from gql.cursors import Ordering
from gql.database import Database
from gql.fastpath import steps
from gql.fastpath.arguments import Arguments, Prepare, variables_used
from gql.fastpath.codegen import CodeWriter, dict_display
from gql.fastpath.fetch import (
    ColumnOf,
    Columns,
    Data,
    Fetch,
    JoinedColumns,
    KindFetch,
    ListFetch,
    Lookup,
    NodesFetch,
    NotJoinable,
    PageFetch,
    RootLookupFetch,
    RootPageFetch,
    ToOneFetch,
    batch_keys,
)
from gql.fastpath.inline import InlineCompiler, NotInline
from gql.fastpath.registry import (
    NODE_LISTINGS,
    OBJECT_TYPES,
    ROOT_BY_SLUG,
    ROOT_CONNECTIONS,
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
from gql.listing import Listing, Relation
from gql.loaders import by_id_statement
from gql.node import encode_id
from gql.settings import Settings

logger = logging.getLogger("eventql.fastpath")
Details = list[FieldDetails]
#: Scalars whose values the database already gives in the form orjson writes as GraphQL would
#: (dates as YYYY-MM-DD, JSON as is); the others are checked on the way out.
_AS_IS = {"String", "ID", "Date", "JSON"}
_CHECKED = {"Int": "_int", "Float": "_float", "Boolean": "_boolean"}


class Unsupported(Exception):
    """A part of the operation the fast path does not answer."""


@dataclass
class Plan:
    """A compiled operation: its root fetches and the function that writes its `data`."""

    fetches: list[Fetch]
    slots: int
    build: Callable[[Data], dict[str, Any]]
    source: str

    @cached_property
    def solo(self) -> bool:
        """Whether the plan reads with one statement at most (worked out at its first run)."""
        if not self.fetches:
            return True
        if len(self.fetches) > 1 or self.fetches[0].children:
            return False
        fetch = self.fetches[0]
        if isinstance(fetch, RootPageFetch):
            return not (fetch.rows_needed and fetch.count_needed)
        if isinstance(fetch, NodesFetch):
            return fetch.single and not any(kind.children for kind in fetch.kinds.values())
        return isinstance(fetch, RootLookupFetch)

    async def run(self, db: Database, variables: VariableValues | None) -> dict[str, Any]:
        """Fetch everything the operation needs, then write the response data."""
        if self.solo:
            db.solo()
        data: Data = [None] * self.slots
        for fetch in self.fetches:
            await fetch.run(db, data, (), variables)
        return self.build(data)


def fragments_of(document: DocumentNode) -> dict[str, FragmentDetails]:
    """The document's fragment definitions, as `collect_fields` takes them."""
    return {
        d.name.value: FragmentDetails(d)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


def _object(type_: GraphQLOutputType) -> GraphQLObjectType:
    found = object_type(type_)
    if found is None:
        raise Unsupported(f"{type_} is not an object type")
    return found


class PlanCompiler:
    """Compiles one operation (under one request's variables) into a `Plan`."""

    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        db: Database,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.graphql = schema._schema
        self.settings = settings
        self.db = db
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.writer = CodeWriter()
        self.writer.namespace["_id"] = encode_id
        self.writer.namespace["_fragment"] = orjson.Fragment
        self.slots = 0
        self.joins: list[JoinedColumns] = []
        self.inline = InlineCompiler(
            db.dialect, self._subfields, self._static_page, self._static_list_size
        )

    def compile(self) -> Plan:
        """The plan; raises `Unsupported` for operations the fast path does not answer."""
        query = self.graphql.query_type
        if query is None:
            raise Unsupported("no query type")
        collected = collect_fields(
            self.graphql, self.fragments, self.variables, query, self.operation
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        fetches: list[Fetch] = []
        items = [
            (key, self._root_field(query, details, fetches))
            for key, details in collected.grouped_field_set.items()
        ]
        entry = self.writer.function(
            self.writer.name("root"), "D", [f"return {dict_display(items)}"]
        )
        positions = {
            f"{joined.tag}_{i}": joined.position(i)
            for joined in self.joins
            for i in range(len(joined.names))
        }
        self.writer.placeholders.update(positions)
        build = self.writer.compile(entry)
        return Plan(fetches, self.slots, build, self.writer.source)

    def _slot(self) -> int:
        self.slots += 1
        return self.slots - 1

    def _subfields(self, type_: GraphQLObjectType, details: Details) -> dict[str, Details]:
        collected = collect_subfields(
            self.graphql, self.fragments, self.variables, self.operation, type_, details
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def _arguments(
        self, definition: GraphQLField, details: Details, prepare: Prepare[Any]
    ) -> Arguments[Any]:
        return Arguments(self.schema, definition, details[0].node, prepare, self.db)

    # --- the root type ---------------------------------------------------------------------

    def _root_field(self, query: GraphQLObjectType, details: Details, fetches: list[Fetch]) -> str:
        name = details[0].node.name.value
        if name == "__typename":
            return repr(query.name)
        definition = query.fields.get(name)
        if definition is None or name.startswith("__"):
            raise Unsupported(name)
        if name in ROOT_CONNECTIONS:
            listing, node_type = ROOT_CONNECTIONS[name]
            whole = self._root_json(listing, node_type, definition, details, fetches)
            if whole is not None:
                return whole
            page = RootPageFetch(
                self._slot(),
                Columns(listing.table, joins=True, scope=frozenset(), paged=True),
                step_slot=self._slot(),
                count_slot=self._slot(),
            )
            fetches.append(page)
            builder = self._connection(details, definition, node_type, page, page.step_slot)
            page.arguments = self._arguments(
                definition,
                details,
                steps.root_page(
                    listing,
                    self.settings,
                    page.columns.selected(),
                    page.columns.finish,
                    page.columns.outer(),
                ),
            )
            return f"{builder}(None, D)"
        if name in ("node", "nodes"):
            return self._nodes(name, definition, details, fetches)
        prepare: Prepare[Lookup]
        if name in ROOT_BY_SLUG:
            listing, type_name = ROOT_BY_SLUG[name]
            prepare = steps.by_slug(listing)
        elif name == "dataset":
            type_name, prepare = "Dataset", steps.dataset_by_name
        elif name == "datasets":
            type_name, prepare = "Dataset", steps.all_datasets
        else:
            raise Unsupported(name)
        spec = OBJECT_TYPES[type_name]
        lookup = RootLookupFetch(
            self._slot(),
            Columns(spec.table, fixed=True),
            self._arguments(definition, details, prepare),
        )
        fetches.append(lookup)
        builder = self._object(spec, _object(definition.type), details, lookup)
        if name == "datasets":
            return f"[{builder}(y, D) for y in D[{lookup.slot}]]"
        return f"({builder}(x, D) if (x := D[{lookup.slot}]) is not None else None)"

    def _root_json(
        self,
        listing: Listing,
        node_type: str,
        definition: GraphQLField,
        details: Details,
        fetches: list[Fetch],
    ) -> str | None:
        """Code for a root connection whose page the database writes as JSON (selected: one
        `nodes`, `totalCount`, `__typename`; paged forwards), or None."""
        connection = _object(definition.type)
        subfields = self._subfields(connection, details)
        names = [sub[0].node.name.value for sub in subfields.values()]
        if names.count("nodes") != 1 or not set(names) <= {"nodes", "totalCount", "__typename"}:
            return None
        written = {argument.name.value for argument in details[0].node.arguments or ()}
        if written & {"last", "before"}:
            return None
        spec = OBJECT_TYPES[node_type]
        node = self.graphql.get_type(node_type)
        assert isinstance(node, GraphQLObjectType)
        nodes = next(sub for sub in subfields.values() if sub[0].node.name.value == "nodes")
        try:
            self.inline.record(spec, node, nodes, listing.table.c.__getitem__, frozenset())
        except NotInline as reason:
            logger.debug("rows, not JSON, for this page: %s", reason)
            return None
        fetch = RootPageFetch(
            self._slot(),
            Columns(listing.table),
            step_slot=self._slot(),
            count_slot=self._slot(),
            rows_needed=True,
            json=True,
        )
        fetches.append(fetch)

        def statement(db: Database, page_rows: Any, ordering: Ordering, page: PageRequest) -> Any:
            return self.inline.page(spec, node, nodes, page_rows, ordering, page.size)

        prepare = steps.root_json(listing, self.settings, statement)
        fetch.arguments = self._arguments(definition, details, prepare)
        items: list[tuple[str, str]] = []
        for key, sub in subfields.items():
            name = sub[0].node.name.value
            if name == "nodes":
                items.append((key, f"_fragment(D[{fetch.slot}])"))
            elif name == "totalCount":
                fetch.count_needed = True
                items.append((key, f"D[{fetch.count_slot}]"))
            else:
                items.append((key, repr(connection.name)))
        return dict_display(items)

    def _nodes(
        self, name: str, definition: GraphQLField, details: Details, fetches: list[Fetch]
    ) -> str:
        interface = definition.type
        while isinstance(interface, GraphQLNonNull | GraphQLList):
            interface = interface.of_type
        if not isinstance(interface, GraphQLInterfaceType):
            raise Unsupported(name)
        single = name == "node"
        prepare = steps.node_id if single else steps.node_ids(self.settings)
        fetch = NodesFetch(
            self._slot(),
            Columns(NODE_LISTINGS["Event"].table),  # unused: each kind has its own
            self._arguments(definition, details, prepare),
            kinds={},
            single=single,
        )
        fetches.append(fetch)
        builders: list[tuple[str, str]] = []
        for type_ in self.graphql.get_possible_types(interface):
            listing = NODE_LISTINGS.get(type_.name)
            if listing is None:
                raise Unsupported(type_.name)
            kind = KindFetch(self._slot(), _own_columns(listing.table))
            fetch.kinds[type_.name] = kind
            builder = self._object(OBJECT_TYPES[type_.name], type_, details, kind)
            kind.id_index = kind.columns.index("id")
            kind.statement = kind.columns.finish(
                by_id_statement(self.db, listing, batch_keys, kind.columns.selected())
            )
            builders.append((type_.name, builder))
        table = self.writer.assign(self.writer.name("NB"), _names(builders))
        if single:
            return f"_abstract(D[{fetch.slot}], {table}, D)"
        return f"[_abstract(v, {table}, D) for v in D[{fetch.slot}]]"

    # --- connections -----------------------------------------------------------------------

    def _connection(
        self,
        details: Details,
        definition: GraphQLField,
        node_type: str,
        fetch: PageFetch | RootPageFetch,
        step_slot: int,
    ) -> str:
        connection = _object(definition.type)
        spec = OBJECT_TYPES[node_type]
        node = self.graphql.get_type(node_type)
        assert isinstance(node, GraphQLObjectType)
        nested = isinstance(fetch, PageFetch)
        rows = f"D[{fetch.slot}].get(key, ())" if nested else f"D[{fetch.slot}]"
        total = f"D[{fetch.count_slot}].get(key, 0)" if nested else f"D[{fetch.count_slot}]"
        items: list[tuple[str, str]] = []
        for key, sub in self._subfields(connection, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                items.append((key, repr(connection.name)))
            elif name == "nodes":
                fetch.rows_needed = True
                builder = self._object(spec, node, sub, fetch)
                items.append((key, f"[{builder}(x, D) for x in w]"))
            elif name == "edges":
                fetch.rows_needed = True
                items.append((key, self._edges(connection, sub, spec, node, fetch)))
            elif name == "pageInfo":
                fetch.rows_needed = True
                items.append((key, self._page_info(connection, sub)))
            elif name == "totalCount":
                fetch.count_needed = True
                items.append((key, total))
            else:
                raise Unsupported(f"{connection.name}.{name}")
        body = [f"step = D[{step_slot}]"]
        if fetch.rows_needed:
            body.append(f"w, more_after, more_before = _window({rows}, step)")
        body.append(f"return {dict_display(items)}")
        return self.writer.function(self.writer.name("c"), "key, D", body)

    def _edges(
        self,
        connection: GraphQLObjectType,
        details: Details,
        spec: ObjectSpec,
        node: GraphQLObjectType,
        fetch: Fetch,
    ) -> str:
        edge = _object(connection.fields["edges"].type)
        items: list[tuple[str, str]] = []
        for key, sub in self._subfields(edge, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                items.append((key, repr(edge.name)))
            elif name == "cursor":
                items.append((key, "_cursor(step, x)"))
            elif name == "node":
                items.append((key, f"{self._object(spec, node, sub, fetch)}(x, D)"))
            else:
                raise Unsupported(f"{edge.name}.{name}")
        return f"[{dict_display(items)} for x in w]"

    def _page_info(self, connection: GraphQLObjectType, details: Details) -> str:
        info = _object(connection.fields["pageInfo"].type)
        values = {
            "__typename": repr(info.name),
            "hasNextPage": "more_after",
            "hasPreviousPage": "more_before",
            "startCursor": "_first_cursor(step, w)",
            "endCursor": "_last_cursor(step, w)",
        }
        items = []
        for key, sub in self._subfields(info, details).items():
            name = sub[0].node.name.value
            if name not in values:
                raise Unsupported(f"PageInfo.{name}")
            items.append((key, values[name]))
        return dict_display(items)

    # --- records ---------------------------------------------------------------------------

    def _object(
        self, spec: ObjectSpec, type_: GraphQLObjectType, details: Details, fetch: Fetch
    ) -> str:
        if spec.name != type_.name:
            raise Unsupported(f"{type_.name} is not {spec.name}")
        items = [
            (key, self._field(spec, type_, sub, fetch))
            for key, sub in self._subfields(type_, details).items()
        ]
        return self.writer.function(
            self.writer.name("o"), "r, D", [f"return {dict_display(items)}"]
        )

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
            return self._value(spec, fetch.columns, field, definition.type)
        if isinstance(field, GlobalId):
            return f"_id({field.kind!r}, {fetch.columns.ref('id')})"
        if isinstance(field, Embedded):
            return self._embedded(spec, fetch.columns, field, definition.type, details)
        if isinstance(field, ToOne):
            return self._to_one(spec, field, definition, details, fetch)
        if isinstance(field, ToMany):
            target = OBJECT_TYPES[_object(definition.type).name]
            if target.table is not field.relation.listing.table:
                raise Unsupported(f"{type_.name}.{name}")
            inlined = self._inline(spec, field, definition, details, fetch)
            if inlined is not None:
                return inlined
            key = fetch.columns.index("id")
            # JSON columns are computed for the kept rows only, read from the cut statement
            # as a subquery (as a page's are): no table of the relation is in scope there.
            child = ListFetch(
                self._slot(),
                Columns(target.table, joins=True, scope=frozenset(), paged=True),
                key_index=key,
            )
            fetch.children.append(child)
            builder = self._object(target, _object(definition.type), details, child)
            selected = child.columns.selected()
            child.group_index = len(selected)
            statement = steps.related_list(
                field.relation,
                self.settings,
                selected,
                child.columns.finish,
                child.columns.outer(),
            )
            child.arguments = self._arguments(definition, details, statement)
            return f"[{builder}(y, D) for y in D[{child.slot}].get(r[{key}], ())]"
        assert isinstance(field, Paged)
        inlined = self._inline(spec, field, definition, details, fetch)
        if inlined is not None:
            return inlined
        key = fetch.columns.index("id")
        page = PageFetch(
            self._slot(),
            Columns(field.relation.listing.table, scope=frozenset(), paged=True),
            key_index=key,
            step_slot=self._slot(),
            count_slot=self._slot(),
        )
        fetch.children.append(page)
        node_type = _object(_object(definition.type).fields["nodes"].type).name
        builder = self._connection(details, definition, node_type, page, page.step_slot)
        prepare = steps.nested_page(
            field.relation, self.settings, page.columns.selected(), page.columns.outer()
        )
        page.arguments = self._arguments(definition, details, prepare)
        return f"{builder}(r[{key}], D)"

    def _to_one(
        self,
        spec: ObjectSpec,
        field: ToOne,
        definition: GraphQLField,
        details: Details,
        fetch: Fetch,
    ) -> str:
        type_ = definition.type
        target = OBJECT_TYPES[_object(type_).name]
        joined = self._joined(spec, field, target, type_, details, fetch)
        if joined is not None:
            return joined
        inlined = self._inline(spec, field, definition, details, fetch)
        if inlined is not None:
            return inlined
        child = ToOneFetch(
            self._slot(),
            _own_columns(target.table),
            key_index=fetch.columns.index(field.key),
        )
        fetch.children.append(child)
        builder = self._object(target, _object(type_), details, child)
        child.id_index = child.columns.index("id")
        child.statement = child.columns.finish(
            by_id_statement(self.db, field.listing, batch_keys, child.columns.selected())
        )
        key = f"r[{child.key_index}]"
        if isinstance(type_, GraphQLNonNull):
            return f"{builder}(D[{child.slot}][{key}], D)"
        return f"({builder}(x, D) if (x := D[{child.slot}].get({key})) is not None else None)"

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
        if variables_used(details[0].node):
            raise NotInline("arguments from variables")
        prepare = steps.nested_parts(relation, self.settings)
        try:
            parts: tuple[Any, Any, Any] = self._arguments(definition, details, prepare).get(
                None, self.db
            )
        except Exception as error:  # invalid arguments: the row path reports them
            raise NotInline(str(error)) from error
        return parts

    def _static_list_size(self, definition: GraphQLField, details: Details) -> int:
        """A plain list's size, when its `first` is written in the document."""
        if variables_used(details[0].node):
            raise NotInline("arguments from variables")
        try:
            size: int = self._arguments(definition, details, steps.list_limit(self.settings)).get(
                None, self.db
            )
        except Exception as error:  # invalid arguments: the row path reports them
            raise NotInline(str(error)) from error
        return size

    def _joined(
        self,
        spec: ObjectSpec,
        field: ToOne,
        target: ObjectSpec,
        type_: GraphQLOutputType,
        details: Details,
        fetch: Fetch,
    ) -> str | None:
        """A to-one record read from the parent's rows (joined in), if its selection is only
        columns and the parent's statement can take a join; else None."""
        try:
            columns = fetch.columns.join(field.listing, field.key, self.writer.name("J"))
            reader = Fetch(-1, columns)
            builder = self._object(target, _object(type_), details, reader)
        except NotJoinable:
            return None
        fetch.columns.joined.append(columns)
        self.joins.append(columns)
        otherwise = "_missing()" if isinstance(type_, GraphQLNonNull) else "None"
        return f"({builder}(r, D) if {columns.ref('id')} is not None else {otherwise})"

    def _embedded(
        self,
        spec: ObjectSpec,
        columns: Columns,
        field: Embedded,
        type_: GraphQLOutputType,
        details: Details,
    ) -> str:
        value_type = _object(type_)
        items: list[tuple[str, str]] = []
        for key, sub in self._subfields(value_type, details).items():
            name = sub[0].node.name.value
            part = field.fields.get(name)
            if name == "__typename":
                items.append((key, repr(value_type.name)))
            elif part is None:
                raise Unsupported(f"{value_type.name}.{name}")
            else:
                items.append((key, self._value(spec, columns, part, value_type.fields[name].type)))
        present = self._call(columns, field.present)
        otherwise = "_missing()" if isinstance(type_, GraphQLNonNull) else "None"
        return f"({dict_display(items)} if {present} else {otherwise})"

    def _call(self, columns: Columns, computed: Computed) -> str:
        function = self.writer.constant(computed.function, "F")
        arguments = ", ".join(columns.ref(column) for column in computed.columns)
        return f"{function}({arguments})"

    def _value(
        self,
        spec: ObjectSpec,
        columns: Columns,
        field: Column | Computed,
        type_: GraphQLOutputType,
    ) -> str:
        if isinstance(field, Column):
            expression = columns.ref(field.name)
            maybe_null = bool(spec.table.c[field.name].nullable)
            return self._serialise(expression, type_, maybe_null, typed=True)
        return self._serialise(self._call(columns, field), type_, True, typed=False)

    def _serialise(
        self, expression: str, type_: GraphQLOutputType, maybe_null: bool, *, typed: bool
    ) -> str:
        """The expression serialised as `type_`; `typed`: the column's type guarantees the
        Python type (a text column gives `str`), so it needs no check."""
        inner, non_null = unwrap(type_)
        if isinstance(inner, GraphQLList):
            if not non_null:
                raise Unsupported("nullable list of scalars")
            item = self._serialise("v", inner.of_type, True, typed=False)
            return f"[{item} for v in _non_null({expression})]"
        if isinstance(inner, GraphQLEnumType):
            names: dict[Any, str | None] = {v.value: n for n, v in inner.values.items()}
            if not non_null:
                names[None] = None
            # An unknown stored value is a KeyError: the general executor reports it.
            return f"{self.writer.constant(names, 'E')}[{expression}]"
        if not isinstance(inner, GraphQLScalarType):
            raise Unsupported(str(inner))
        if inner.name in _CHECKED:
            value = f"{_CHECKED[inner.name]}({expression})"
        elif inner.name == "String" and not typed:
            value = f"_string({expression})"
        elif inner.name in _AS_IS:
            value = expression
        else:
            raise Unsupported(f"scalar {inner.name}")
        return f"_non_null({value})" if non_null and maybe_null else value


def _own_columns(table: Table) -> Columns:
    """Columns of a fetch by primary key: its statement reads `table` alone."""
    return Columns(table, joins=True, scope=frozenset({table}))


def _names(builders: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{kind!r}: {builder}" for kind, builder in builders) + "}"
