"""What one operation could cost, worked out from the document and its variables alone.

- **Records** (GitHub's node budget): a connection returns `first` or `last` records (the
  default page size when neither is given) for every record above it — the records of the
  `edges`/`nodes` of the connections and lists it is nested in; a connection's own
  `totalCount`, `pageInfo` and `aggregates` come once per connection. Every other list of
  objects counts the same way, with its own `first` (the value given, else the argument's
  default, else `max_list_size` when that default is null), `ids` (one per ID), or, with
  neither, `max_list_size`: `participants`, `links`, `parts`, grouped totals and their
  figures, `byKind`, `timeline`, ... Lists nested in lists multiply.
- **Filter conditions**: in every argument of filter shape (an input object with
  `and`/`or`/`not`), variables substituted, counted once for each field that uses them.
  A value counts 1, each item of a list counts (at least 1: `in: [a, b, c]` is 3), an object
  counts its fields (at least 1, so `{}` is 1 and `and: [{}, {}]` is 2), and `null` counts 0
  (the filter language ignores it). Relation filters and `and`/`or`/`not` are counted through.
- **Filter relations**: the relation keys in those filters (`actor: {...}`, `event: {...}`:
  an input field of filter type other than `and`/`or`/`not`), counted the same way. Each is a
  subquery, and a database's time to plan a statement grows faster than their number (on
  PostgreSQL, 100 take under a second to plan and 1,000 over ten seconds, on six events);
  conditions alone cannot bound that, as one condition can sit four relations deep.

Each fragment is costed once (`gql.execution.fragments`), so the time is linear in the document, and
every count saturates just above its limit. `@skip`/`@include` are ignored: the worst case
is counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from gql.execution.fragments import fold_fragments
from gql.settings import Settings
from schema.filters import MAX_FILTER_DEPTH

#: The fields of a connection whose records repeat once per record the connection returns.
_PER_RECORD = ("edges", "nodes")
#: Input fields that make an input object a filter (conditions combine through them).
_COMBINATORS = ("and", "or", "not")
#: Values nested deeper than this count as one condition: no filter nests this deeply (each
#: of its levels is an object, a list and an item at most), so compiling it fails at once.
_DEEPEST = 3 * MAX_FILTER_DEPTH + 3


@dataclass(frozen=True, slots=True)
class OperationCost:
    """What an operation could cost. A count above its limit means "more than the limit":
    counting stops there."""

    #: Records it could return (the node budget's count).
    nodes: int
    #: Conditions in its filters, each counted once per field that uses it.
    filter_conditions: int
    #: Relation keys in its filters, counted as conditions are.
    filter_relations: int = 0


@dataclass(frozen=True, slots=True)
class _Cost:
    """A selection set's cost for one record of its parent."""

    #: Records returned outside `edges`/`nodes`.
    once: int = 0
    #: Records returned inside `edges`/`nodes`: once per record of the enclosing connection.
    per_record: int = 0
    conditions: int = 0
    relations: int = 0


_FREE = _Cost()


def operation_cost(
    schema: GraphQLSchema,
    definitions: Iterable[DefinitionNode],
    operation_name: str | None,
    variables: Mapping[str, Any],
    settings: Settings,
) -> OperationCost:
    """The cost of the named operation (or the first) with these (uncoerced) variables."""
    definitions = tuple(definitions)
    operation = next(
        (
            d
            for d in definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name is not None and d.name.value == operation_name))
        ),
        None,
    )
    if operation is None:
        return OperationCost(0, 0)
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    walk = _Walk(schema, settings, _with_defaults(operation, variables))
    walk.fragments = fold_fragments(definitions, walk.fragment)
    cost = walk.selections(operation.selection_set, root)
    return OperationCost(walk.nodes(cost.once + cost.per_record), cost.conditions, cost.relations)


