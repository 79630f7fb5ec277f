"""A field's arguments, coerced exactly as the general executor coerces them, prepared once.

Arguments are read by graphql-core (`get_argument_values`, with the request's coerced
variables) and converted by Strawberry (`convert_arguments`) into the very input objects the
resolvers of `gql.query` and `gql.types` receive. `prepare` then turns them into what a plan
runs — a filter compiled to SQL, a page request, statements — with the same functions those
resolvers call. Arguments written in the document are prepared when the plan is compiled;
arguments that use variables are prepared per request and kept (a small LRU per field, keyed
by the values of the variables the field uses), so repeating a request with the same
variables builds no SQL at all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from graphql import (
    FieldNode,
    GraphQLField,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
    get_argument_values,
)
from graphql.execution.values import VariableValues
from strawberry.types.arguments import convert_arguments

from gql.database import Database

T = TypeVar("T")
Prepare = Callable[[dict[str, Any], Database], T]
_PER_FIELD = 64


def value_variables(value: ValueNode, found: list[str] | None = None) -> list[str]:
    """The names of the variables an argument value uses (in lists and objects too)."""
    found = [] if found is None else found
    if isinstance(value, VariableNode):
        found.append(value.name.value)
    elif isinstance(value, ListValueNode):
        for item in value.values:
            value_variables(item, found)
    elif isinstance(value, ObjectValueNode):
        for member in value.fields:
            value_variables(member.value, found)
    return found


def variables_used(node: FieldNode) -> tuple[str, ...]:
    """The names of the variables a field's arguments use, in order, once each."""
    found: list[str] = []
    for argument in node.arguments or ():
        value_variables(argument.value, found)
    return tuple(dict.fromkeys(found))


class Arguments(Generic[T]):
    """One field's prepared arguments: computed once, or per distinct variable values."""

    def __init__(
        self,
        schema: strawberry.Schema,
        definition: GraphQLField,
        node: FieldNode,
        prepare: Prepare[T],
        db: Database,
    ) -> None:
        self.schema = schema
        self.definition = definition
        self.node = node
        self.prepare = prepare
        self.names = variables_used(node)
        self._static: T | None = None
        self._cache: OrderedDict[bytes, T] = OrderedDict()
        if not self.names:
            # Raises for arguments that can never run (a page over the limit, a bad filter):
            # then the operation is left to the general executor, which reports the error.
            self._static = prepare(self._convert(None), db)

    def _convert(self, variables: VariableValues | None) -> dict[str, Any]:
        raw = get_argument_values(self.definition, self.node, variables)
        strawberry_field = self.definition.extensions["strawberry-definition"]
        return convert_arguments(
            raw,
            strawberry_field.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )

    def get(self, variables: VariableValues | None, db: Database) -> T:
        """The prepared arguments for this request's variables."""
        if not self.names:
            return self._static  # type: ignore[return-value]
        coerced = variables.coerced if variables is not None else {}
        try:
            key = orjson.dumps([[name, name in coerced, coerced.get(name)] for name in self.names])
        except TypeError:  # a value orjson cannot write: prepare it afresh every time
            return self.prepare(self._convert(variables), db)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        prepared = self.prepare(self._convert(variables), db)
        self._cache[key] = prepared
        if len(self._cache) > _PER_FIELD:
            self._cache.popitem(last=False)
        return prepared
