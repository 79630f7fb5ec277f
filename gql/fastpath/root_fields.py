"""Compiling the fields of `Query`: each becomes a root fetch and the code that writes it.

- A root connection (`registry.ROOT_CONNECTIONS`) pages through its node type's listing with
  the resolver's own filter, search, order and page arguments (`steps.root_page`). When only
  `nodes` (with `totalCount`, `__typename`) is selected, paged forwards, and SQL can write
  the whole node selection, the database writes the page's nodes as one JSON text
  (`steps.root_json`): one statement, nothing built per row.
- A lookup by slug (`registry.ROOT_BY_SLUG`), `dataset(name:)` and `datasets` read their
  records with one statement.
- `node(id:)` and `nodes(ids:)` read each kind of node asked for with one statement by key,
  and pick each ID's builder by its kind.

Any other root field (introspection, an unknown one) raises `Unsupported`.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
)

from gql.data.connections import PageRequest
from gql.data.cursors import Ordering
from gql.data.database import Database
from gql.data.listing import Listing
from gql.data.loaders import by_id_statement
from gql.fastpath import steps
from gql.fastpath.arguments import Prepare
from gql.fastpath.codegen import dict_display
from gql.fastpath.compilation import Compilation, Details, object_of
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import (
    Columns,
    Fetch,
    KindFetch,
    Lookup,
    NodesFetch,
    RootLookupFetch,
    RootPageFetch,
    batch_keys,
)
from gql.fastpath.inline import NotInline
from gql.fastpath.record_fields import RecordCompiler, own_columns
from gql.fastpath.registry import NODE_LISTINGS, OBJECT_TYPES, ROOT_BY_SLUG, ROOT_CONNECTIONS

logger = logging.getLogger("eventql.fastpath")


class RootFieldCompiler:
    """Compiles the root fields of one operation, adding their fetches to the plan's."""

    def __init__(self, compilation: Compilation, fetches: list[Fetch]) -> None:
        self.compilation = compilation
        self.fetches = fetches
        self.records = RecordCompiler(compilation)

    def field(self, query: GraphQLObjectType, details: Details) -> str:
        """The expression writing one root field's value."""
        name = details[0].node.name.value
        if name == "__typename":
            return repr(query.name)
        definition = query.fields.get(name)
        if definition is None or name.startswith("__"):
            raise Unsupported(name)
        if name in ROOT_CONNECTIONS:
            listing, node_type = ROOT_CONNECTIONS[name]
            whole = self._json_page(listing, node_type, definition, details)
            if whole is not None:
                return whole
            return self._page(listing, node_type, definition, details)
        if name in ("node", "nodes"):
            return self._nodes(name, definition, details)
        return self._lookup(name, definition, details)

    def _page(
        self, listing: Listing, node_type: str, definition: GraphQLField, details: Details
    ) -> str:
        """A root connection over a page of rows."""
        compilation = self.compilation
        page = RootPageFetch(
            compilation.slot(),
            Columns(listing.table, joins=True, scope=frozenset(), paged=True),
            step_slot=compilation.slot(),
            count_slot=compilation.slot(),
        )
        self.fetches.append(page)
        builder = self.records.connections.connection(details, definition, node_type, page)
        page.arguments = compilation.arguments(
            definition,
            details,
            steps.root_page(
                listing,
                compilation.settings,
                page.columns.selected(),
                page.columns.finish,
                page.columns.outer(),
            ),
        )
        return f"{builder}(None, D)"

    def _json_page(
        self, listing: Listing, node_type: str, definition: GraphQLField, details: Details
    ) -> str | None:
        """Code for a root connection whose page the database writes as JSON (selected: one
        `nodes`, `totalCount`, `__typename`; paged forwards), or None."""
        compilation = self.compilation
        connection = object_of(definition.type)
        subfields = compilation.subfields(connection, details)
        names = [sub[0].node.name.value for sub in subfields.values()]
        if names.count("nodes") != 1 or not set(names) <= {"nodes", "totalCount", "__typename"}:
            return None
        written = {argument.name.value for argument in details[0].node.arguments or ()}
        if written & {"last", "before"}:
            return None
        spec = OBJECT_TYPES[node_type]
        node = compilation.graphql.get_type(node_type)
        assert isinstance(node, GraphQLObjectType)
        nodes = next(sub for sub in subfields.values() if sub[0].node.name.value == "nodes")
        inline = self.records.inline
        try:
            inline.record(spec, node, nodes, listing.table.c.__getitem__, frozenset())
        except NotInline as reason:
            logger.debug("rows, not JSON, for this page: %s", reason)
            return None
        fetch = RootPageFetch(
            compilation.slot(),
            Columns(listing.table),
            step_slot=compilation.slot(),
            count_slot=compilation.slot(),
            rows_needed=True,
            json=True,
        )
        self.fetches.append(fetch)

        def statement(db: Database, page_rows: Any, ordering: Ordering, page: PageRequest) -> Any:
            return inline.page(spec, node, nodes, page_rows, ordering, page.size)

        prepare = steps.root_json(listing, compilation.settings, statement)
        fetch.arguments = compilation.arguments(definition, details, prepare)
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

    def _lookup(self, name: str, definition: GraphQLField, details: Details) -> str:
        """A record by slug, a dataset by name, or every dataset: one statement."""
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
            self.compilation.slot(),
            Columns(spec.table, fixed=True),
            self.compilation.arguments(definition, details, prepare),
        )
        self.fetches.append(lookup)
        builder = self.records.record(spec, object_of(definition.type), details, lookup)
        if name == "datasets":
            return f"[{builder}(y, D) for y in D[{lookup.slot}]]"
        return f"({builder}(x, D) if (x := D[{lookup.slot}]) is not None else None)"

    def _nodes(self, name: str, definition: GraphQLField, details: Details) -> str:
        """`node(id:)` or `nodes(ids:)`: a builder per kind of node, chosen by each ID."""
        compilation = self.compilation
        interface = definition.type
        while isinstance(interface, GraphQLNonNull | GraphQLList):
            interface = interface.of_type
        if not isinstance(interface, GraphQLInterfaceType):
            raise Unsupported(name)
        single = name == "node"
        prepare = steps.node_id if single else steps.node_ids(compilation.settings)
        fetch = NodesFetch(
            compilation.slot(),
            Columns(NODE_LISTINGS["Event"].table),  # unused: each kind has its own
            compilation.arguments(definition, details, prepare),
            kinds={},
            single=single,
        )
        self.fetches.append(fetch)
        builders: list[tuple[str, str]] = []
        for type_ in compilation.graphql.get_possible_types(interface):
            listing = NODE_LISTINGS.get(type_.name)
            if listing is None:
                raise Unsupported(type_.name)
            kind = KindFetch(compilation.slot(), own_columns(listing.table))
            fetch.kinds[type_.name] = kind
            builder = self.records.record(OBJECT_TYPES[type_.name], type_, details, kind)
            kind.id_index = kind.columns.index("id")
            kind.statement = kind.columns.finish(
                by_id_statement(compilation.db, listing, batch_keys, kind.columns.selected())
            )
            builders.append((type_.name, builder))
        by_kind = "{" + ", ".join(f"{kind!r}: {builder}" for kind, builder in builders) + "}"
        table = compilation.writer.assign(compilation.writer.name("NB"), by_kind)
        if single:
            return f"_abstract(D[{fetch.slot}], {table}, D)"
        return f"[_abstract(v, {table}, D) for v in D[{fetch.slot}]]"