def _with_defaults(
    operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> dict[str, Any]:
    # A variable left out takes its declared default, as execution will.
    values = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    return values


class _Walk:
    """Costs selection sets; each fragment once, through `fragments`."""

    def __init__(self, schema: GraphQLSchema, settings: Settings, variables: dict[str, Any]):
        self.schema = schema
        self.settings = settings
        self.variables = variables
        self.fragments: Mapping[str, _Cost] = {}
        self.node_cap = settings.max_nodes + 1
        self.conditions = _Conditions(variables, settings.max_filter_conditions + 1)
        self.relations = _Conditions(variables, settings.max_filter_relations + 1, relations=True)

    def nodes(self, count: int) -> int:
        return min(count, self.node_cap)

    def fragment(self, definition: FragmentDefinitionNode, done: Mapping[str, _Cost]) -> _Cost:
        """A fragment's cost, given those of the fragments it spreads (`done` is the mapping
        `fold_fragments` fills, and returns in the end)."""
        self.fragments = done
        scope = self.schema.get_type(definition.type_condition.name.value)
        return self.selections(definition.selection_set, scope)

    def selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None
    ) -> _Cost:
        once = per_record = conditions = relations = 0
        fields = (
            parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        )
        in_connection = parent is not None and _is_connection(parent)
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                definition = fields.get(selection.name.value)
                if definition is None:
                    continue  # `__typename`, introspection: no records
                cost = self.field(selection, definition, in_connection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = parent if condition is None else self.schema.get_type(condition.name.value)
                cost = self.selections(selection.selection_set, scope)
            elif isinstance(selection, FragmentSpreadNode):
                cost = self.fragments.get(selection.name.value, _FREE)
            else:
                continue
            once = self.nodes(once + cost.once)
            per_record = self.nodes(per_record + cost.per_record)
            conditions = self.conditions.saturated(conditions + cost.conditions)
            relations = self.relations.saturated(relations + cost.relations)
        return _Cost(once, per_record, conditions, relations)

    def field(self, field: FieldNode, definition: GraphQLField, in_connection: bool) -> _Cost:
        """A field's cost for one parent record (records, then filter conditions and
        relations)."""
        child = get_named_type(definition.type)
        inner = self.selections(field.selection_set, child) if field.selection_set else _FREE
        filters = {
            "conditions": self.conditions.saturated(
                self.conditions.of_arguments(field, definition) + inner.conditions
            ),
            "relations": self.relations.saturated(
                self.relations.of_arguments(field, definition) + inner.relations
            ),
        }
        if _is_connection(child) and ("first" in definition.args or "last" in definition.args):
            page = self._page_size(field)
            return _Cost(self.nodes(page + inner.once + page * inner.per_record), **filters)
        below = inner.once + inner.per_record
        if in_connection and field.name.value in _PER_RECORD:
            return _Cost(per_record=self.nodes(below), **filters)
        width = self._list_width(field, definition)
        if width is None:
            return _Cost(self.nodes(below), **filters)
        return _Cost(self.nodes(width + width * below), **filters)

    def _page_size(self, field: FieldNode) -> int:
        sizes = [self._int_argument(field, name) for name in ("first", "last")]
        given = [size for size in sizes if size is not None]
        return self.nodes(max(given)) if given else self.settings.default_page_size

    def _list_width(self, field: FieldNode, definition: GraphQLField) -> int | None:
        """How many objects a list field could return; None if it is not a list of objects."""
        if not _is_list(definition.type) or not isinstance(
            get_named_type(definition.type), GraphQLObjectType | GraphQLInterfaceType
        ):
            return None
        if "first" in definition.args:
            given = self._int_argument(field, "first")
            default = definition.args["first"].default_value
            if given is not None:
                return self.nodes(given)
            if isinstance(default, int) and not isinstance(default, bool):
                return default
            return self.settings.max_list_size
        if "ids" in definition.args:
            ids = self._argument(field, "ids")
            return len(ids) if isinstance(ids, list) else 1
        return self.settings.max_list_size

    def _argument(self, field: FieldNode, name: str) -> Any:
        for argument in field.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables)
        return None

    def _int_argument(self, field: FieldNode, name: str) -> int | None:
        value = self._argument(field, name)
        # Anything else fails coercion later; negative sizes are refused where pages are made.
        return max(value, 0) if isinstance(value, int) and not isinstance(value, bool) else None


