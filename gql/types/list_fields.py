"""Resolving list fields: root connections, nested connections and small plain lists.

A `Scope` is what a connection ranges over before pagination — a listing, a filter (plus
search) and, for a nested connection, the relation and parent record. Pages, `totalCount` and
`aggregates` are all computed from it; nested ones through the request's DataLoaders.

Plain lists of records (an event's participants, grouped counts, totals) have no pages, so
each returns at most a bounded number of items: its `first` argument, which defaults to and
may not exceed `max_list_size` (`list_size`). Their order is fixed, so the cap always keeps
a well-defined prefix, and the node budget (`gql.execution.limits`) can count each list as `first`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import orjson
import strawberry
from sqlalchemy import Row, Select, func, select
from sqlalchemy.sql.elements import ColumnElement
from strawberry.types.nodes import SelectedField

from gql.context import Info
from gql.data.connections import Connection, PageRequest, build_connection, page_statement
from gql.data.listing import Listing, Relation
from gql.errors import LimitError, PublicError
from gql.settings import Settings
from gql.types.operator_inputs import to_json_filter
from gql.types.ordering import sort_request
from schema.filters import compile_filter
from schema.search import matches
from schema.search_query import parse_search

ConnectionT = TypeVar("ConnectionT", bound=Connection[Any])
NodeT = TypeVar("NodeT")

#: `first` of a plain list of records (an SDL default of null: `max_list_size`).
ListFirst = Annotated[
    int | None,
    strawberry.argument(
        description="How many to return, from the start of the list. Default and maximum: "
        "max_list_size (100 unless the server sets another); more is an error."
    ),
]
#: `first` of a list of grouped counts or totals.
GroupsFirst = Annotated[
    int | None,
    strawberry.argument(
        description="How many groups to return, from the start of the list. Default and "
        "maximum: max_list_size (100 unless the server sets another); more is an error."
    ),
]


def list_size(
    settings: Settings,
    first: int | None,
    maximum: int | None = None,
    limit_name: str = "max_list_size",
) -> int:
    """How many items a plain list returns for its `first` argument: `first` if given, else
    `max_list_size`. `first` below 0, or above `maximum` (by default `max_list_size`, never
    less), is a `PublicError` naming the limit (`limit_name`), never a silent cap."""
    if first is None:
        return settings.max_list_size
    if first < 0:
        raise PublicError(f"`first` must be 0 or more (got {first})")
    limit = settings.max_list_size if maximum is None else max(maximum, settings.max_list_size)
    if first > limit:
        raise LimitError(
            f"list size limit exceeded: `first` is {first}, but this list returns at most "
            f"{limit} items ({limit_name})"
        )
    return first


@dataclass(frozen=True)
class Scope:
    """The rows a connection ranges over, pagination aside."""

    listing: Listing
    key: str
    condition: ColumnElement[bool] = field(compare=False, hash=False)
    relation: Relation | None = None
    parent: int | None = None
    #: The search text (a root connection's), which `orderBy: RELEVANCE` sorts by.
    search: str | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class PageArgs:
    """The Relay arguments of a connection field."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def make_scope(
    info: Info,
    listing: Listing,
    *,
    filter: dict[str, Any] | None,
    search: str | None = None,
    relation: Relation | None = None,
    parent: int | None = None,
) -> Scope:
    """The scope of a filtered (and searched) list; raises `FilterError` for a bad filter."""
    condition, key = scope_condition(info.context.db.dialect, listing, filter, search)
    return Scope(listing, key, condition, relation, parent, search)


def scope_condition(
    dialect: str, listing: Listing, filter: dict[str, Any] | None, search: str | None
) -> tuple[ColumnElement[bool], str]:
    """The SQL condition of a filter (and search) over a listing, and a key naming it."""
    condition = compile_filter(listing.filter_entity, filter)
    # Parsed first (`SearchError` if it cannot run); a search without any word is left out.
    query = parse_search(search) if search is not None else None
    if query is not None and listing.search_kind is not None:
        # The words of `search` are only ever bound parameters (see schema.search).
        condition = condition & matches(listing.table.c.id, query, listing.search_kind)
    searched = search if query is not None else None
    key = orjson.dumps([filter, searched], option=orjson.OPT_SORT_KEYS).decode()
    return condition, key


