"""Relay connections: page arguments, the SQL of one page, and the GraphQL page types.

Pages are keyset pages (see `gql.data.cursors`): `first`/`after` walk forwards, `last`/`before`
backwards. The default page holds 20 records, the largest 100; asking for more is an error that
names the limit, never a silent cap. A nested connection (an event's figures) is one SQL
statement for all parent records of a batch: on PostgreSQL each parent's page is a `LATERAL`
subquery with its own LIMIT (read off an index from the cursor on, as a root page is); on
SQLite, which has no `LATERAL`, rows are numbered per parent with
`ROW_NUMBER() OVER (PARTITION BY parent ...)` and cut at the page size.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Row, Select, func, literal_column, select, true, tuple_
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from gql.data.cursors import Ordering, beyond, decode_cursor, encode_cursor
from gql.data.database import Database, Ids
from gql.data.listing import Listing, Relation
from gql.errors import LimitError, PublicError

NodeT = TypeVar("NodeT")
#: The columns of a page's rows, read from the page as a subquery: lets columns that are
#: costly per row (JSON the database writes) be computed for the page's rows only.
Outer = Callable[[Subquery], Sequence[ColumnElement[Any]]]


@dataclass(frozen=True)
class PageRequest:
    """Validated page arguments: how many rows, which way, and between which cursors."""

    size: int
    backwards: bool
    after: tuple[Any, ...] | None
    before: tuple[Any, ...] | None

    @classmethod
    def parse(
        cls,
        ordering: Ordering,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        default_size: int,
        max_size: int,
    ) -> PageRequest:
        """Check the Relay arguments against the limits; raise a `PublicError` naming them."""
        if first is not None and last is not None:
            raise PublicError("pass either `first` or `last`, not both")
        for name, value in (("first", first), ("last", last)):
            if value is not None and value < 0:
                raise PublicError(f"`{name}` must be 0 or more (got {value})")
            if value is not None and value > max_size:
                raise LimitError(
                    f"page size limit exceeded: `{name}` is {value}, but a page holds at most "
                    f"{max_size} records (max_page_size); follow `pageInfo.endCursor` for more"
                )
        size = first if first is not None else last if last is not None else default_size
        return cls(
            size=size,
            backwards=last is not None,
            after=decode_cursor(ordering, after) if after is not None else None,
            before=decode_cursor(ordering, before) if before is not None else None,
        )


def _sort_columns(ordering: Ordering) -> list[ColumnElement[Any]]:
    return [key.expression.label(f"sort_{i}") for i, key in enumerate(ordering)]


def _order_by(ordering: Ordering, backwards: bool) -> list[ColumnElement[Any]]:
    # In the terms the cursor bounds and the indexes use (`SortKey.sql`).
    return [
        key.sql.desc() if key.sql_descending != backwards else key.sql.asc() for key in ordering
    ]


def _bounds(ordering: Ordering, page: PageRequest) -> list[ColumnElement[bool]]:
    bounds = []
    if page.after is not None:
        bounds.append(beyond(ordering, page.after, before=False))
    if page.before is not None:
        bounds.append(beyond(ordering, page.before, before=True))
    return bounds


def page_statement(
    listing: Listing,
    condition: ColumnElement[bool],
    ordering: Ordering,
    page: PageRequest,
    columns: Sequence[ColumnElement[Any]] | None = None,
) -> Select[Any]:
    """One page of a root list: at most `size + 1` rows (the extra one says "there is more").

    Rows hold the table's columns (or just `columns`), then the sort values `sort_<i>`.
    """
    selected = listing.table.c if columns is None else columns
    return paged(
        select(*selected).select_from(listing.from_clause).where(condition), ordering, page
    )


def paged(statement: Select[Any], ordering: Ordering, page: PageRequest) -> Select[Any]:
    """Any `statement` cut to one page: its sort values added as `sort_<i>`, the cursors'
    bounds applied, sorted, and at most `size + 1` rows (the extra one says "there is more")."""
    return (
        statement.add_columns(*_sort_columns(ordering))
        .where(*_bounds(ordering, page))
        .order_by(*_order_by(ordering, page.backwards))
        .limit(row_limit(page.size + 1))
    )


def outer_page(
    statement: Select[Any], ordering: Ordering, page: PageRequest, outer: Outer
) -> Select[Any]:
    """A root page (`page_statement`) with its rows' columns read through `outer`, in the
    page's order."""
    inner = statement.subquery()
    return select(*outer(inner)).order_by(
        *(
            inner.c[f"sort_{i}"].desc()
            if key.descending != page.backwards
            else inner.c[f"sort_{i}"]
            for i, key in enumerate(ordering)
        )
    )