class _Conditions:
    """Counts filter conditions (see the module docstring), saturating at `cap`; with
    `relations`, counts the relation keys instead (a value then counts nothing)."""

    def __init__(self, variables: Mapping[str, Any], cap: int, *, relations: bool = False):
        self.variables = variables
        self.cap = cap
        self.relations = relations
        # What a value counts, and the least a list item or an object counts.
        self.unit = 0 if relations else 1
        # A variable is counted once per type it is used as, however many fields use it.
        self._of_variable: dict[tuple[str, str], int] = {}

    def saturated(self, count: int) -> int:
        return min(count, self.cap)

    def of_arguments(self, field: FieldNode, definition: GraphQLField) -> int:
        """The conditions (or relations) in the field's filter arguments."""
        total = 0
        for argument in field.arguments or ():
            known = definition.args.get(argument.name.value)
            if known is not None and _is_filter(known.type):
                total = self.saturated(total + self.of_node(argument.value, known.type, 0))
        return total

    def of_node(self, node: ValueNode, type_: GraphQLInputType, depth: int) -> int:
        """The conditions (or relations) in a value as written in the document."""
        if isinstance(node, VariableNode):
            key = (node.name.value, str(type_))
            if key not in self._of_variable:
                value = self.variables.get(node.name.value)
                self._of_variable[key] = self.of_value(value, type_, depth)
            return self._of_variable[key]
        if isinstance(node, NullValueNode):
            return 0
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if depth > _DEEPEST:
            return self.unit
        if isinstance(nullable, GraphQLList):
            items = node.values if isinstance(node, ListValueNode) else (node,)
            return self._sum(
                max(self.unit, self.of_node(item, nullable.of_type, depth + 1)) for item in items
            )
        if isinstance(nullable, GraphQLInputObjectType) and isinstance(node, ObjectValueNode):
            fields = nullable.fields
            return max(
                self.unit,
                self._sum(
                    self.of_node(member.value, fields[member.name.value].type, depth + 1)
                    + self._relation(member.name.value, fields[member.name.value].type)
                    if member.name.value in fields
                    else self.unit
                    for member in node.fields
                ),
            )
        return self.unit

    def of_value(self, value: Any, type_: GraphQLInputType, depth: int) -> int:
        """The conditions (or relations) in a variable's value (JSON, not coerced yet)."""
        if value is None:
            return 0
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if depth > _DEEPEST:
            return self.unit
        if isinstance(nullable, GraphQLList):
            items = value if isinstance(value, list) else (value,)
            return self._sum(
                max(self.unit, self.of_value(item, nullable.of_type, depth + 1)) for item in items
            )
        if isinstance(nullable, GraphQLInputObjectType) and isinstance(value, dict):
            fields = nullable.fields
            return max(
                self.unit,
                self._sum(
                    self.of_value(item, fields[key].type, depth + 1)
                    + self._relation(key, fields[key].type)
                    if key in fields
                    else self.unit
                    for key, item in value.items()
                ),
            )
        return self.unit

    def _relation(self, name: str, type_: GraphQLInputType) -> int:
        # A relation key is a subquery: one relation, besides what its filter holds.
        return int(self.relations and name not in _COMBINATORS and _is_filter(type_))

    def _sum(self, counts: Iterable[int]) -> int:
        # Stops reading at the cap, so a huge value costs no more work than the limit allows.
        total = 0
        for count in counts:
            total += count
            if total >= self.cap:
                return self.cap
        return total


def _is_connection(type_: GraphQLNamedType) -> bool:
    return isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection")


def _is_list(type_: Any) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


def _is_filter(type_: GraphQLInputType) -> bool:
    named = get_named_type(type_)
    return isinstance(named, GraphQLInputObjectType) and any(
        name in named.fields for name in _COMBINATORS
    )
