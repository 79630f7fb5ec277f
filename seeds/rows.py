"""Turning a validated dataset into table rows, in an order the foreign keys accept.

Rows are tuples of values in their table's column order, ready for the driver's
`executemany` or PostgreSQL `COPY`. Keys come from `schema.ids.record_id`, and rows are
ordered by key, so the same records always give the same rows, whichever files or folders
they were read from. The dataset's `content_hash` is the hash of exactly these rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Any

import orjson

from schema.catalogue import DATASET_COLUMNS, RECORD_KINDS, LinkList, RecordKind, Span, ValueList
from schema.ids import dataset_id, record_id
from seeds.provenance import country_name
from seeds.seedset import DatasetSeed, Placed

#: Tables in the order rows are inserted: every row's references are already there (link
#: tables last: their items may name a record of any kind, such as a claimant's statement).
TABLE_ORDER = (
    "dataset",
    *(kind.table for kind in RECORD_KINDS.values()),
    *(link.table for kind in RECORD_KINDS.values() for link in kind.links),
    *(value.table for kind in RECORD_KINDS.values() for value in kind.values),
    "searchentry",
)

#: A row while it is built: values by column.
Row = dict[str, Any]
#: A row as it is kept and written: its table's `columns`, in order (a third of a dict's
#: memory, which is what a load of millions of rows holds at its peak).
Values = tuple[Any, ...]

#: Rows hashed per `orjson.dumps` call: the hash never needs the whole dataset serialized.
_HASH_CHUNK = 10_000


@dataclass
class DatasetRows:
    """Every row of one dataset, by table, and the hash of their content."""

    name: str
    id: int
    #: Each table's columns (tables without rows are left out), the order of `tables`' values.
    columns: dict[str, tuple[str, ...]]
    tables: dict[str, list[Values]]
    content_hash: str

    @property
    def row_count(self) -> int:
        """Rows over all tables."""
        return sum(len(rows) for rows in self.tables.values())


def dataset_rows(dataset: DatasetSeed) -> DatasetRows:
    """All rows for `dataset`, ordered for insertion, with its content hash filled in."""
    builder = _Builder(dataset)
    tables = builder.build()
    columns = builder.columns
    digest = hashlib.sha256()
    for name, rows in tables.items():
        digest.update(orjson.dumps([name, columns.get(name, ())]))
        for start in range(0, len(rows), _HASH_CHUNK):
            digest.update(orjson.dumps(rows[start : start + _HASH_CHUNK]))
    content_hash = digest.hexdigest()
    dataset_row = tables["dataset"][0]
    at = columns["dataset"].index("content_hash")
    tables["dataset"][0] = (*dataset_row[:at], content_hash, *dataset_row[at + 1 :])
    return DatasetRows(dataset.name, builder.dataset_id, columns, tables, content_hash)


#: Types a column holds as they are: `_plain` returns these unchanged (checked by exact type
#: first, since an enum may subclass `str`).
_AS_IS = frozenset({str, int, float, bool, type(None), dt.date})


def _plain(value: Any) -> Any:
    """A field's value as a column holds it: enums as their values, containers copied."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def _getter(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function of an object: the tuple of its attributes `names` (one C call for all)."""
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


@dataclass(frozen=True)
class _Plan:
    """How a record kind's row is read off its record, worked out once per kind: rows are
    built by the hundred thousand, and reading the catalogue for each cost a third of it."""

    columns: tuple[str, ...]
    read_columns: Callable[[Any], tuple[Any, ...]]
    references: tuple[tuple[str, str], ...]
    read_references: Callable[[Any], tuple[Any, ...]]
    spans: tuple[tuple[Span, str, tuple[str, ...], Callable[[Any], tuple[Any, ...]]], ...]
    embedded: tuple[tuple[str, tuple[str, ...], Callable[[Any], tuple[Any, ...]]], ...]

    @classmethod
    def of(cls, kind: RecordKind) -> _Plan:
        """The plan of `kind`'s rows."""
        spans = tuple(
            (span, span.field, tuple(span.columns.values()), _getter(list(span.columns)))
            for span in kind.spans
        )
        embedded = tuple(
            (e.field, tuple(e.columns.values()), _getter(list(e.columns))) for e in kind.embedded
        )
        return cls(
            columns=tuple(kind.columns.values()),
            read_columns=_getter(list(kind.columns)),
            references=tuple((ref.column, ref.kind) for ref in kind.references),
            read_references=_getter([ref.field for ref in kind.references]),
            spans=spans,
            embedded=embedded,
        )


