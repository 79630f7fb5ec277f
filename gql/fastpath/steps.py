"""Arguments to statements: what each list or lookup field runs, built as its resolver builds it.

Every function here mirrors one resolver of `gql.types.query` / `gql.types.list_fields` /
`gql.types.lookups` and
calls the same code: `to_json_filter` and `scope_condition` for filters and search,
`Listing.ordering` and `sort_request` for `orderBy`, `PageRequest.parse` for the page and its
limits, and the shared statement builders. Invalid arguments raise the same errors the
resolvers raise, which sends the request to the general executor to report them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.sql.elements import ColumnElement

from gql.data.connections import (
    Outer,
    PageRequest,
    nested_page_statement,
    outer_page,
    page_statement,
)
from gql.data.cursors import Ordering
from gql.data.database import Database
from gql.data.listing import Listing, Relation
from gql.data.loaders import count_statement, list_statement
from gql.fastpath.declines import Unservable
from gql.fastpath.fetch import Lookup, batch_keys
from gql.fastpath.values import Step
from gql.settings import Settings
from gql.types.list_fields import list_size, scope_condition, total_statement
from gql.types.lookups import slug_statement
from gql.types.node import decode_id
from gql.types.operator_inputs import to_json_filter
from gql.types.ordering import sort_request
from schema.core import DATASET

Kwargs = dict[str, Any]
Selected = Sequence[ColumnElement[Any]]


def _page(listing: Listing, kwargs: Kwargs, settings: Settings) -> tuple[Any, PageRequest]:
    ordering = listing.ordering(sort_request(kwargs.get("order_by")), kwargs.get("search"))
    page = PageRequest.parse(
        ordering,
        first=kwargs.get("first"),
        after=kwargs.get("after"),
        last=kwargs.get("last"),
        before=kwargs.get("before"),
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
    )
    return ordering, page


def root_page(
    listing: Listing,
    settings: Settings,
    columns: Selected,
    finish: Callable[[Select[Any]], Select[Any]],
    outer: Outer | None = None,
) -> Callable[[Kwargs, Database], Step]:
    """A root connection (`Query.events`, ...): its page (of `columns`, the statement passed
    through `finish` to join to-one records in, and its rows read through `outer` if given)
    and its total count."""

    def prepare(kwargs: Kwargs, db: Database) -> Step:
        condition, _ = scope_condition(
            db.dialect, listing, to_json_filter(kwargs.get("filter")), kwargs.get("search")
        )
        ordering, page = _page(listing, kwargs, settings)
        statement = finish(page_statement(listing, condition, ordering, page, columns))
        if outer is not None:
            statement = outer_page(statement, ordering, page, outer)
        return Step(
            page,
            ordering,
            statement,
            total_statement(listing, condition),
            sort_from=len(columns),
        )

    return prepare


def root_json(
    listing: Listing,
    settings: Settings,
    nodes: Callable[[Database, Select[Any], Ordering, PageRequest], Select[Any]],
) -> Callable[[Kwargs, Database], Step]:
    """A root connection whose `nodes` the database writes as JSON: `nodes` makes the
    statement from the page (all columns and the sort values, as a statement), and its total
    count."""

    def prepare(kwargs: Kwargs, db: Database) -> Step:
        condition, _ = scope_condition(
            db.dialect, listing, to_json_filter(kwargs.get("filter")), kwargs.get("search")
        )
        ordering, page = _page(listing, kwargs, settings)
        if page.backwards:
            raise Unservable("a page from the end: rows, not JSON")
        statement = nodes(db, page_statement(listing, condition, ordering, page), ordering, page)
        return Step(page, ordering, statement, total_statement(listing, condition), sort_from=0)

    return prepare


def nested_parts(
    relation: Relation, settings: Settings
) -> Callable[[Kwargs, Database], tuple[ColumnElement[bool], Ordering, PageRequest]]:
    """A nested connection's filter condition, ordering and page, as its resolver reads them."""
    listing = relation.listing

    def prepare(kwargs: Kwargs, db: Database) -> tuple[ColumnElement[bool], Ordering, PageRequest]:
        condition, _ = scope_condition(
            db.dialect, listing, to_json_filter(kwargs.get("filter")), None
        )
        ordering, page = _page(listing, kwargs, settings)
        return condition, ordering, page

    return prepare


def nested_page(
    relation: Relation, settings: Settings, columns: Selected, outer: Outer | None = None
) -> Callable[[Kwargs, Database], Step]:
    """A nested connection (`Event.figures`, ...): one page (of `columns`, read through
    `outer` if given) per parent, and counts per parent."""
    parts = nested_parts(relation, settings)

    def prepare(kwargs: Kwargs, db: Database) -> Step:
        condition, ordering, page = parts(kwargs, db)
        statement = nested_page_statement(
            db, relation, condition, ordering, page, batch_keys, columns, outer
        )
        return Step(
            page,
            ordering,
            statement,
            count_statement(db, relation, condition, batch_keys),
            sort_from=len(columns),
        )

    return prepare


def list_limit(settings: Settings) -> Callable[[Kwargs, Database], int]:
    """A plain list's size (`Event.participants`, ...), as `gql.types.list_fields.related_list`
    reads it.
    """

    def prepare(kwargs: Kwargs, db: Database) -> int:
        return list_size(settings, kwargs.get("first"))

    return prepare


def related_list(
    relation: Relation,
    settings: Settings,
    columns: Selected,
    finish: Callable[[Select[Any]], Select[Any]],
    outer: Outer | None = None,
) -> Callable[[Kwargs, Database], Select[Any]]:
    """A plain list (`Event.participants`, ...): the first `first` rows per parent (of
    `columns`, the statement passed through `finish` to join to-one records in, and its rows
    read through `outer` if given)."""
    size = list_limit(settings)

    def prepare(kwargs: Kwargs, db: Database) -> Select[Any]:
        limit = size(kwargs, db)
        return list_statement(
            db, relation, batch_keys, columns, limit=limit, finish=finish, outer=outer
        )

    return prepare


def by_slug(listing: Listing) -> Callable[[Kwargs, Database], Lookup]:
    """`Query.event(slug:, dataset:)` and the other lookups by slug."""

    def prepare(kwargs: Kwargs, db: Database) -> Lookup:
        slug: str = kwargs["slug"]
        return Lookup(slug_statement(listing, slug, kwargs.get("dataset")), slug=slug)

    return prepare


def dataset_by_name(kwargs: Kwargs, db: Database) -> Lookup:
    """`Query.dataset(name:)`, as `gql.types.query` selects it."""
    return Lookup(select(DATASET).where(DATASET.c.name == kwargs["name"]))


def all_datasets(kwargs: Kwargs, db: Database) -> Lookup:
    """`Query.datasets`, as `gql.types.query` selects it."""
    return Lookup(select(DATASET).order_by(DATASET.c.name), many=True)


def node_id(kwargs: Kwargs, db: Database) -> list[tuple[str, int]]:
    """`Query.node(id:)`: the kind and key of the ID (`InvalidIdError` if it is none)."""
    return [decode_id(kwargs["id"])]


def node_ids(settings: Settings) -> Callable[[Kwargs, Database], list[tuple[str, int]]]:
    """`Query.nodes(ids:)`: kinds and keys, at most `max_page_size` of them."""

    def prepare(kwargs: Kwargs, db: Database) -> list[tuple[str, int]]:
        ids: list[str] = kwargs["ids"]
        if len(ids) > settings.max_page_size:
            raise Unservable("over the page size limit: the general executor reports it")
        return [decode_id(global_id) for global_id in ids]

    return prepare
