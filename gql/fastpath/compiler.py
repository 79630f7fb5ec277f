"""Compiling an operation into a plan: the fetches it needs and the builders that write it.

The selection is collected exactly as graphql-core's executor collects it
(`collect_fields`/`collect_subfields`: fragments, inline fragments, type conditions, aliases,
merged fields, `@skip`/`@include` under this request's variables — plans are cached per value
of the variables those directives use). Each field is then looked up in `registry`: a column
becomes a row read (with the scalar's serialisation derived from the GraphQL type), a
relation becomes a fetch one level down plus a call of the builder generated for its
selection. Anything the registry does not cover — introspection, aggregates, a field declared
without a spec — raises `Unsupported`, and the whole operation goes to the general executor.

The work is split by what is compiled, each part on one shared `Compilation`:

- `root_fields`: the fields of `Query` and their root fetches;
- `record_fields`: a record's selection, and how each relation below it is read (joined,
  as JSON written by the database — `inline` —, or fetched one level down);
- `connection_fields`: a connection's nodes, edges, page info and count over a page;
- `value_fields`: columns, computed values and value objects, serialised as their type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import strawberry
from graphql import FragmentDefinitionNode
from graphql.execution.collect_fields import FragmentDetails, collect_fields
from graphql.execution.values import VariableValues
from graphql.language import DocumentNode

from gql.data.database import Database
from gql.fastpath.aggregates import SubOperation
from gql.fastpath.codegen import dict_display
from gql.fastpath.compilation import Compilation
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import Data, Fetch, NodesFetch, RootLookupFetch, RootPageFetch
from gql.fastpath.root_fields import RootFieldCompiler

__all__ = ["Plan", "PlanCompiler", "Request", "Unsupported", "fragments_of"]


@dataclass
class Plan:
    """A compiled operation: its root fetches and the function that writes its `data`, and
    the root connections' aggregates it runs through their resolvers (`gql.fastpath.aggregates`)."""

    fetches: list[Fetch]
    slots: int
    build: Callable[[Data], dict[str, Any]]
    source: str
    aggregates: list[SubOperation] = field(default_factory=list)

    @cached_property
    def solo(self) -> bool:
        """Whether the plan reads with one statement at most (worked out at its first run)."""
        if self.aggregates:
            return False
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

    async def run(
        self, db: Database, variables: VariableValues | None, request: Request
    ) -> dict[str, Any]:
        """Fetch everything the operation needs, then write the response data."""
        if self.solo:
            db.solo()
        data: Data = [None] * self.slots
        for fetch in self.fetches:
            await fetch.run(db, data, (), variables)
        for aggregates in self.aggregates:
            data[aggregates.slot] = await aggregates.run(
                request.schema, request.context, request.variables
            )
        return self.build(data)


@dataclass(frozen=True)
class Request:
    """What running a plan's aggregates needs of the request: the schema whose resolvers
    run, the request's context (its snapshot) and its variables as sent."""

    schema: strawberry.Schema
    context: Any
    variables: dict[str, Any] | None


def fragments_of(document: DocumentNode) -> dict[str, FragmentDetails]:
    """The document's fragment definitions, as `collect_fields` takes them."""
    return {
        d.name.value: FragmentDetails(d)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


class PlanCompiler(Compilation):
    """Compiles one operation (under one request's variables) into a `Plan`."""

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
        root = RootFieldCompiler(self, fetches)
        items = [
            (key, root.field(query, details))
            for key, details in collected.grouped_field_set.items()
        ]
        writer = self.writer
        entry = writer.function(writer.name("root"), "D", [f"return {dict_display(items)}"])
        writer.placeholders.update(
            (f"{joined.tag}_{i}", joined.position(i))
            for joined in self.joins
            for i in range(len(joined.names))
        )
        return Plan(
            fetches, self.slots, writer.compile(entry), writer.source, list(self.aggregates)
        )
