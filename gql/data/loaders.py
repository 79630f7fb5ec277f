"""Per-request DataLoaders: every relation field costs one SQL statement per query shape.

A resolver asks the request's `Loaders` for a loader (records by ID, the rows of a relation, a
page of a nested connection, a count); loaders are created on first use and keyed by what they
load and with which arguments, so all the records of a response that ask the same question
share one batch — one statement, whether the page above holds 5 parents or 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Row, Select, func, select
from sqlalchemy.sql.elements import ColumnElement

from gql.data.connections import Outer, PageRequest, nested_page_statement, row_limit
from gql.data.cursors import Ordering, signature
from gql.data.database import Database, Ids
from gql.data.dataloader import DataLoader
from gql.data.listing import Listing, Relation

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Rows = list[Row[Any]]
Columns = Sequence[ColumnElement[Any]]


class Loaders:
    """The DataLoaders of one request."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(
        self, key: Hashable, load: Callable[[list[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """The loader for `key`, made from `load` on first use."""
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load)
        return loader

    def by_id(self, listing: Listing) -> DataLoader[int, Row[Any] | None]:
        """Records of one kind by primary key (None for a missing key)."""

        async def load(ids: list[int]) -> list[Row[Any] | None]:
            rows = await self.db.all(by_id_statement(self.db, listing, ids))
            found = {row.id: row for row in rows}
            return [found.get(i) for i in ids]

        return self.get(("by_id", listing.name), load)

    def lists(self, relation: Relation, limit: int) -> DataLoader[int, Rows]:
        """The first `limit` rows of a relation per parent, in the listing's default order."""

        async def load(parents: list[int]) -> list[Rows]:
            statement = list_statement(self.db, relation, parents, limit=limit)
            return _group(await self.db.all(statement), parents)

        return self.get(("lists", relation.name, limit), load)

    def pages(
        self,
        relation: Relation,
        *,
        condition: ColumnElement[bool],
        condition_key: str,
        ordering: Ordering,
        page: PageRequest,
    ) -> DataLoader[int, Rows]:
        """One page (up to `size + 1` rows) of a nested connection per parent."""

        async def load(parents: list[int]) -> list[Rows]:
            statement = nested_page_statement(self.db, relation, condition, ordering, page, parents)
            return _group(await self.db.all(statement), parents)

        key = ("pages", relation.name, condition_key, signature(ordering), page)
        return self.get(key, load)

    def counts(
        self, relation: Relation, *, condition: ColumnElement[bool], condition_key: str
    ) -> DataLoader[int, int]:
        """How many rows of a nested connection each parent has (its `totalCount`)."""

        async def load(parents: list[int]) -> list[int]:
            statement = count_statement(self.db, relation, condition, parents)
            found = {row.parent_key: row.n for row in await self.db.all(statement)}
            return [found.get(parent, 0) for parent in parents]

        return self.get(("counts", relation.name, condition_key), load)


def by_id_statement(
    db: Database, listing: Listing, ids: Ids, columns: Columns | None = None
) -> Select[Any]:
    """The rows of `listing` (all columns, or just `columns`) whose primary key is in `ids`."""
    table = listing.table
    return select(*(table.c if columns is None else columns)).where(db.any_of(table.c.id, ids))


def list_statement(
    db: Database,
    relation: Relation,
    parents: Ids,
    columns: Columns | None = None,
    *,
    limit: int,
    finish: Callable[[Select[Any]], Select[Any]] | None = None,
    outer: Outer | None = None,
) -> Select[Any]:
    """The first `limit` rows of a relation per parent, for a batch of parents, in one
    statement: rows numbered per parent (`ROW_NUMBER() OVER (PARTITION BY parent ORDER BY`
    the listing's default order`)`) and cut at `limit`, in parent and list order.

    Rows hold the table's columns (or just `columns`; the statement reading them passed
    through `finish`, to join in what they read, and the rows read through `outer`, so that
    columns costly per row are computed for the kept rows only), then `parent_key` and
    `row_number`.
    """
    ordering = relation.listing.ordering()
    order = [k.expression.desc() if k.descending else k.expression for k in ordering]
    number = func.row_number().over(partition_by=relation.parent, order_by=order)
    rows = (
        select(
            *(relation.listing.table.c if columns is None else columns),
            relation.parent.label("parent_key"),
            number.label("row_number"),
        )
        .select_from(relation.source)
        .where(db.any_of(relation.parent, parents))
    )
    inner = (rows if finish is None else finish(rows)).subquery()
    return (
        select(*(inner.c if outer is None else outer(inner)))
        .where(inner.c.row_number <= row_limit(limit))
        .order_by(inner.c.parent_key, inner.c.row_number)
    )


def count_statement(
    db: Database, relation: Relation, condition: ColumnElement[bool], parents: Ids
) -> Select[Any]:
    """(`parent_key`, `n`): how many rows matching `condition` each parent of a batch has."""
    return (
        select(relation.parent.label("parent_key"), func.count().label("n"))
        .select_from(relation.source)
        .where(db.any_of(relation.parent, parents), condition)
        .group_by(relation.parent)
    )


def _group(rows: Sequence[Row[Any]], parents: Sequence[int]) -> list[Rows]:
    by_parent: dict[int, Rows] = defaultdict(list)
    for row in rows:
        by_parent[row.parent_key].append(row)
    return [by_parent.get(parent, []) for parent in parents]
