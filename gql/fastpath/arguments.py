"""A field's arguments, coerced exactly as the general executor coerces them, prepared once.

Arguments are read by graphql-core (`get_argument_values`, with the request's coerced
variables) and converted by Strawberry (`convert_arguments`) into the very input objects the
resolvers of `gql.types.query` and `gql.types` receive. `prepare` then turns them into what a plan
runs — a filter compiled to SQL, a page request, statements — with the same functions those
resolvers call. Arguments written in the document are prepared when the plan is compiled.

Arguments that use variables are prepared once per request and per distinct values
(`RequestArguments`): however many fields use one variable (50 aliases filtering by the same
`$filter`), Strawberry converts its value once, and each field prepares its statements from
that one conversion. Prepared arguments are also kept across requests in the app's
`BoundedCache` when the values they depend on are short (an ID, a type, a page size: the
repeated requests that matter), so repeating a request with the same variables builds no SQL
at all. Long values (a filter of hundreds of conditions) are rarely sent twice and their SQL
is large: they are prepared per request only, and cannot push everything else out of the
cache. A prepared argument is estimated at `PREPARED_BYTES` (statements measured with
tracemalloc: 5-130 KB) plus 100 bytes per byte of the values' JSON (measured: 70-250).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
    print_ast,
)
from graphql.execution.values import VariableValues
from strawberry.types.arguments import convert_arguments

from gql.data.database import Database
from gql.execution.bounded_cache import BoundedCache

T = TypeVar("T")
Prepare = Callable[[dict[str, Any], Database], T]

#: Longest JSON of variable values whose prepared arguments are kept across requests.
KEPT_VALUES_BYTES = 2048
#: Estimated size of prepared arguments: a fixed part, and bytes per byte of the values' JSON.
PREPARED_BYTES = 100_000
_PREPARED_BYTES_PER_BYTE = 100


class RequestArguments:
    """What one request has converted and prepared, shared by all the fields that use the
    same values (`active()` makes it the one `Arguments.get` uses)."""

    def __init__(self) -> None:
        self.converted: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.prepared: dict[tuple[Any, ...], Any] = {}

    @contextmanager
    def active(self) -> Iterator[None]:
        """Use this request's conversions while the block runs."""
        token = _REQUEST.set(self)
        try:
            yield
        finally:
            _REQUEST.reset(token)


_REQUEST: ContextVar[RequestArguments | None] = ContextVar("eventql_request_arguments")
#: The `Arguments` made while a plan is compiled (`made_arguments`).
_MADE: ContextVar[list[Arguments[Any]] | None] = ContextVar("eventql_made_arguments")


@contextmanager
def made_arguments() -> Iterator[list[Arguments[Any]]]:
    """Collects every `Arguments` made while the block runs (a plan's, as it compiles)."""
    made: list[Arguments[Any]] = []
    token = _MADE.set(made)
    try:
        yield made
    finally:
        _MADE.reset(token)


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
        cache = getattr(schema, "cache", None)
        self._cache = cache if isinstance(cache, BoundedCache) else None
        #: The arguments as written (no alias): fields whose text and values are the same
        #: get the same conversion.
        self._written = tuple(print_ast(argument) for argument in node.arguments or ())
        made = _MADE.get(None)
        if made is not None:
            made.append(self)
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

    def _values(self, variables: VariableValues | None) -> bytes | None:
        """The values of the variables used, as a key (None if one is not JSON)."""
        coerced = variables.coerced if variables is not None else {}
        try:
            return orjson.dumps([[name, name in coerced, coerced.get(name)] for name in self.names])
        except TypeError:
            return None

    def ready(self, variables: VariableValues | None) -> bool:
        """Whether `get` would find these arguments prepared (this request, or kept)."""
        if not self.names:
            return True
        values = self._values(variables)
        if values is None:
            return False
        request = _REQUEST.get(None)
        if request is not None and (self, values) in request.prepared:
            return True
        return self._cache is not None and self._cache.get(("arguments", self, values)) is not None

    def get(self, variables: VariableValues | None, db: Database) -> T:
        """The prepared arguments for this request's variables."""
        if not self.names:
            return self._static  # type: ignore[return-value]
        values = self._values(variables)
        if values is None:  # a value orjson cannot write: prepare it afresh every time
            return self.prepare(self._convert(variables), db)
        request = _REQUEST.get(None)
        key = (self, values)
        if request is not None and key in request.prepared:
            found: T = request.prepared[key]
            return found
        kept = len(values) <= KEPT_VALUES_BYTES and self._cache is not None
        prepared: T | None = self._cache.get(("arguments", *key)) if kept and self._cache else None
        if prepared is None:
            prepared = self.prepare(self._converted(variables, values, request), db)
            if kept and self._cache is not None:
                size = PREPARED_BYTES + _PREPARED_BYTES_PER_BYTE * len(values)
                self._cache.put(("arguments", *key), prepared, size)
        if request is not None:
            request.prepared[key] = prepared
        return prepared

    def _converted(
        self, variables: VariableValues | None, values: bytes, request: RequestArguments | None
    ) -> dict[str, Any]:
        if request is None:
            return self._convert(variables)
        key = (id(self.definition), self._written, values)  # the schema's field: lives on
        converted = request.converted.get(key)
        if converted is None:
            converted = request.converted[key] = self._convert(variables)
        return converted
