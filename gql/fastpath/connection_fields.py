"""Compiling a connection's selection over the page its fetch reads.

A connection field — root or nested — becomes one builder function of the parent's key: it
takes the page's step (ordering, page request) from its data slot, cuts the fetched rows to
the page's window (`_window`: the extra row read only says there is more), and writes the
selected `nodes`, `edges` (node and cursor), `pageInfo` and `totalCount`. Rows are fetched
only if something on the page is selected, the count only if `totalCount` is. The nodes
themselves are written by the record builders (`gql.fastpath.record_fields`), passed in as
`RecordBuilder` so that the two can call each other without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import FieldNode, GraphQLField, GraphQLObjectType

from gql.fastpath.aggregates import SubOperation
from gql.fastpath.codegen import dict_display
from gql.fastpath.compilation import Compilation, Details, object_of
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import Fetch, PageFetch, RootPageFetch
from gql.fastpath.registry import OBJECT_TYPES, ObjectSpec

#: Compiles a record's selection read from a fetch's rows: the name of its builder.
RecordBuilder = Callable[[ObjectSpec, GraphQLObjectType, Details, Fetch], str]


class ConnectionCompiler:
    """Writes the builders of connection fields into one compilation."""

    def __init__(self, compilation: Compilation, record: RecordBuilder) -> None:
        self.compilation = compilation
        self.record = record

    def connection(
        self,
        details: Details,
        definition: GraphQLField,
        node_type: str,
        fetch: PageFetch | RootPageFetch,
    ) -> str:
        """The builder of a connection over `fetch`'s page (called with the parent's key, or
        None at the root); it marks what the fetch must read."""
        connection = object_of(definition.type)
        spec = OBJECT_TYPES[node_type]
        node = self.compilation.graphql.get_type(node_type)
        assert isinstance(node, GraphQLObjectType)
        nested = isinstance(fetch, PageFetch)
        rows = f"D[{fetch.slot}].get(key, ())" if nested else f"D[{fetch.slot}]"
        total = f"D[{fetch.count_slot}].get(key, 0)" if nested else f"D[{fetch.count_slot}]"
        items: list[tuple[str, str]] = []
        aggregates: list[FieldNode] = []
        aggregates_slot = -1
        for key, sub in self.compilation.subfields(connection, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                items.append((key, repr(connection.name)))
            elif name == "aggregates" and not nested:
                if not aggregates:
                    aggregates_slot = self.compilation.slot()
                aggregates.extend(occurrence.node for occurrence in sub)
                items.append((key, f"D[{aggregates_slot}][{key!r}]"))
            elif name == "nodes":
                fetch.rows_needed = True
                builder = self.record(spec, node, sub, fetch)
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
        if aggregates:
            self._aggregates(aggregates_slot, details, aggregates)
        body = [f"step = D[{fetch.step_slot}]"]
        if fetch.rows_needed:
            body.append(f"w, more_after, more_before = _window({rows}, step)")
        body.append(f"return {dict_display(items)}")
        writer = self.compilation.writer
        return writer.function(writer.name("c"), "key, D", body)

    def _aggregates(self, slot: int, details: Details, selected: list[FieldNode]) -> None:
        """Answer a root connection's aggregates by their resolvers, into data slot `slot`."""
        compilation = self.compilation
        fragments = [found.definition for found in compilation.fragments.values()]
        compilation.aggregates.append(
            SubOperation.of(slot, compilation.operation, fragments, details[0].node, selected)
        )

    def _edges(
        self,
        connection: GraphQLObjectType,
        details: Details,
        spec: ObjectSpec,
        node: GraphQLObjectType,
        fetch: Fetch,
    ) -> str:
        edge = object_of(connection.fields["edges"].type)
        items: list[tuple[str, str]] = []
        for key, sub in self.compilation.subfields(edge, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                items.append((key, repr(edge.name)))
            elif name == "cursor":
                items.append((key, "_cursor(step, x)"))
            elif name == "node":
                items.append((key, f"{self.record(spec, node, sub, fetch)}(x, D)"))
            else:
                raise Unsupported(f"{edge.name}.{name}")
        return f"[{dict_display(items)} for x in w]"

    def _page_info(self, connection: GraphQLObjectType, details: Details) -> str:
        info = object_of(connection.fields["pageInfo"].type)
        values = {
            "__typename": repr(info.name),
            "hasNextPage": "more_after",
            "hasPreviousPage": "more_before",
            "startCursor": "_first_cursor(step, w)",
            "endCursor": "_last_cursor(step, w)",
        }
        items = []
        for key, sub in self.compilation.subfields(info, details).items():
            name = sub[0].node.name.value
            if name not in values:
                raise Unsupported(f"PageInfo.{name}")
            items.append((key, values[name]))
        return dict_display(items)
