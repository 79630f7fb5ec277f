"""Field factories: each GraphQL field of a row-backed type is declared once, by one call.

`title: str = column("title", description=...)` or `figures: FigureConnection =
connection(listing.EVENT_FIGURES, pages.FIGURES, description=...)` makes the Strawberry field
and attaches its spec (`gql.types.specs`) as the field's metadata. The root connections of
`Query` are made the same way (`root_connection`). The resolver the general
executor runs is made here from that same spec, and the fast path compiles the spec it reads
from the metadata (`gql.fastpath.registry`): one object, two executors.

Columns are plain attributes, set when the object is made from its row (`RowObject.from_row`);
everything else resolves from the row when selected. The record a relation leads to is the
field's own type (its annotation), so it is written once, where the schema shows it.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, ClassVar, Self, cast

import strawberry
from sqlalchemy import Row
from strawberry.types.base import StrawberryContainer
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType

from gql.context import Info
from gql.data.listing import Listing, Relation
from gql.types import list_fields as lists
from gql.types.list_fields import (
    ListFirst,
    PageArgs,
    by_id,
    make_scope,
    nested_connection,
    related_list,
)
from gql.types.operator_inputs import to_json_filter
from gql.types.ordering import sort_request
from gql.types.pages import PageArguments
from gql.types.paging_arguments import After, Before, First, Last, Search
from gql.types.specs import (
    SPEC,
    Column,
    Computed,
    Embedded,
    FieldSpec,
    Paged,
    ToMany,
    ToOne,
)


class RowObject:
    """A GraphQL object type whose values are rows of `table_listing`'s table.

    Subclasses are Strawberry types with a private `row` (and `db_id` for nodes); their
    column fields are filled from the row by `from_row`.
    """

    table_listing: ClassVar[Listing]

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        """The object of a row of the type's table."""
        plan = _PLANS.get(cls) or _plan(cls)
        values = {name: row if column is None else getattr(row, column) for name, column in plan}
        made: Self = cast(Any, cls)(**values)
        return made


#: The constructor arguments of each type, with the column each is read from (None: the row).
_PLANS: dict[type, tuple[tuple[str, str | None], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, str | None], ...]:
    """How `from_row` makes an object of `cls` (worked out at its first call)."""
    plan: list[tuple[str, str | None]] = []
    for field in dataclasses.fields(cls):
        spec = field.metadata.get(SPEC)
        if not field.init:  # a field with a resolver
            continue
        if field.name == "row":
            plan.append((field.name, None))
        elif field.name == "db_id":  # `gql.types.node.Node`: the record's primary key
            plan.append((field.name, "id"))
        elif isinstance(spec, Column):
            plan.append((field.name, spec.name))
        else:
            raise TypeError(f"{cls.__name__}.{field.name} is not read from the row")
    _PLANS[cls] = found = tuple(plan)
    return found


def record_class(type_: Any) -> Any:
    """The class inside a field type's list, optional and lazy wrappers."""
    while True:
        if isinstance(type_, StrawberryContainer):
            type_ = type_.of_type
        elif isinstance(type_, LazyType):
            type_ = type_.resolve_type()
        else:
            return type_


def node_class(connection: Any) -> Any:
    """The node type of a connection type: `EventConnection(Connection[EventType])` pages
    through `EventType`."""
    (node,) = connection.__strawberry_definition__.specialized_type_var_map.values()
    return record_class(node)


def _field(spec: FieldSpec, description: str, resolver: Callable[..., Any] | None = None) -> Any:
    metadata = {SPEC: spec}
    if resolver is None:
        return strawberry.field(description=description, metadata=metadata)
    return strawberry.field(resolver=resolver, description=description, metadata=metadata)


def _target(field: StrawberryField) -> Callable[[], Any]:
    """The class a relation field leads to, looked up (once) when first resolved: by then
    every lazy type can be imported."""
    return cache(lambda: record_class(field.type))


# --- values of the row --------------------------------------------------------------------


def column(name: str, *, description: str) -> Any:
    """A field holding column `name` of the row."""
    return _field(Column(name), description)


