"""JSONL export of full records, one seed record per line, in a form `eventql seed` reads back.

Every line is itself a small seed file: `{"dataset": "ucdp-ged-19.1", "events": [{...}]}`. A
dataset's first line carries its metadata (`{"dataset": {"name": ..., "licence": ...}}`), then
come its sources, actors, events, statements and figures. Seeding the file recreates exactly
the rows it was exported from (same keys, same content hash).

Without a filter, whole datasets are exported. With one, the selected events come with
everything needed to seed them on their own: the events they link to, the statements about
them and the figures about them or those statements (and the events those name in turn, until
nothing new is found), the figures those are part of, every actor they name (and the actors'
parents), and every source they cite. Only IDs are collected for that; records are streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Table, select

from schema.core import (
    ACTOR,
    EVENT,
    EVENT_LINK,
    FIGURE,
    PARTICIPATION,
    SOURCE,
    STATEMENT,
    STATEMENT_ACTOR,
    STATEMENT_EVENT,
)
from seeds.exporters.guard import ExportGuard
from seeds.exporters.records import (
    Record,
    Where,
    actor_records,
    event_records,
    figure_records,
    source_records,
    statement_records,
)
from seeds.exporters.scope import BATCH_SIZE, Selection, dataset_rows, reading

Reader = Callable[[Connection, Where], Iterator[list[Record]]]

#: Record kinds in the order they are written, with their list key, reader and table.
KINDS: tuple[tuple[str, str, Reader, Table], ...] = (
    ("source", "sources", source_records, SOURCE),
    ("actor", "actors", actor_records, ACTOR),
    ("event", "events", event_records, EVENT),
    ("statement", "statements", statement_records, STATEMENT),
    ("figure", "figures", figure_records, FIGURE),
)
_DATASET_FIELDS = ("name", "title", "description", "licence", "citation", "url")

#: Record IDs by kind, each with its dataset's ID.
Scope = dict[str, dict[int, int]]


def jsonl_chunks(
    engine: Engine, selection: Selection, guard: ExportGuard | None = None
) -> Iterator[bytes]:
    """The selected records as JSON lines (see the module docstring)."""
    condition = selection.event_condition()
    with reading(engine, guard) as connection:
        datasets = dataset_rows(connection, selection.datasets)
        scope = _closure(connection, condition) if selection.filter else None
        for dataset in datasets:
            if scope is not None and not any(dataset.id in ids.values() for ids in scope.values()):
                continue
            info = {name: getattr(dataset, name) for name in _DATASET_FIELDS}
            yield _line({"dataset": {k: v for k, v in info.items() if v is not None}})
            for kind, key, reader, table in KINDS:
                for where in _wheres(table, dataset.id, None if scope is None else scope[kind]):
                    for batch in reader(connection, where):
                        yield b"".join(_line({"dataset": dataset.name, key: [r]}) for r in batch)


def _line(data: dict[str, Any]) -> bytes:
    return orjson.dumps(_dump(data)) + b"\n"


def _dump(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [
            item.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
            if hasattr(item, "model_dump")
            else item
            for item in value
        ]
    return value


def _wheres(table: Table, dataset_id: int, ids: dict[int, int] | None) -> Iterator[Where]:
    if ids is None:
        yield table.c.dataset_id == dataset_id
        return
    mine = sorted(key for key, owner in ids.items() if owner == dataset_id)
    for start in range(0, len(mine), BATCH_SIZE):
        yield table.c.id.in_(mine[start : start + BATCH_SIZE])


def _closure(connection: Connection, condition: Where) -> Scope:
    """The IDs of every record a filtered export needs (see the module docstring)."""
    scope: Scope = {kind: {} for kind, *_ in KINDS}
    rows = connection.execute(select(EVENT.c.id, EVENT.c.dataset_id).where(condition))
    pending = {"event": _add(scope["event"], rows), "statement": set(), "figure": set()}
    while any(pending.values()):
        events, statements, figures = pending["event"], pending["statement"], pending["figure"]
        link, about = EVENT_LINK.c, STATEMENT_EVENT.c
        found_events = _ids(connection, link.target_id, link.event_id, events, EVENT)
        found_events |= _ids(connection, about.event_id, about.statement_id, statements, EVENT)
        found_events |= _ids(connection, FIGURE.c.event_id, FIGURE.c.id, figures, EVENT)
        found_statements = _ids(connection, about.statement_id, about.event_id, events, STATEMENT)
        found_statements |= _ids(connection, FIGURE.c.statement_id, FIGURE.c.id, figures, STATEMENT)
        found_figures = _ids(connection, FIGURE.c.id, FIGURE.c.event_id, events, FIGURE)
        found_figures |= _ids(connection, FIGURE.c.id, FIGURE.c.statement_id, statements, FIGURE)
        found_figures |= _ids(connection, FIGURE.c.part_of_id, FIGURE.c.id, figures, FIGURE)
        pending = {
            "event": _add(scope["event"], found_events),
            "statement": _add(scope["statement"], found_statements),
            "figure": _add(scope["figure"], found_figures),
        }
    _add_actors(connection, scope)
    _add_sources(connection, scope)
    return scope


def _add(known: dict[int, int], found: Iterable[Any]) -> set[int]:
    """Add (id, dataset_id) pairs to `known`; return the IDs that were new."""
    new = set()
    for key, dataset_id in found:
        if key is not None and key not in known:
            known[key] = dataset_id
            new.add(key)
    return new


def _ids(
    connection: Connection, wanted: Any, by: Any, keys: set[int], target: Table
) -> set[tuple[int, int]]:
    """(id, dataset_id) of the `target` rows whose ID is `wanted` where `by` is in `keys`."""
    found: set[tuple[int, int]] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), BATCH_SIZE):
        chunk = ordered[start : start + BATCH_SIZE]
        query = select(target.c.id, target.c.dataset_id).where(
            target.c.id.in_(select(wanted).where(by.in_(chunk), wanted.is_not(None)))
        )
        found.update((row.id, row.dataset_id) for row in connection.execute(query))
    return found


def _add_actors(connection: Connection, scope: Scope) -> None:
    p, sa = PARTICIPATION.c, STATEMENT_ACTOR.c
    found = _ids(connection, p.actor_id, p.event_id, set(scope["event"]), ACTOR)
    found |= _ids(
        connection, STATEMENT.c.speaker_id, STATEMENT.c.id, set(scope["statement"]), ACTOR
    )
    found |= _ids(connection, sa.actor_id, sa.statement_id, set(scope["statement"]), ACTOR)
    for column in (FIGURE.c.claimant_id, FIGURE.c.counted_actor_id):
        found |= _ids(connection, column, FIGURE.c.id, set(scope["figure"]), ACTOR)
    pending = _add(scope["actor"], found)
    while pending:
        parents = _ids(connection, ACTOR.c.parent_id, ACTOR.c.id, pending, ACTOR)
        pending = _add(scope["actor"], parents)


def _add_sources(connection: Connection, scope: Scope) -> None:
    tables: Sequence[tuple[str, Table]] = (
        ("actor", ACTOR),
        ("event", EVENT),
        ("statement", STATEMENT),
        ("figure", FIGURE),
    )
    found: set[tuple[int, int]] = set()
    for kind, table in tables:
        found |= _ids(connection, table.c.source_id, table.c.id, set(scope[kind]), SOURCE)
    _add(scope["source"], found)


__all__ = ["jsonl_chunks"]
