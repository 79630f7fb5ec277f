"""Database rows back into seed records: the inverse of the loader's `seeds.rows`.

Both follow `schema.catalogue`: keys become slugs again (by joining the referenced rows),
column groups become date spans and value objects, link-table rows become list items, and
each record is rebuilt through its pydantic model, so what comes out is a record `eventql
seed` accepts. Lists the database does not order (an event's participants and links, a
statement's subjects) come out sorted by the fields the catalogue names. A one-day span is
written as `start` alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Select, Table, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from schema import catalogue
from schema.catalogue import LinkList, RecordKind, ValueList
from schema.enums import DatePrecision
from seeds.exporters.scope import BATCH_SIZE

Where = ColumnElement[bool]
Record = BaseModel

_TABLES = SQLModel.metadata.tables


def span(values: dict[str, Any]) -> dict[str, Any] | None:
    """A `DateSpan` as data (from its columns' values by field), or None without a start."""
    start, end = values["start"], values["end"]
    if start is None:
        return None
    if values["precision"] == DatePrecision.BEFORE.value:  # the start is not known
        return {**values, "start": None, "end": end}
    return {
        **values,
        "end": end if end is not None and end != start else None,
        "precision": values["precision"] or "day",
    }


def _batches(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Any]]:
    result = connection.execute(query, execution_options={"stream_results": True})
    yield from result.partitions(BATCH_SIZE)


def _table(kind: str) -> Table:
    return _TABLES[catalogue.RECORD_KINDS[kind].table]


def records(kind: RecordKind, connection: Connection, where: Where) -> Iterator[list[Record]]:
    """The records of `kind` whose rows match `where` (on the kind's table), by slug."""
    table = _TABLES[kind.table]
    columns: list[Any] = [table]
    query_from: Any = table
    for name, ref in _joined(kind):
        target = aliased(_table(ref.kind))
        columns.append(target.c.slug.label(f"{name}__slug"))
        query_from = query_from.outerjoin(target, target.c.id == table.c[ref.column])
    query = (
        select(*columns)
        .select_from(query_from)
        .where(where)
        .order_by(table.c.dataset_id, table.c.slug)
    )
    for batch in _batches(connection, query):
        ids = [row.id for row in batch]
        lists = {link.field: _items(connection, link, ids) for link in kind.links}
        lists.update({values.field: _values(connection, values, ids) for values in kind.values})
        yield [kind.model.model_validate(_fields(kind, row._mapping, lists)) for row in batch]


def _joined(kind: RecordKind) -> Iterator[tuple[str, catalogue.Reference]]:
    """The references whose slugs a record's row is joined for (its source's first)."""
    if kind.provenance:
        yield "source", catalogue.Reference("source", "source_id", "source")
    for ref in kind.references:
        yield ref.field, ref


def _fields(kind: RecordKind, row: Any, lists: dict[str, dict[int, list[Any]]]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row["slug"]}
    if kind.provenance:
        data.update(evidence=row["evidence"], locator=row["locator"])
    for name, _ in _joined(kind):
        data[name] = row[f"{name}__slug"]
    for name, column in kind.columns.items():
        data[name] = row[column]
    for date in kind.spans:
        data[date.field] = span({name: row[column] for name, column in date.columns.items()})
    for embedded in kind.embedded:
        first = next(iter(embedded.columns.values()))
        data[embedded.field] = (
            None
            if row[first] is None
            else {name: row[column] for name, column in embedded.columns.items()}
        )
    for link in kind.links:
        items = lists[link.field].get(row["id"], [])
        if link.symmetric:  # stored both ways; written once, on the record that sorts first
            items = [item for item in items if row["slug"] < item]
        data[link.field] = items
    for values in kind.values:
        data[values.field] = lists[values.field].get(row["id"], [])
    return data


def _values(connection: Connection, values: ValueList, ids: list[int]) -> dict[int, list[Any]]:
    """The value objects of one value list for each owner in `ids`, in list order."""
    table = _TABLES[values.table]
    query = (
        select(
            table.c[values.owner].label("owner"),
            *(table.c[column].label(name) for name, column in values.columns.items()),
        )
        .where(table.c[values.owner].in_(ids))
        .order_by(table.c[values.owner], table.c[values.position])
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        item = dict(row._mapping)
        found[item.pop("owner")].append(item)
    return found


def _items(connection: Connection, link: LinkList, ids: list[int]) -> dict[int, list[Any]]:
    """The items of one link list for each owner in `ids`, in the catalogue's order."""
    table, ref = _TABLES[link.table], link.target
    target = aliased(_table(ref.kind))
    # A list of plain slugs has no item field: its slug goes by the name "slug".
    slug = ref.field or "slug"
    by_field: dict[str, ColumnElement[Any]] = {
        name: table.c[column] for name, column in link.columns.items()
    }
    by_field[slug] = target.c.slug
    named = {item_ref.field: aliased(_table(item_ref.kind)) for item_ref in link.references}
    by_field.update({name: named_table.c.slug for name, named_table in named.items()})
    query = (
        select(table.c[link.owner].label("owner"), *(c.label(n) for n, c in by_field.items()))
        .join(target, target.c.id == table.c[ref.column])
        .where(table.c[link.owner].in_(ids))
        .order_by(table.c[link.owner], *(by_field[name or slug] for name in link.order))
    )
    for item_ref in link.references:  # who claims the item, when someone does
        named_table = named[item_ref.field]
        query = query.outerjoin(named_table, named_table.c.id == table.c[item_ref.column])
    found: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        values = row._mapping
        item = {name: values[name] for name in by_field} if ref.field else values[slug]
        found[values["owner"]].append(item)
    return found


def source_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Source records matching `where` (on the `source` table), by slug."""
    return records(catalogue.SOURCE, connection, where)


def actor_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Actor records matching `where` (on the `actor` table), by slug."""
    return records(catalogue.ACTOR, connection, where)


def event_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Event records matching `where` (on the `event` table), with links and participants."""
    return records(catalogue.EVENT, connection, where)


def statement_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Statement records matching `where` (on the `statement` table), with their subjects."""
    return records(catalogue.STATEMENT, connection, where)


def figure_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Figure records matching `where` (on the `figure` table), by slug."""
    return records(catalogue.FIGURE, connection, where)
