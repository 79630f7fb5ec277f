"""Request limits, each refusing with an error that names it (and the setting that sets it).

- tokens: a document longer than `max_tokens` tokens is not even parsed;
- depth: selections nested deeper than `max_depth` (introspection fields aside);
- aliases: more than `max_aliases` aliased fields;
- nodes: GitHub's node budget — each connection may return `first`/`last` records (20 when
  neither is given) for every record above it (the `edges`/`nodes` of the connections it is
  nested in; a connection's own `totalCount` and `aggregates` come once), and the sum over
  all connections of those products must stay within `max_nodes`;
- page size (`first`/`last` up to `max_page_size`) is checked where pages are made
  (`gql.connections`), batch size at the HTTP layer (`gql.http`).

The checks run before execution, so a refused request costs no database work, and the
parse and validation steps are cached (their LRU caches are shared by every request).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import ParserCache, SchemaExtension

from gql.errors import LimitError
from gql.settings import Settings

Fragments = Mapping[str, FragmentDefinitionNode]


def _fragments(context: ValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {
        d.name.value: d
        for d in context.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


def _fields(
    selection_set: SelectionSetNode | None, fragments: Fragments, seen: frozenset[str]
) -> Iterator[FieldNode]:
    """The fields of a selection set, fragments inlined (each fragment once per path)."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                yield from _fields(fragment.selection_set, fragments, seen | {name})


@cache
def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing selections nested deeper than `max_depth`.

    One class per limit (cached), so validation caches keyed by the rules are shared.
    """

    def depth(selection_set: SelectionSetNode | None, fragments: Fragments, limit: int) -> int:
        deepest = 0
        for field in _fields(selection_set, fragments, frozenset()):
            if field.name.value.startswith("__"):
                continue  # introspection (GraphiQL's schema query nests deeply by design)
            deepest = max(deepest, 1 + depth(field.selection_set, fragments, limit))
            if deepest > limit:
                break  # deep enough to refuse; stop walking
        return deepest

    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments = _fragments(context)
            for definition in context.document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    found = depth(definition.selection_set, fragments, max_depth)
                    if found > max_depth:
                        context.report_error(
                            GraphQLError(
                                f"query depth limit exceeded: selections nest more than "
                                f"{max_depth} levels deep (max_depth)",
                                definition,
                                extensions={"code": "LIMIT_EXCEEDED"},
                            )
                        )

    return DepthLimit


@cache
def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than `max_aliases` aliases (one class per
    limit, cached)."""

    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments = _fragments(context)
            total = 0
            stack: list[SelectionSetNode | None] = [
                d.selection_set
                for d in context.document.definitions
                if isinstance(d, OperationDefinitionNode)
            ]
            while stack and total <= max_aliases:
                for field in _fields(stack.pop(), fragments, frozenset()):
                    total += field.alias is not None
                    stack.append(field.selection_set)
            if total > max_aliases:
                context.report_error(
                    GraphQLError(
                        f"alias limit exceeded: the document uses more than {max_aliases} "
                        "aliases (max_aliases)",
                        extensions={"code": "LIMIT_EXCEEDED"},
                    )
                )

    return AliasLimit


class TokenLimitedParserCache(ParserCache):
    """`ParserCache` with a token limit whose error names the limit."""

    def __init__(self, max_tokens: int, maxsize: int = 256) -> None:
        super().__init__(maxsize=maxsize)
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, max_tokens=self.max_tokens
            )
        except GraphQLSyntaxError as error:
            if "tokens" not in error.message:
                raise
            raise GraphQLError(
                f"token limit exceeded: the document has more than {self.max_tokens} tokens "
                "(max_tokens)",
                extensions={"code": "LIMIT_EXCEEDED"},
            ) from None
        yield


