"""What the parts of the plan compiler share while they compile one operation.

A `Compilation` holds the operation, its fragments and this request's variables, the
`CodeWriter` every builder is written into, the data slots handed out so far and the joined
columns whose positions are known only at the end. It collects a field's selection exactly as
graphql-core's executor does (`collect_subfields`: fragments, inline fragments, type
conditions, aliases, merged fields, `@skip`/`@include`) and prepares a field's arguments with
the resolvers' own functions (`gql.fastpath.arguments`).

`Unsupported` is the fast path's refusal: any part of the operation it does not answer raises
it, and the whole operation goes to the general executor.
"""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_subfields
from graphql.execution.values import VariableValues

from gql.data.database import Database
from gql.fastpath.aggregates import SubOperation
from gql.fastpath.arguments import Arguments, Prepare
from gql.fastpath.codegen import CodeWriter
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import JoinedColumns
from gql.fastpath.registry import object_type
from gql.settings import Settings
from gql.types.node import encode_id

#: The merged occurrences of one field in the selection (aliases, fragments).
Details = list[FieldDetails]


def object_of(type_: GraphQLOutputType) -> GraphQLObjectType:
    """The object type inside list and non-null wrappers; `Unsupported` for any other type."""
    found = object_type(type_)
    if found is None:
        raise Unsupported(f"{type_} is not an object type")
    return found


class Compilation:
    """One operation (under one request's variables) being compiled into a plan."""

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
        #: How many data slots the plan's fetches fill.
        self.slots = 0
        #: Joined columns, whose positions in their parent's rows are placeholders till the end.
        self.joins: list[JoinedColumns] = []
        #: Root connections' aggregates, run through their resolvers (`gql.fastpath.aggregates`).
        self.aggregates: list[SubOperation] = []

    def slot(self) -> int:
        """A new data slot, for one fetch's rows (or its step, or its counts)."""
        self.slots += 1
        return self.slots - 1

    def subfields(self, type_: GraphQLObjectType, details: Details) -> dict[str, Details]:
        """The selection of a field of type `type_`, by response key."""
        collected = collect_subfields(
            self.graphql, self.fragments, self.variables, self.operation, type_, details
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def arguments(
        self, definition: GraphQLField, details: Details, prepare: Prepare[Any]
    ) -> Arguments[Any]:
        """The field's arguments, made ready by `prepare` (now, or per request's variables)."""
        return Arguments(self.schema, definition, details[0].node, prepare, self.db)