def row_limit(rows: int) -> ColumnElement[Any]:
    """A LIMIT written into the SQL, not bound: PostgreSQL then plans a prepared statement
    knowing it. (Bound, it is guessed as a tenth of the rows, and the plan it may settle on
    for every later execution sorts all matching rows instead of walking an index.)"""
    return literal_column(str(int(rows)))


def nested_page_statement(
    db: Database,
    relation: Relation,
    condition: ColumnElement[bool],
    ordering: Ordering,
    page: PageRequest,
    parents: Ids,
    columns: Sequence[ColumnElement[Any]] | None = None,
    outer: Outer | None = None,
) -> Select[Any]:
    """One page per parent for a batch of parents, in one statement.

    Rows hold the table's columns (or just `columns`, read through `outer` if given), the
    sort values, `parent_key` and their `row_number` within the parent's page.
    """
    selected = list(relation.listing.table.c) if columns is None else columns
    if db.dialect == "postgresql":
        inner = _pages_per_parent(db, relation, condition, ordering, page, parents, selected)
    else:
        inner = _rows_of_pages(db, relation, condition, ordering, page, parents, selected)
    return (
        select(*(inner.c if outer is None else outer(inner)))
        .where(inner.c.row_number <= page.size + 1)
        .order_by(inner.c.parent_key, inner.c.row_number)
    )


def _pages_per_parent(
    db: Database,
    relation: Relation,
    condition: ColumnElement[bool],
    ordering: Ordering,
    page: PageRequest,
    parents: Ids,
    selected: Sequence[ColumnElement[Any]],
) -> Subquery:
    """PostgreSQL: each parent's page as a `LATERAL` subquery with its own LIMIT, so it is
    read off an index from the cursor on, as a root page is (`nested_page_statement`'s
    window over all parents' rows reads every row of theirs past the cursor, and sorts them:
    `parent = ANY(array)` gives PostgreSQL 15 no ordered index scan)."""
    parent = db.each_of(parents)
    rows = (
        select(*selected, *_sort_columns(ordering), relation.parent.label("parent_key"))
        .select_from(relation.source)
        .where(relation.parent == parent.c.key, condition, *_bounds(ordering, page))
        .order_by(*_order_by(ordering, page.backwards))
        .limit(row_limit(page.size + 1))
        .lateral()
    )
    number = func.row_number().over(
        partition_by=rows.c.parent_key,
        order_by=[
            rows.c[f"sort_{i}"].desc()
            if key.descending != page.backwards
            else rows.c[f"sort_{i}"].asc()
            for i, key in enumerate(ordering)
        ],
    )
    return (
        select(*rows.c, number.label("row_number"))
        .select_from(parent.join(rows, true()))
        .subquery()
    )


