"""Request limits, each refusing with an error that names it (and the setting that sets it).

- tokens: a document longer than `max_tokens` tokens is not even parsed;
- depth: selections nested deeper than `max_depth` (introspection fields aside);
- aliases: more than `max_aliases` aliased fields, fragments expanded;
- selections: more than `max_selections` fields once fragments are expanded, so a chain of
  fragments that each spread the next twice cannot grow exponentially;
- nodes: GitHub's node budget — each connection or list may return `first` records (see
  `gql.execution.cost`) for every record above it, and the sum of those products must stay within
  `max_nodes`;
- filter conditions: at most `max_filter_conditions` in all the filters of an operation,
  variables included, counted once per field that uses them;
- filter relations: at most `max_filter_relations` relation keys in those filters, counted
  the same way (each is a subquery; planning time grows faster than their number);
- page size (`first`/`last` up to `max_page_size`) is checked where pages are made
  (`gql.data.connections`), batch size at the HTTP layer (`gql.http.endpoint`).

Depth, aliases and selections are validation rules (`limit_rules`); nodes, filter
conditions and filter relations depend on the variables, so `check_request_cost` runs per
request after validation (on both executors). All of them take time linear in the document
(`gql.execution.fragments`). The checks run before execution, so a refused request costs no
database work, and the parse and validation steps are cached (their LRU caches are shared
by every request).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, ValidationContext, ValidationRule
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import ParserCache, SchemaExtension

from gql.errors import LimitError
from gql.execution.cost import operation_cost
from gql.execution.expansion import expansions
from gql.settings import Settings


def limit_rules(settings: Settings) -> tuple[type[ValidationRule], ...]:
    """The validation rules of the depth, alias and selection limits of `settings`."""
    return (_expansion_rule(settings.max_depth, settings.max_aliases, settings.max_selections),)


@cache
def _expansion_rule(max_depth: int, max_aliases: int, max_selections: int) -> type[ValidationRule]:
    # One class per set of limits (cached), so validation caches keyed by the rules are shared.

    class ExpansionLimits(ValidationRule):
        """Refuses documents too deep, with too many aliases or too many fields, expanded."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            aliases = fields = 0
            cap = max(max_aliases, max_selections) + 1
            for operation, expansion in expansions(context.document, cap):
                if expansion.depth > max_depth:
                    context.report_error(
                        _limit_error(
                            f"query depth limit exceeded: selections nest more than "
                            f"{max_depth} levels deep (max_depth)",
                            operation,
                        )
                    )
                aliases += expansion.aliases
                fields += expansion.fields
            if aliases > max_aliases:
                context.report_error(
                    _limit_error(
                        f"alias limit exceeded: the document uses more than {max_aliases} "
                        "aliases (max_aliases)"
                    )
                )
            if fields > max_selections:
                context.report_error(
                    _limit_error(
                        f"selection limit exceeded: the document has more than "
                        f"{max_selections} fields once its fragments are expanded "
                        "(max_selections)"
                    )
                )

    return ExpansionLimits


def _limit_error(message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": LimitError.code})


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
    """Adds the `limit_rules` to validation, and checks the request cost after it."""

    def __init__(self, settings: Settings, rules: tuple[type[ValidationRule], ...]) -> None:
        self.settings = settings
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        yield

    def on_validate(self) -> Iterator[None]:
        # Runs after ValidationCache has validated (it is listed after it): a valid document
        # whose cost is over a limit is refused as a validation error, before any resolver.
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            try:
                check_request_cost(
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


def check_request_cost(
    schema: GraphQLSchema,
    definitions: Any,
    operation_name: str | None,
    variables: Mapping[str, Any],
    settings: Settings,
) -> None:
    """Raise `LimitError` when the operation could return more records than `max_nodes`, or
    its filters hold more conditions than `max_filter_conditions` or more relations than
    `max_filter_relations` (`gql.execution.cost` counts them)."""
    cost = operation_cost(schema, definitions, operation_name, variables, settings)
    if cost.nodes > settings.max_nodes:
        raise LimitError(
            f"node limit exceeded: the query could return more than {settings.max_nodes} "
            "records (max_nodes); each connection or list counts `first` (or its default) "
            "times the records above it, as GitHub counts"
        )
    if cost.filter_conditions > settings.max_filter_conditions:
        raise LimitError(
            f"filter condition limit exceeded: the filters of the operation hold more than "
            f"{settings.max_filter_conditions} conditions (max_filter_conditions), counted "
            "once for each field that uses them, variables included"
        )
    if cost.filter_relations > settings.max_filter_relations:
        raise LimitError(
            f"filter relation limit exceeded: the filters of the operation hold more than "
            f"{settings.max_filter_relations} relation keys (max_filter_relations), such as "
            "`actor: {...}`, each a subquery; counted once for each field that uses them, "
            "variables included. Conditions on one relation combine inside it: "
            "`actor: {or: [...]}`, not `or: [{actor: ...}, {actor: ...}]`"
        )
