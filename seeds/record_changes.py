"""What a reseed changed, record by record: added, changed (which fields, old and new), removed.

A reseed writes only the rows that differ (`seeds.changes`); this watches it do so and says,
before a row is overwritten or deleted, what that means for the records. A record's own row
changing is a change to the fields its columns hold, named as in the seed files through the
record catalogue (`date.precision`, `location.country_code`, `claimant` as a slug, not the
column `claimant_id` and a key); a row of one of its lists (participants, other locations)
appearing, changing or going is a change to that list field, given old and new in full.
Columns computed from others (the country's name, the evidence's character offsets) are not
fields of their own and are left out; search entries are derived and ignored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection, Float, Numeric, Table

from schema.catalogue import RECORD_KINDS, LinkList, RecordKind, Reference, ValueList
from seeds.rows import DatasetRows, Values
from seeds.write import table

__all__ = ["RecordChangeRow", "RecordDiff"]

#: Columns that are not fields of their own: keys, and values computed from other columns.
_NOT_FIELDS = frozenset(
    {"id", "dataset_id", "slug", "evidence_start", "evidence_end", "country", "search_body"}
)
_PROVENANCE = {"source_id": Reference("source", "source_id", "source")}
#: Keys fetched per statement when reading rows back.
_CHUNK = 5_000


@dataclass
class RecordChangeRow:
    """One record's change in a version, as `recordchange` stores it."""

    dataset_id: int
    kind: str
    slug: str
    record_id: int
    change: str
    fields: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Column:
    field: str
    reference: Reference | None = None


def _column_fields(kind: RecordKind) -> dict[str, _Column]:
    """A record kind's columns, each with the field (path) of the seed record it holds."""
    fields: dict[str, _Column] = {column: _Column(name) for name, column in kind.columns.items()}
    for ref in (*kind.references, *(_PROVENANCE.values() if kind.provenance else ())):
        fields[ref.column] = _Column(ref.field, ref)
    for span in kind.spans:
        for part, column in span.columns.items():
            fields[column] = _Column(f"{span.field}.{part}")
    for embedded in kind.embedded:
        for name, column in embedded.columns.items():
            fields[column] = _Column(f"{embedded.field}.{name}")
    return fields


_KINDS_BY_TABLE = {kind.table: kind for kind in RECORD_KINDS.values()}
_FIELDS_BY_TABLE = {kind.table: _column_fields(kind) for kind in RECORD_KINDS.values()}
#: Tables holding a record's list items, with the record kind and the list.
_LISTS: dict[str, tuple[RecordKind, LinkList | ValueList]] = {
    **{link.table: (kind, link) for kind in RECORD_KINDS.values() for link in kind.links},
    **{v.table: (kind, v) for kind in RECORD_KINDS.values() for v in kind.values},
}