def _rows_of_pages(
    db: Database,
    relation: Relation,
    condition: ColumnElement[bool],
    ordering: Ordering,
    page: PageRequest,
    parents: Ids,
    selected: Sequence[ColumnElement[Any]],
) -> Subquery:
    """SQLite (no `LATERAL`): the rows whose keys are in their parent's page, a correlated
    subquery with its own LIMIT that SQLite runs once per parent, off an index from the
    cursor on, and whose keys it then looks up; numbered per parent afterwards."""
    parent = db.each_of(parents)
    keys = relation.listing.keys
    page_keys = (
        select(*keys)
        .select_from(relation.source)
        .where(relation.parent == parent.c.key, condition, *_bounds(ordering, page))
        .order_by(*_order_by(ordering, page.backwards))
        .limit(row_limit(page.size + 1))
        .correlate(parent)  # only the parent: the subquery reads rows of its own
    )
    in_page = keys[0].in_(page_keys) if len(keys) == 1 else tuple_(*keys).in_(page_keys)
    number = func.row_number().over(
        partition_by=relation.parent, order_by=_order_by(ordering, page.backwards)
    )
    return (
        select(
            *selected,
            *_sort_columns(ordering),
            relation.parent.label("parent_key"),
            number.label("row_number"),
        )
        .select_from(parent.join(relation.source, relation.parent == parent.c.key))
        .where(in_page)
        .subquery()
    )


@strawberry.type(
    name="PageInfo",
    description="Where a page sits in the whole list (Relay). Use `endCursor` as the next "
    "`after`, or `startCursor` as the next `before`.",
)
class PageInfo:
    """Relay page information."""

    has_next_page: bool = strawberry.field(
        description="Whether records follow this page. When paging backwards with `before`, "
        "this is true whenever a `before` cursor was given."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether records precede this page. When paging forwards with `after`, "
        "this is true whenever an `after` cursor was given."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first record of the page; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last record of the page; null for an empty page."
    )


@strawberry.type(description="A record in a page, with its cursor.")
class Edge(Generic[NodeT]):
    """A Relay edge."""

    cursor: str = strawberry.field(
        description="Opaque keyset cursor of this record: pass it as `after` or `before`."
    )
    node: NodeT = strawberry.field(description="The record.")


@strawberry.type(
    description="A page of records (Relay connection). `totalCount` is counted only when asked for."
)
class Connection(Generic[NodeT]):
    """A Relay connection."""

    edges: list[Edge[NodeT]] = strawberry.field(description="The records with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The records, without cursors.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether there is more.")
    counter: strawberry.Private[Callable[[], Awaitable[int]]]
    # What the connection ranges over (a `gql.types.list_fields.Scope`), for aggregates.
    scope: strawberry.Private[Any]

    @strawberry.field(
        description="How many records match the arguments in all pages together (pagination "
        "ignored). Costs one count query, run only when this field is selected."
    )
    async def total_count(self) -> int:
        """The number of matching records over all pages."""
        return await self.counter()


ConnectionT = TypeVar("ConnectionT", bound=Connection[Any])
RowT = TypeVar("RowT")


def page_window(rows: Sequence[RowT], page: PageRequest) -> tuple[list[RowT], bool, bool]:
    """The page's rows in page order from up to `size + 1` fetched rows (in fetch order), and
    whether records follow and precede it (`hasNextPage`, `hasPreviousPage`)."""
    more = len(rows) > page.size
    window = list(rows[: page.size])
    if page.backwards:
        window.reverse()
    has_next = more if not page.backwards else page.before is not None
    has_previous = more if page.backwards else page.after is not None
    return window, has_next, has_previous


def build_connection(
    cls: Callable[..., ConnectionT],
    rows: Sequence[Row[Any]],
    *,
    ordering: Ordering,
    page: PageRequest,
    to_node: Callable[[Row[Any]], Any],
    counter: Callable[[], Awaitable[int]],
    scope: Any,
) -> ConnectionT:
    """A connection object from up to `size + 1` fetched rows (in fetch order)."""
    rows, has_next, has_previous = page_window(rows, page)
    width = len(ordering)
    edges = [
        Edge(
            cursor=encode_cursor(ordering, [row._mapping[f"sort_{i}"] for i in range(width)]),
            node=to_node(row),
        )
        for row in rows
    ]
    info = PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return cls(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=info,
        counter=counter,
        scope=scope,
    )
