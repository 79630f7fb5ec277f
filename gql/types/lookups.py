"""Finding single records: by global ID (`node`, `nodes`) and by slug (`event(slug:)`, ...)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Row, Select, select

from gql.context import Info
from gql.data.listing import Listing
from gql.errors import LimitError, PublicError
from gql.types.fields import RowObject
from gql.types.node import NODE_TYPES, Node, decode_id
from schema.core import DATASET

NodeT = TypeVar("NodeT")


def _node_type(kind: str) -> tuple[Listing, Callable[[Row[Any]], Node]]:
    """The listing a kind of node (`gql.types.node.NODE_TYPES`) is read from, and how its object
    is made from a row."""
    cls = NODE_TYPES[kind]
    assert issubclass(cls, RowObject), cls  # every kind of node is made from rows
    return cls.table_listing, cast(Callable[[Row[Any]], Node], cls.from_row)


class AmbiguousSlugError(PublicError):
    """A slug found in several datasets, asked for without naming one."""

    code = "AMBIGUOUS_SLUG"


async def node(info: Info, global_id: str) -> Node | None:
    """The record with this global ID, or None if there is none."""
    kind, key = decode_id(global_id)
    table, to_node = _node_type(kind)
    row = await info.context.loaders.by_id(table).load(key)
    return None if row is None else to_node(row)


async def nodes(info: Info, global_ids: Sequence[str]) -> list[Node | None]:
    """The records with these global IDs, in order (None for each one not found)."""
    limit = info.context.settings.max_page_size
    if len(global_ids) > limit:
        raise LimitError(
            f"page size limit exceeded: {len(global_ids)} IDs given to `nodes`, at most {limit} "
            "(max_page_size)"
        )
    found = [(*_node_type(kind), key) for kind, key in map(decode_id, global_ids)]
    # All loads are queued before any is awaited: one batch (statement) per kind of node.
    pending = [info.context.loaders.by_id(table).load(key) for table, _, key in found]
    rows = await asyncio.gather(*pending)
    return [
        None if row is None else to_node(row)
        for (_, to_node, _), row in zip(found, rows, strict=True)
    ]


async def by_slug(
    info: Info,
    table: Listing,
    slug: str,
    dataset: str | None,
    to_node: Callable[[Row[Any]], NodeT],
) -> NodeT | None:
    """The record of this kind with this slug (in this dataset), or None."""
    rows = await info.context.db.all(slug_statement(table, slug, dataset))
    row = only_row(rows, slug)
    return None if row is None else to_node(row)


def slug_statement(table: Listing, slug: str, dataset: str | None) -> Select[Any]:
    """The records of this kind with this slug (in this dataset), each with `dataset_name`."""
    statement = (
        select(*table.table.c, DATASET.c.name.label("dataset_name"))
        .join(DATASET, DATASET.c.id == table.table.c.dataset_id)
        .where(table.table.c.slug == slug)
        .order_by(DATASET.c.name)
        .limit(20)
    )
    if dataset is not None:
        statement = statement.where(DATASET.c.name == dataset)
    return statement


def only_row(rows: Sequence[Row[Any]], slug: str) -> Row[Any] | None:
    """The one row a slug lookup found, or None; `AmbiguousSlugError` if it found several."""
    if len(rows) > 1:
        names = ", ".join(row.dataset_name for row in rows)
        raise AmbiguousSlugError(
            f"{slug!r} names a record in several datasets ({names}): pass `dataset` too"
        )
    return rows[0] if rows else None