def _put(row: Row, columns: tuple[str, ...], values: tuple[Any, ...]) -> None:
    """Set `columns` of `row` to `values`, as `_plain` gives them."""
    for column, value in zip(columns, values, strict=True):
        row[column] = value if type(value) in _AS_IS else _plain(value)


def _search_body(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def _chain_depths(records: dict[str, Placed[Any]], fields: tuple[str, ...]) -> dict[str, int]:
    """How many steps (along any of `fields`) each record is from records that name none:
    writing in this order puts every record after those it refers to."""
    depths: dict[str, int] = {}

    def depth(slug: str, path: frozenset[str]) -> int:
        if slug not in depths:
            record = records[slug].record
            above = [getattr(record, field) for field in fields]
            steps = [depth(s, path | {s}) + 1 for s in above if s in records and s not in path]
            depths[slug] = max(steps, default=0)  # a cycle (a seed problem) stops here
        return depths[slug]

    for slug in records:
        depth(slug, frozenset({slug}))
    return depths


#: Tables with a location's columns: their `country` is computed when a row is built, the
#: name of the country in `country_code`.
_COUNTRY_NAMED = frozenset({"event", "eventlocation"})


def _name_country(table: str, row: Row) -> None:
    if table in _COUNTRY_NAMED:
        code = row["country_code"]
        row["country"] = country_name(code) if code is not None else None


#: Link tables of relations that hold both ways (stored both ways, once each).
_SYMMETRIC = {link.table for kind in RECORD_KINDS.values() for link in kind.links if link.symmetric}
#: The primary key of each link table and value-list table, which its rows are sorted by.
_LINK_KEYS = {
    **{link.table: link.key for kind in RECORD_KINDS.values() for link in kind.links},
    **{v.table: (v.owner, v.position) for kind in RECORD_KINDS.values() for v in kind.values},
}
#: Fields that chain records of one kind (an actor's parent, a figure's part_of and
#: estimate_of): the records they name are written first.
_CHAINS = {
    kind.name: chain
    for kind in RECORD_KINDS.values()
    if (chain := tuple(ref.field for ref in kind.references if ref.kind == kind.name))
}


class _Builder:
    def __init__(self, dataset: DatasetSeed) -> None:
        self.dataset = dataset
        self.name = dataset.name
        self.dataset_id = dataset_id(dataset.name)
        self.tables: dict[str, list[Values]] = {table: [] for table in TABLE_ORDER}
        self.columns: dict[str, tuple[str, ...]] = {}
        self.keys: dict[tuple[str, str], int] = {}
        self.plans: dict[str, _Plan] = {}

    def key(self, kind: str, slug: str | None) -> int | None:
        if slug is None:
            return None
        # Hashing is the costliest step per row; the same actor is named by many rows.
        key = self.keys.get((kind, slug))
        if key is None:
            key = self.keys[(kind, slug)] = record_id(self.name, kind, slug)
        return key

    def source_of(self, placed: Placed[Any]) -> Any:
        """The source record a record was read from, if any (its headline is searched)."""
        found = self.dataset.of_kind("source").get(placed.source) if placed.source else None
        return None if found is None else found.record

    def add(self, table: str, row: Row) -> None:
        """Keep `row` of `table` as its values (every row of a table has the same columns)."""
        if table not in self.columns:
            self.columns[table] = tuple(row)
        self.tables[table].append(tuple(row.values()))

    def build(self) -> dict[str, list[Values]]:
        info = self.dataset.info
        self.add(
            "dataset",
            {
                "id": self.dataset_id,
                **{column: getattr(info, name) for name, column in DATASET_COLUMNS.items()},
                "content_hash": "",
            },
        )
        for kind in RECORD_KINDS.values():
            for placed in self.dataset.of_kind(kind.name).values():
                self.record(kind, placed)
        self.sort()
        return self.tables

    def sort(self) -> None:
        """Put rows in primary-key order (parents first where a table refers to itself).

        The order makes the rows, and so the content hash, independent of file order, and
        inserting in key order keeps B-tree and full-text index writes sequential.
        """
        depths = {
            name: _chain_depths(self.dataset.of_kind(name), fields)
            for name, fields in _CHAINS.items()
        }
        for name, rows in self.tables.items():
            if not rows:
                continue
            at = self.columns[name].index
            if name in _LINK_KEYS:
                key = itemgetter(*(at(column) for column in _LINK_KEYS[name]))
                if name in _SYMMETRIC:  # listed on both records: one row each way
                    rows[:] = list({key(row): row for row in rows}.values())
                rows.sort(key=key)
            elif name in depths:
                depth, slug, id_ = depths[name], at("slug"), at("id")
                rows.sort(key=lambda row: (depth[row[slug]], row[id_]))
            else:
                rows.sort(key=itemgetter(at("id")))

    def record(self, kind: RecordKind, placed: Placed[Any]) -> None:
        """The record's row, the rows of its link lists, and its search entry."""
        record = placed.record
        key = self.key(kind.name, record.id)
        row: Row = {"id": key, "dataset_id": self.dataset_id, "slug": record.id}
        if kind.provenance:
            start, end = placed.span if placed.span else (None, None)
            row.update(
                source_id=self.key("source", placed.source),
                evidence=record.evidence,
                evidence_start=start,
                evidence_end=end,
                locator=record.locator,
            )
        plan = self.plans.get(kind.name)
        if plan is None:
            plan = self.plans[kind.name] = _Plan.of(kind)
        _put(row, plan.columns, plan.read_columns(record))
        for (column, target), slug in zip(
            plan.references, plan.read_references(record), strict=True
        ):
            row[column] = self.key(target, slug)
        for span, field, columns, read in plan.spans:
            value = getattr(record, field)
            if value is None:
                row.update(dict.fromkeys(columns))
            else:
                _put(row, columns, read(value))
                row[span.end] = value.last  # stored even for one day: ranges compare without NULLs
        for field, columns, read in plan.embedded:
            value = getattr(record, field)
            if value is None:
                row.update(dict.fromkeys(columns))
            else:
                _put(row, columns, read(value))
        _name_country(kind.table, row)
        self.add(kind.table, row)
        for link in kind.links:
            self.link_rows(link, key, getattr(record, link.field))
        for values in kind.values:
            self.value_rows(values, key, getattr(record, values.field))
        self.add(
            "searchentry",
            {
                "id": key,
                "dataset_id": self.dataset_id,
                "kind": kind.name,
                "body": _search_body(*kind.search_text(record, self.source_of(placed))),
            },
        )

    def value_rows(self, values: ValueList, owner: int | None, items: list[Any]) -> None:
        for position, item in enumerate(items):
            row: Row = {
                values.owner: owner,
                values.position: position,
                **{column: _plain(getattr(item, name)) for name, column in values.columns.items()},
                "dataset_id": self.dataset_id,
            }
            _name_country(values.table, row)
            self.add(values.table, row)

    def link_rows(self, link: LinkList, owner: int | None, items: list[Any]) -> None:
        target = link.target
        for item in items:
            slug = getattr(item, target.field) if target.field else item
            row: Row = {
                link.owner: owner,
                target.column: self.key(target.kind, slug),
                **{column: _plain(getattr(item, name)) for name, column in link.columns.items()},
                **{
                    ref.column: self.key(ref.kind, getattr(item, ref.field))
                    for ref in link.references
                },
                "dataset_id": self.dataset_id,
            }
            self.add(link.table, row)
            if link.symmetric:  # and the other way round
                row = {**row, link.owner: row[target.column], target.column: owner}
                self.add(link.table, row)
