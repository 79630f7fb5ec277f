"""Bulk loads: a first load builds indexes after the rows, a reseed writes only what differs.

Both are checked against the plain outcome they shortcut: the database a first load leaves
has every index, constraint and trigger that creating the schema gives, and a reseed leaves
exactly the database a first load of the same files gives.
"""

from __future__ import annotations

import copy
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import text

from schema.db import create_sync_engine, ensure_schema
from seeds import load_seeds
from tests.harness import scratch_postgres
from tests.seed_helpers import dump_database, large_seed, write_json

_POSTGRES_OBJECTS = """
SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
UNION ALL
SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
"""
_SQLITE_OBJECTS = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"


def _schema_objects(url: str) -> set[tuple[str, str, str]]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            query = _SQLITE_OBJECTS if connection.dialect.name == "sqlite" else _POSTGRES_OBJECTS
            return {tuple(row) for row in connection.execute(text(query)).all()}
    finally:
        engine.dispose()


def _other_database(database_url: str, tmp_path: Path, name: str) -> AbstractContextManager[str]:
    """A second empty database of the same kind as the test's."""
    if database_url.startswith("sqlite"):
        return nullcontext(f"sqlite:///{tmp_path / name}.sqlite3")
    return scratch_postgres(database_url)


def _load(url: str, *paths: Path) -> None:
    engine = create_sync_engine(url)
    try:
        for path in paths:
            load_seeds([path], engine=engine)
    finally:
        engine.dispose()


def test_seed_first_load_builds_every_index_constraint_and_trigger(
    database_url: str, tmp_path: Path
) -> None:
    _load(database_url, write_json(tmp_path / "seed.json", large_seed(300, varied=True)))
    with _other_database(database_url, tmp_path, "empty") as empty:
        engine = create_sync_engine(empty)
        try:
            ensure_schema(engine)  # the schema alone, as created before any row
        finally:
            engine.dispose()
        expected = _schema_objects(empty)
    assert _schema_objects(database_url) == expected
    assert any(kind == "index" for kind, _, _ in expected)


def _edited(seed: dict[str, Any]) -> dict[str, Any]:
    """The seed with records removed, changed and added, references moved included."""
    edited = copy.deepcopy(seed)
    for event in edited["events"][::3]:
        event["title"] += " (revised)"
    edited["actors"][1]["name"] = "Renamed actor"
    # A figure that stops being part of another, which is removed: its row must survive the
    # removal of the figure it named.
    figures = edited["figures"]
    whole = figures[0]["id"]
    for figure in figures:
        if figure.get("part_of") == whole:
            del figure["part_of"]
    edited["figures"] = [figure for figure in figures if figure["id"] != whole]
    new = copy.deepcopy(edited["events"][0])
    new["id"] = "e-new"
    new.pop("links", None)
    edited["events"].append(new)
    return edited


def test_seed_reseed_leaves_the_database_a_first_load_gives(
    database_url: str, tmp_path: Path
) -> None:
    seed = large_seed(200)
    assert any(figure.get("part_of") == seed["figures"][0]["id"] for figure in seed["figures"])
    first = write_json(tmp_path / "first.json", seed)
    (tmp_path / "edited").mkdir()
    edited = write_json(tmp_path / "edited" / "first.json", _edited(seed))
    _load(database_url, first, edited)
    with _other_database(database_url, tmp_path, "fresh") as fresh:
        _load(fresh, edited)
        expected = dump_database(fresh, history=False)
    assert dump_database(database_url, history=False) == expected


def test_seed_reseed_of_another_shape_leaves_the_database_a_first_load_gives(
    database_url: str, tmp_path: Path
) -> None:
    # Fewer events, so fewer sources and actors: most references move, records go.
    first = write_json(tmp_path / "first.json", large_seed(300, varied=True))
    (tmp_path / "smaller").mkdir()
    smaller = write_json(tmp_path / "smaller" / "first.json", large_seed(180, varied=True))
    _load(database_url, first, smaller)
    with _other_database(database_url, tmp_path, "fresh") as fresh:
        _load(fresh, smaller)
        expected = dump_database(fresh, history=False)
    assert dump_database(database_url, history=False) == expected
