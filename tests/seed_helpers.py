"""Helpers for seed tests: fixture paths, whole-database dumps, unreadable files, big inputs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import inspect, text

from schema.db import create_sync_engine

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"

Dump = dict[str, list[tuple[Any, ...]]]


def dump_database(url: str) -> Dump:
    """Every row of every table, sorted, so two databases (or two moments) compare with `==`.

    SQLite's FTS5 shadow tables are left out: their internal layout may differ for the same
    indexed rows; the `searchentry` rows they index are compared instead.
    """
    engine = create_sync_engine(url)
    try:
        dump: Dump = {}
        with engine.connect() as connection:
            for name in sorted(inspect(connection).get_table_names()):
                if name.startswith("searchentry_fts"):
                    continue
                rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
                dump[name] = sorted((tuple(row) for row in rows), key=repr)
        return dump
    finally:
        engine.dispose()


def unreadable_path(folder: Path) -> Path:
    """A seed file that exists but cannot be read.

    A file without read permission, except as root (who reads anything): then a symbolic link
    that points to itself, which no one can open.
    """
    path = folder / "unreadable.yaml"
    if os.geteuid() == 0:
        path.symlink_to(path.name)
    else:
        path.write_text("dataset: unreadable\n", encoding="utf-8")
        path.chmod(0)
    return path


def large_seed(n_events: int, *, dataset: str = "bench") -> dict[str, Any]:
    """A synthetic seed file with `n_events` events and proportionate other records.

    Per 100 events: 1 source, 1 actor, 200 participations, 20 figures (half part of another),
    5 statements, 10 event links.
    """
    n_sources = max(1, n_events // 100)
    n_actors = max(2, n_events // 100)
    start = dt.date(2020, 1, 1)
    sources = [{"id": f"s{i}", "headline": f"Report {i}"} for i in range(n_sources)]
    actors = [
        {
            "id": f"a{i}",
            "name": f"Actor {i}",
            "kind": "group",
            "country": "KZ",
            "source": f"s{i % n_sources}",
            **({"parent": f"a{i - 1}"} if i % 10 else {}),
        }
        for i in range(n_actors)
    ]
    events = []
    for i in range(n_events):
        day = start + dt.timedelta(days=i % 1000)
        event: dict[str, Any] = {
            "id": f"e{i}",
            "title": f"Protest number {i} in city {i % 50}",
            "type": "protests",
            "sub_type": "peaceful_protest",
            "date": {"start": day.isoformat()},
            "location": {
                "country": "KZ",
                "place": f"City {i % 50}",
                "latitude": 43.0 + (i % 50) / 10,
                "longitude": 76.0,
                "precision": "settlement",
            },
            "description": f"Demonstrators gathered in city {i % 50} for the {i}th time.",
            "source": f"s{i % n_sources}",
            "locator": f"row {i}",
            "participants": [
                {"actor": f"a{i % n_actors}", "role": "participant"},
                {"actor": f"a{(i + 1) % n_actors}", "role": "responder"},
            ],
        }
        if i % 10 == 1:
            event["links"] = [{"kind": "follows", "event": f"e{i - 1}"}]
        events.append(event)
    figures = [
        {
            "id": f"f{i}",
            "event": f"e{i * 5}",
            "kind": "participants",
            "value": 100 + i,
            "qualifier": "about",
            "raw": f"about {100 + i} people",
            "source": f"s{(i * 5) % n_sources}",
            **({"part_of": f"f{i - 1}"} if i % 2 else {}),
        }
        for i in range(n_events // 5)
    ]
    statements = [
        {
            "id": f"st{i}",
            "speaker": f"a{i % n_actors}",
            "kind": "claim",
            "mode": "paraphrase",
            "text": f"Statement {i} about the protests.",
            "about_events": [f"e{i * 20}"],
            "source": f"s{(i * 20) % n_sources}",
        }
        for i in range(n_events // 20)
    ]
    return {
        "dataset": {"name": dataset, "title": f"{n_events} synthetic events"},
        "sources": sources,
        "actors": actors,
        "events": events,
        "statements": statements,
        "figures": figures,
    }


def write_json(path: Path, data: Any) -> Path:
    """Write `data` as a JSON seed file."""
    path.write_bytes(orjson.dumps(data))
    return path