class RequestLimits(SchemaExtension):
    """Adds the depth and alias rules to validation and checks the node budget after it."""

    def __init__(self, settings: Settings, rules: tuple[type[ValidationRule], ...]) -> None:
        self.settings = settings
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        yield

    def on_validate(self) -> Iterator[None]:
        # Runs after ValidationCache has validated (it is listed after it): a valid document
        # whose node budget is over the limit is refused as a validation error.
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            try:
                check_node_budget(
                    context.schema._schema,
                    context.graphql_document.definitions,
                    context.operation_name,
                    context.variables or {},
                    self.settings,
                )
            except LimitError as error:
                context.pre_execution_errors = [
                    GraphQLError(error.message, extensions=error.extensions)
                ]
        yield


def check_node_budget(
    schema: GraphQLSchema,
    definitions: Any,
    operation_name: str | None,
    variables: Mapping[str, Any],
    settings: Settings,
) -> None:
    """Raise `LimitError` when the operation could return more records than `max_nodes`."""
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [
        d
        for d in definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    root = schema.query_type
    if not operations or root is None:
        return
    budget = _NodeBudget(schema, fragments, variables, settings)
    total = budget.selections(operations[0].selection_set, root, 1, frozenset())
    if total > settings.max_nodes:
        raise LimitError(
            f"node limit exceeded: the query could return up to {total} records (for each "
            f"connection, `first` or `last` times the records above it, as GitHub counts), "
            f"at most {settings.max_nodes} are allowed (max_nodes)"
        )


def _argument(field: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in field.arguments or ():
        if argument.name.value == name:
            value = argument.value
            if isinstance(value, VariableNode):
                return variables.get(value.name.value)
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, ListValueNode):
                return list(value.values)
    return None


class _NodeBudget:
    """Walks an operation, adding up what each connection could return."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Fragments,
        variables: Mapping[str, Any],
        settings: Settings,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.settings = settings

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        multiplier: int,
        seen: frozenset[str],
        per_record: int | None = None,
    ) -> int:
        """The budget of a selection set; `per_record` is set inside a connection, where only
        `edges` and `nodes` repeat per record (`totalCount`, `aggregates` come once)."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                repeated = per_record is not None and selection.name.value in ("edges", "nodes")
                scale = per_record if repeated and per_record is not None else multiplier
                total += self.field(selection, parent, scale)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    scoped = self._scope(parent, fragment.type_condition.name.value)
                    total += self.selections(
                        fragment.selection_set, scoped, multiplier, seen | {name}, per_record
                    )
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scoped = parent if condition is None else self._scope(parent, condition.name.value)
                total += self.selections(
                    selection.selection_set, scoped, multiplier, seen, per_record
                )
            if total > self.settings.max_nodes:
                break
        return total

    def _scope(
        self, parent: GraphQLObjectType | GraphQLInterfaceType, name: str
    ) -> GraphQLObjectType | GraphQLInterfaceType:
        # A fragment on a more specific type (`... on Event` under `node`) has its fields.
        named = self.schema.get_type(name)
        return named if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else parent

    def field(
        self, field: FieldNode, parent: GraphQLObjectType | GraphQLInterfaceType, multiplier: int
    ) -> int:
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return 0
        total, width = 0, 1
        child = get_named_type(definition.type)
        if "first" in definition.args or "last" in definition.args:
            sizes = [_argument(field, name, self.variables) for name in ("first", "last")]
            given = [s for s in sizes if isinstance(s, int) and not isinstance(s, bool)]
            width = max(given) if given else self.settings.default_page_size
            total += multiplier * width
            if child.name.endswith("Connection") and isinstance(child, GraphQLObjectType):
                return total + self.selections(
                    field.selection_set, child, multiplier, frozenset(), multiplier * width
                )
        elif field.name.value == "nodes" and "ids" in definition.args:
            ids = _argument(field, "ids", self.variables)
            width = len(ids) if isinstance(ids, list) else 1
            total += multiplier * width
        if isinstance(child, GraphQLObjectType | GraphQLInterfaceType) and field.selection_set:
            total += self.selections(field.selection_set, child, multiplier * width, frozenset())
        return total
