"""Parsing and validating for the fast path: the general path's caches and limits, reused.

A document is parsed by the same token-limited parser cache and validated by the same
validation cache (the schema's `gql.execution.documents.DocumentCache`), with the same rules
(GraphQL's,
Strawberry's, and the depth, alias and selection limits of `gql.execution.limits`), as `gql.schema`
configures for the general executor — one set of cache entries serves both paths. The request
cost (node budget, filter conditions) is checked with `check_request_cost` too: once per
document when no argument reads a variable, else per request.

A document with any error, or an operation that is not a query, is simply not taken: the
general executor answers it, with its own exact errors and status codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    specified_rules,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.language import Visitor, visit
from graphql.utilities import get_operation_ast

from gql.errors import LimitError
from gql.execution.limits import check_request_cost, limit_rules
from gql.execution.runtime import EventqlSchema
from gql.fastpath.arguments import Arguments, value_variables
from gql.fastpath.compiler import Plan, fragments_of
from gql.settings import Settings

#: A compiled plan and the arguments its fields prepare per request.
Compiled = tuple[Plan, tuple[Arguments[Any], ...]]


@dataclass
class Operation:
    """A valid query operation of a document, and its plans (one per directive signature)."""

    query: str
    name: str | None
    document: DocumentNode
    definition: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    #: Variables that `@skip`/`@include` read: plans differ by their values.
    directive_variables: tuple[str, ...]
    #: Whether the request cost depends on variables (else it was checked once, here).
    budget_per_request: bool
    #: Plans by directive signature, or why the compiler declined (`runner.DECLINE_REASONS`).
    plans: dict[tuple[Any, ...], Compiled | str] = field(default_factory=dict)


class _Uses(Visitor):
    """Collects the variables of `@skip`/`@include`, and whether any argument reads one."""

    def __init__(self) -> None:
        super().__init__()
        self.directive_variables: list[str] = []
        self.arguments_from_variables = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                self.directive_variables += value_variables(argument.value)

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        for argument in node.arguments or ():
            if value_variables(argument.value):
                self.arguments_from_variables = True


class Documents:
    """Turns query text into a validated query `Operation`, or None for the general path."""

    def __init__(self, schema: EventqlSchema, settings: Settings) -> None:
        self.schema = schema
        self.settings = settings
        self._parse = schema.documents.parse
        self._validate = schema.documents.validate
        # The rules the general path validates with: GraphQL's, then `RequestLimits`' own.
        self._rules = (*specified_rules, *limit_rules(settings))

    def operation(self, query: str, operation_name: str | None) -> Operation | None:
        """The query operation, or None if the document is invalid, over a limit, or not a
        query (the general executor then reports why)."""
        try:
            document = self._parse(query, max_tokens=self.settings.max_tokens)
        except GraphQLError:
            return None
        if self._validate(self.schema._schema, document, self._rules):
            return None
        definition = get_operation_ast(document, operation_name)
        if definition is None or definition.operation is not OperationType.QUERY:
            return None
        uses = _Uses()
        visit(document, uses)
        if not uses.arguments_from_variables and not self.within_budget(
            document, operation_name, {}
        ):
            return None
        return Operation(
            query,
            operation_name,
            document,
            definition,
            fragments_of(document),
            tuple(dict.fromkeys(uses.directive_variables)),
            uses.arguments_from_variables,
        )

    def within_budget(
        self, document: DocumentNode, operation_name: str | None, variables: dict[str, Any]
    ) -> bool:
        """Whether the operation stays within the request cost limits (`gql.execution.limits`)."""
        try:
            check_request_cost(
                self.schema._schema,
                document.definitions,
                operation_name,
                variables,
                self.settings,
            )
        except LimitError:
            return False
        return True
