"""A root connection's `aggregates`, answered within a fast-path plan.

Aggregates are a handful of grouped rows each (counts, buckets, totals), computed by one SQL
statement per aggregate field (`gql.data.grouping`, `gql.data.grouped`); what the fast path
saves on large lists — building thousands of objects and resolving each field — it cannot
save here. So a plan does not compile them again: it runs the very resolvers of the general
executor for the `aggregates` selection, through graphql-core, as one sub-operation per root
connection (`query { r: events(<the same arguments>) { <the aggregates fields> } }`, with the
operation's variables and fragments), in the request's own snapshot and context. The rest of
the operation — the connection's page, other root fields — stays compiled, so a dashboard of
lists and a chart is answered by the fast path as a whole.

Anything the sub-operation reports as an error (a limit, a bad grouping) makes the fast path
decline (`Unservable`): the general executor then answers the whole operation, with the
GraphQL errors and partial data the spec asks for, exactly as it would have anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import graphql
import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from gql.fastpath.declines import Unservable

#: The alias of the root field in a sub-operation.
_ROOT = "r"


@dataclass
class SubOperation:
    """One root connection's aggregates: the document to run and the slot for its answer."""

    slot: int
    document: DocumentNode

    @classmethod
    def of(
        cls,
        slot: int,
        operation: OperationDefinitionNode,
        fragments: list[Any],
        root: FieldNode,
        selected: list[FieldNode],
    ) -> SubOperation:
        """The sub-operation of `root` (a root connection's field node) selecting only
        `selected` (its `aggregates` field nodes, aliases kept)."""
        field = replace(
            root,
            alias=NameNode(value=_ROOT),
            directives=(),
            selection_set=SelectionSetNode(selections=tuple(selected)),
        )
        query = OperationDefinitionNode(
            operation=OperationType.QUERY,
            variable_definitions=operation.variable_definitions,
            directives=(),
            selection_set=SelectionSetNode(selections=(field,)),
        )
        return cls(slot, DocumentNode(definitions=(query, *fragments)))

    async def run(
        self, schema: strawberry.Schema, context: Any, variables: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The connection's aggregates by response key; `Unservable` on any error."""
        result = graphql.execute(
            schema._schema,
            self.document,
            context_value=context,
            variable_values=variables,
            executor_class=schema.execution_context_class,
        )
        if not isinstance(result, graphql.ExecutionResult):
            result = await result
        assert isinstance(result, graphql.ExecutionResult)
        if result.errors or result.data is None:
            # The general executor words these errors, for the whole operation.
            raise Unservable(f"aggregates: {result.errors}")
        answer: dict[str, Any] = result.data[_ROOT]
        return answer