class RecordDiff:
    """Told each table's new, updated and vanishing rows before they are written; gives the
    record changes they amount to, per dataset (`changes`)."""

    def __init__(self, datasets: Sequence[DatasetRows]) -> None:
        self._datasets = {d.id: d for d in datasets}
        self._slugs: dict[int, str] = {}
        for dataset in datasets:
            for name in _KINDS_BY_TABLE:
                columns = dataset.columns.get(name)
                if columns:
                    at_id, at_slug = columns.index("id"), columns.index("slug")
                    for row in dataset.tables[name]:
                        self._slugs[row[at_id]] = row[at_slug]
        #: Record changes by record key.
        self._records: dict[int, RecordChangeRow] = {}
        #: Lists that may have changed, (table, owner) -> the owner's dataset key, and their
        #: items as stored before the write.
        self._lists: dict[tuple[str, int], int] = {}
        self._old_lists: dict[tuple[str, int], list[dict[str, Any]]] = {}

    # -- told by the writer -------------------------------------------------------------

    def all_added(self) -> None:
        """Every record of the datasets is new (they were not in the database)."""
        for dataset in self._datasets.values():
            for name, kind in _KINDS_BY_TABLE.items():
                columns = dataset.columns.get(name)
                if columns:
                    self._added(kind, columns, dataset.tables[name])

    def before_write(
        self,
        connection: Connection,
        target: Table,
        columns: Sequence[str],
        new: Sequence[Values],
        updated: Sequence[Values],
        gone: Sequence[tuple[Any, ...]],
    ) -> None:
        """`target` is about to get rows `new`, have rows `updated` rewritten, and later lose
        the rows with primary keys `gone` (all values as the writer holds them)."""
        kind = _KINDS_BY_TABLE.get(target.name)
        if kind is not None:
            self._added(kind, columns, new)
            if updated:
                self._changed(connection, target, kind, columns, updated)
            if gone:
                self._removed(connection, target, kind, gone)
            return
        listed = _LISTS.get(target.name)
        if listed is None:
            return  # the dataset row, search entries
        owner = listed[1].owner
        at_owner, at_dataset = columns.index(owner), columns.index("dataset_id")
        for row in (*new, *updated):
            self._lists[(target.name, row[at_owner])] = row[at_dataset]
        at_key = [c.name for c in target.primary_key.columns].index(owner)
        owners = {row[at_owner] for row in (*new, *updated)} | {key[at_key] for key in gone}
        self._read_old_lists(connection, target, listed[1], owners)

    def changes(self, connection: Connection) -> dict[int, list[RecordChangeRow]]:
        """The record changes, per dataset key, sorted by kind and slug."""
        self._settle_lists(connection)
        by_dataset: dict[int, list[RecordChangeRow]] = defaultdict(list)
        order = {name: i for i, name in enumerate(RECORD_KINDS)}
        for change in self._records.values():
            if change.change != "changed" or change.fields:
                by_dataset[change.dataset_id].append(change)
        for rows in by_dataset.values():
            rows.sort(key=lambda c: (order[c.kind], c.slug))
        return dict(by_dataset)

    # -- records ------------------------------------------------------------------------

    def _added(self, kind: RecordKind, columns: Sequence[str], rows: Iterable[Values]) -> None:
        at_id, at_slug, at_dataset = (columns.index(c) for c in ("id", "slug", "dataset_id"))
        for row in rows:
            self._records[row[at_id]] = RecordChangeRow(
                row[at_dataset], kind.name, row[at_slug], row[at_id], "added"
            )

    def _changed(
        self,
        connection: Connection,
        target: Table,
        kind: RecordKind,
        columns: Sequence[str],
        rows: Sequence[Values],
    ) -> None:
        at_id = columns.index("id")
        old_rows = {
            row[0]: row
            for row in _select(connection, target, columns, "id", [r[at_id] for r in rows])
        }
        fields = _FIELDS_BY_TABLE[target.name]
        plain = [_plainer(target, column) for column in columns]
        for row in rows:
            old = old_rows.get(row[at_id])
            if old is None:
                continue
            changed: list[dict[str, Any]] = []
            for i, column in enumerate(columns):
                if column in _NOT_FIELDS:
                    continue
                before, after = plain[i](old[i]), plain[i](row[i])
                if before == after:
                    continue
                described = fields.get(column, _Column(column))
                if described.reference is not None:
                    before, after = self._slug(before), self._slug(after)
                changed.append({"field": described.field, "old": before, "new": after})
            self._records[row[at_id]] = RecordChangeRow(
                row[columns.index("dataset_id")],
                kind.name,
                row[columns.index("slug")],
                row[at_id],
                "changed",
                changed,
            )

    def _removed(
        self,
        connection: Connection,
        target: Table,
        kind: RecordKind,
        keys: Sequence[tuple[Any, ...]],
    ) -> None:
        columns = ("id", "slug", "dataset_id")
        for key, slug, dataset_id in _select(
            connection, target, columns, "id", [k[0] for k in keys]
        ):
            self._slugs.setdefault(key, slug)
            self._records[key] = RecordChangeRow(dataset_id, kind.name, slug, key, "removed")

    def _slug(self, key: Any) -> Any:
        return None if key is None else self._slugs.get(key, key)

    # -- lists --------------------------------------------------------------------------

    def _read_old_lists(
        self, connection: Connection, target: Table, listed: LinkList | ValueList, owners: set[Any]
    ) -> None:
        columns = [c.name for c in target.columns]
        items: dict[int, list[Values]] = defaultdict(list)
        at_owner, at_dataset = columns.index(listed.owner), columns.index("dataset_id")
        for row in _select(connection, target, columns, listed.owner, list(owners)):
            items[row[at_owner]].append(row)
            self._lists.setdefault((target.name, row[at_owner]), row[at_dataset])
        for owner in owners:
            self._old_lists[(target.name, owner)] = self._items(
                target, columns, listed, items.get(owner, [])
            )

    def _settle_lists(self, connection: Connection) -> None:
        """Turn the lists that changed into changes of their records' list fields."""
        new_items: dict[str, dict[int, list[Values]]] = {}
        for (table_name, owner), dataset_id in sorted(self._lists.items()):
            record = self._records.get(owner)
            if record is not None and record.change in ("added", "removed"):
                continue  # the whole record came or went
            kind, listed = _LISTS[table_name]
            dataset = self._datasets.get(dataset_id)
            if dataset is None or table_name not in dataset.columns:
                rows: list[Values] = []
                columns: Sequence[str] = ()
            else:
                columns = dataset.columns[table_name]
                if table_name not in new_items:
                    at = columns.index(listed.owner)
                    grouped: dict[int, list[Values]] = defaultdict(list)
                    for row in dataset.tables[table_name]:
                        grouped[row[at]].append(row)
                    new_items[table_name] = grouped
                rows = new_items[table_name].get(owner, [])
            old = self._old_lists.get((table_name, owner), [])
            new = self._items(table(table_name), columns, listed, rows) if rows else []
            if old == new:
                continue
            if record is None:
                slug = self._slugs.get(owner)
                if slug is None:
                    continue
                record = self._records[owner] = RecordChangeRow(
                    dataset_id, kind.name, slug, owner, "changed"
                )
            record.fields.append({"field": listed.field, "old": old, "new": new})

    def _items(
        self,
        target: Table,
        columns: Sequence[str],
        listed: LinkList | ValueList,
        rows: Sequence[Values],
    ) -> list[dict[str, Any]]:
        """A list field's items as the seed file gives them (references as slugs)."""
        plain = {column: _plainer(target, column) for column in columns}
        items: list[dict[str, Any]] = []
        if isinstance(listed, ValueList):
            at = columns.index(listed.position)
            for row in sorted(rows, key=lambda r: r[at]):
                values = dict(zip(columns, row, strict=True))
                items.append({name: plain[c](values[c]) for name, c in listed.columns.items()})
            return items
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            item: dict[str, Any] = {
                listed.target.field or "id": self._slug(values[listed.target.column])
            }
            item.update({name: plain[c](values[c]) for name, c in listed.columns.items()})
            item.update({ref.field: self._slug(values[ref.column]) for ref in listed.references})
            items.append(item)
        items.sort(key=lambda i: orjson.dumps(i, option=orjson.OPT_SORT_KEYS))
        return items


def _plainer(target: Table, column: str) -> Any:
    """A function of a column's value, read back or as written: a JSON-ready value, the
    same either way (dates as ISO text, JSON text parsed, whole floats as floats)."""
    kind = target.c[column].type
    if isinstance(kind, JSON):
        return lambda v: orjson.loads(v) if isinstance(v, str | bytes) else v
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(kind, Float | Numeric):
        return lambda v: None if v is None else float(v)
    return _plain_value


def _plain_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _select(
    connection: Connection, target: Table, columns: Sequence[str], by: str, keys: list[Any]
) -> list[tuple[Any, ...]]:
    """Rows of `target` (the values of `columns`) whose `by` is one of `keys`."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quoted = ", ".join(f'"{column}"' for column in columns)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join([mark] * len(chunk))
        statement = f'SELECT {quoted} FROM "{target.name}" WHERE "{by}" IN ({marks})'
        found.extend(tuple(row) for row in connection.exec_driver_sql(statement, tuple(chunk)))
    return found