def total_statement(listing: Listing, condition: ColumnElement[bool]) -> Select[Any]:
    """How many rows of a root list match `condition`."""
    return select(func.count()).select_from(listing.table).where(condition)


async def count(info: Info, scope: Scope) -> int:
    """How many rows the scope holds."""
    if scope.relation is None or scope.parent is None:
        statement = total_statement(scope.listing, scope.condition)
        return int(await info.context.db.scalar(statement) or 0)
    loader = info.context.loaders.counts(
        scope.relation, condition=scope.condition, condition_key=scope.key
    )
    return await loader.load(scope.parent)


async def connection(
    info: Info,
    cls: Callable[..., ConnectionT],
    scope: Scope,
    args: PageArgs,
    *,
    order: Sequence[tuple[str, bool]] | None,
    to_node: Callable[[Row[Any]], Any],
) -> ConnectionT:
    """One page of the scope as a connection object of type `cls`."""
    settings = info.context.settings
    ordering = scope.listing.ordering(order, scope.search)
    page = PageRequest.parse(
        ordering,
        first=args.first,
        after=args.after,
        last=args.last,
        before=args.before,
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
    )
    rows: Sequence[Row[Any]]
    if not selects_any(info, _PAGE_FIELDS):
        # Only `aggregates` or `totalCount` asked for: a page nobody reads costs a sort of
        # every matching row.
        rows = []
    elif scope.relation is None or scope.parent is None:
        rows = await info.context.db.all(
            page_statement(scope.listing, scope.condition, ordering, page)
        )
    else:
        loader = info.context.loaders.pages(
            scope.relation,
            condition=scope.condition,
            condition_key=scope.key,
            ordering=ordering,
            page=page,
        )
        rows = await loader.load(scope.parent)

    async def counter() -> int:
        return await count(info, scope)

    return build_connection(
        cls, rows, ordering=ordering, page=page, to_node=to_node, counter=counter, scope=scope
    )


#: The fields of a connection that read its page of rows.
_PAGE_FIELDS = frozenset({"nodes", "edges", "pageInfo"})


def selects_any(info: Info, names: frozenset[str]) -> bool:
    """Whether the field being resolved selects any of the fields `names` directly below it
    (through fragments too)."""

    def reads(selections: Sequence[Any]) -> bool:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name in names:
                    return True
            elif reads(selection.selections):
                return True
        return False

    return any(reads(field.selections) for field in info.selected_fields)


async def nested_connection(
    info: Info,
    cls: Callable[..., ConnectionT],
    relation: Relation,
    parent: int,
    args: PageArgs,
    *,
    filter: Any,
    order_by: Sequence[Any] | None,
    to_node: Callable[[Row[Any]], Any],
) -> ConnectionT:
    """One page of a parent's related records (batched over all parents of a response)."""
    scope = make_scope(
        info, relation.listing, filter=to_json_filter(filter), relation=relation, parent=parent
    )
    return await connection(info, cls, scope, args, order=sort_request(order_by), to_node=to_node)


async def related_list(
    info: Info,
    relation: Relation,
    parent: int,
    to_node: Callable[[Row[Any]], NodeT],
    first: int | None,
) -> list[NodeT]:
    """The first `first` rows (see `list_size`) of a relation of one parent, in the listing's
    default order (batched over the parents of a response)."""
    size = list_size(info.context.settings, first)
    rows = await info.context.loaders.lists(relation, size).load(parent)
    return [to_node(row) for row in rows]


async def by_id(
    info: Info, listing: Listing, key: int | None, to_node: Callable[[Row[Any]], NodeT]
) -> NodeT | None:
    """The record with primary key `key` (batched), or None."""
    if key is None:
        return None
    row = await info.context.loaders.by_id(listing).load(key)
    return None if row is None else to_node(row)
