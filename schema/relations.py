"""The relation catalogue: every way from one record kind to another, read off `schema.catalogue`.

A relation is a chain of key lookups (`Path.hops`), each a pair (column on the near side, column
on the far side). They are all derived from what the catalogue already declares — a reference
(`Refers` field, stored in `<field>_id`) or a list kept in a link table (`LinkList`) — walked
forwards or backwards, so a link table is described once and filters (`schema.filter_keys`)
and listings (`gql.data.listing`) take their joins from here:

- `reference("figure", "claimant")`: figure.claimant_id → actor.id, and `provenance(kind)`:
  the source a record was read from;
- `referred_by("figure", "event")`: event.id → figure.event_id (an event's figures);
- `through("statement", "about_events")`: statement → statementevent → event, and
  `back_through` the other way (the statements about an event);
- `link_rows`, `back_rows`, `link_owner`, `link_target`: to and from the link table's own rows
  (an event's participations, a participation's actor);
- `value_rows("event", "other_locations")`: the rows of a list of value objects
  (`ValueList`), an event's further locations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table
from sqlmodel import SQLModel

from schema.catalogue import RECORD_KINDS, LinkList, Reference, ValueList

Hop = tuple[Column[Any], Column[Any]]


@dataclass(frozen=True)
class Path:
    """Key lookups from a record to records of `target` (a record kind or a link table's
    filter entity: `participation`, `eventLink`)."""

    target: str
    hops: tuple[Hop, ...]


#: The filter entity of a link table's rows, where it has one.
LINK_ENTITIES = {
    "participation": "participation",
    "eventlink": "eventLink",
    "eventlocation": "location",
}


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _reference(kind: str, field: str) -> Reference:
    for reference in RECORD_KINDS[kind].references:
        if reference.field == field:
            return reference
    raise KeyError(f"{kind} has no reference {field!r} in schema.catalogue")


def _values(kind: str, field: str) -> ValueList:
    for values in RECORD_KINDS[kind].values:
        if values.field == field:
            return values
    raise KeyError(f"{kind} has no value list {field!r} in schema.catalogue")


def _link(kind: str, field: str) -> LinkList:
    for link in RECORD_KINDS[kind].links:
        if link.field == field:
            return link
    raise KeyError(f"{kind} has no link list {field!r} in schema.catalogue")


def _id(kind: str) -> Column[Any]:
    return _table(RECORD_KINDS[kind].table).c.id


def reference(kind: str, field: str) -> Path:
    """The record a reference of `kind` names: `kind.<field>_id` → target.id."""
    ref = _reference(kind, field)
    return Path(ref.kind, ((_table(RECORD_KINDS[kind].table).c[ref.column], _id(ref.kind)),))


def provenance(kind: str) -> Path:
    """The source a record of `kind` was read from (every kind with provenance)."""
    if not RECORD_KINDS[kind].provenance:
        raise KeyError(f"{kind} records carry no source in schema.catalogue")
    return Path("source", ((_table(RECORD_KINDS[kind].table).c.source_id, _id("source")),))


def referred_by(kind: str, field: str) -> Path:
    """The records of `kind` whose reference `field` names the record: target.id → kind."""
    ref = _reference(kind, field)
    return Path(kind, ((_id(ref.kind), _table(RECORD_KINDS[kind].table).c[ref.column]),))


def _link_columns(kind: str, field: str) -> tuple[Column[Any], Column[Any], str]:
    """The link table's owner and target columns, and the kind the target column names."""
    link = _link(kind, field)
    table = _table(link.table)
    return table.c[link.owner], table.c[link.target.column], link.target.kind


def link_entity(kind: str, field: str) -> str:
    """The filter entity of the rows of a link list's table."""
    return LINK_ENTITIES[_link(kind, field).table]


def through(kind: str, field: str) -> Path:
    """The records a link list of `kind` names, through its link table."""
    owner, target, target_kind = _link_columns(kind, field)
    return Path(target_kind, ((_id(kind), owner), (target, _id(target_kind))))


def back_through(kind: str, field: str) -> Path:
    """The records of `kind` whose link list names the record, through the link table."""
    owner, target, target_kind = _link_columns(kind, field)
    return Path(kind, ((_id(target_kind), target), (owner, _id(kind))))


def link_rows(kind: str, field: str) -> Path:
    """The link table's rows of a record of `kind` (an event's participations)."""
    owner, _, _ = _link_columns(kind, field)
    return Path(link_entity(kind, field), ((_id(kind), owner),))


def value_rows(kind: str, field: str) -> Path:
    """The rows of a value list of a record of `kind` (an event's further locations)."""
    values = _values(kind, field)
    owner = _table(values.table).c[values.owner]
    return Path(LINK_ENTITIES[values.table], ((_id(kind), owner),))


def back_rows(kind: str, field: str) -> Path:
    """The link table's rows naming the record (an actor's participations)."""
    _, target, target_kind = _link_columns(kind, field)
    return Path(link_entity(kind, field), ((_id(target_kind), target),))


def link_owner(kind: str, field: str) -> Path:
    """From a link table's row to the record of `kind` that owns it."""
    owner, _, _ = _link_columns(kind, field)
    return Path(kind, ((owner, _id(kind)),))


def link_target(kind: str, field: str) -> Path:
    """From a link table's row to the record it names."""
    _, target, target_kind = _link_columns(kind, field)
    return Path(target_kind, ((target, _id(target_kind)),))