def computed(spec: Computed, *, description: str) -> Any:
    """A field whose value `spec` computes from columns of the row."""

    def resolve(root: Any) -> Any:
        return spec.value(root.row)

    return _field(spec, description, resolve)


def value_object(spec: Embedded, *, description: str) -> Any:
    """A value object (`gql.types.values`) made of columns of the row."""

    def resolve(root: Any) -> Any:
        return spec.value(root.row)

    return _field(spec, description, resolve)


# --- related rows -------------------------------------------------------------------------


def to_one(listing: Listing, key: str, *, description: str) -> Any:
    """The record of `listing` whose primary key is in column `key` (batched)."""

    async def resolve(root: Any, info: Info) -> Any:
        return await by_id(info, listing, getattr(root.row, key), target().from_row)

    field: StrawberryField = _field(ToOne(listing, key), description, resolve)
    target = _target(field)
    return field


def to_many(relation: Relation, *, description: str) -> Any:
    """The first `first` records of a relation, as a plain list in the listing's order."""

    async def resolve(root: Any, info: Info, first: ListFirst = None) -> Any:
        return await related_list(info, relation, root.row.id, target().from_row, first)

    field: StrawberryField = _field(ToMany(relation), description, resolve)
    target = _target(field)
    return field


def connection(relation: Relation, arguments: PageArguments, *, description: str) -> Any:
    """A page of a relation, as the field's connection type: Relay arguments, then the node
    kind's `filter` and `orderBy` (`gql.types.pages`)."""

    async def resolve(root: Any, info: Info, **given: Any) -> Any:
        return await nested_connection(
            info,
            target(),
            relation,
            root.row.id,
            _relay(given),
            filter=given.get("filter"),
            order_by=given.get("order_by"),
            to_node=nodes().from_row,
        )

    # Strawberry reads the arguments from this signature, and passes them by name.
    resolve.__signature__ = _page_signature(arguments)  # type: ignore[attr-defined]
    field: StrawberryField = _field(Paged(relation), description, resolve)
    target = _target(field)
    nodes = cache(lambda: node_class(target()))
    return field


def root_connection(connection_type: type, arguments: PageArguments, *, description: str) -> Any:
    """A root field paging through every record of `connection_type`'s node kind: Relay
    arguments, the kind's `filter` and `orderBy` (`gql.types.pages`), then `search`.

    Root fields of `Query` are methods and fields in one order, so this field takes its type
    as an argument rather than an annotation (Strawberry puts annotated fields first).
    """
    node = node_class(connection_type)
    listing: Listing = node.table_listing

    async def resolve(root: Any, info: Info, **given: Any) -> Any:
        search = given.get("search")
        scope = make_scope(info, listing, filter=to_json_filter(given.get("filter")), search=search)
        return await lists.connection(
            info,
            connection_type,
            scope,
            _relay(given),
            order=sort_request(given.get("order_by")),
            to_node=node.from_row,
        )

    resolve.__signature__ = _page_signature(arguments, root=connection_type)  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description=description)


def _relay(given: dict[str, Any]) -> PageArgs:
    """The Relay arguments among those a connection's resolver was given."""
    return PageArgs(given.get("first"), given.get("after"), given.get("last"), given.get("before"))


def _page_signature(arguments: PageArguments, *, root: type | None = None) -> inspect.Signature:
    """The resolver signature Strawberry reads for a connection field: a root connection's
    (returning `root`) also takes `search`, and describes `orderBy` as root fields do."""

    def argument(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
        )

    def described(type_: Any, description: str) -> Any:
        return Annotated[type_ | None, strawberry.argument(description=description)]

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("root", positional),
        inspect.Parameter("info", positional, annotation=Info),
        argument("first", First),
        argument("after", After),
        argument("last", Last),
        argument("before", Before),
        argument("filter", described(arguments.filter, arguments.filter_description)),
    ]
    if arguments.order is not None:
        order = list[arguments.order]  # type: ignore[name-defined]
        sort = arguments.order_description if root is None else arguments.root_order_description
        parameters.append(argument("order_by", described(order, sort)))
    if root is None:
        return inspect.Signature(parameters)
    parameters.append(argument("search", Search))
    return inspect.Signature(parameters, return_annotation=root)
