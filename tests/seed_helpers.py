"""Helpers for seed tests: fixture paths, whole-database dumps, unreadable files, big inputs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import inspect, text

from schema.db import create_sync_engine
from schema.history import HISTORY_TABLES
from schema.prepared_totals import PREPARED_TABLE

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"

Dump = dict[str, list[tuple[Any, ...]]]


#: The tables of the datasets' history (schema.history).
HISTORY = HISTORY_TABLES


#: Columns that number rows as loads write them, not as the data says.
_LOAD_COUNTERS = {(PREPARED_TABLE, "id")}


def dump_database(url: str, *, history: bool = True) -> Dump:
    """Every row of every table, sorted, so two databases (or two moments) compare with `==`.

    SQLite's FTS5 shadow tables are left out: their internal layout may differ for the same
    indexed rows; the `searchentry` rows they index are compared instead. `history=False`
    leaves out the datasets' history too (`datasetversion`, `recordchange`): to compare the
    data of two loads that differ in when (or how often) they happened. Prepared totals
    (`schema.prepared_totals`) are compared without their row numbers, which count loads.
    """
    engine = create_sync_engine(url)
    try:
        dump: Dump = {}
        with engine.connect() as connection:
            for name in sorted(inspect(connection).get_table_names()):
                if name.startswith("searchentry_fts") or (not history and name in HISTORY):
                    continue
                columns = [
                    f'"{column["name"]}"'
                    for column in inspect(connection).get_columns(name)
                    if (name, column["name"]) not in _LOAD_COUNTERS
                ]
                query = f'SELECT {", ".join(columns)} FROM "{name}"'
                rows = connection.execute(text(query)).all()
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


def large_seed(n_events: int, *, dataset: str = "bench", varied: bool = False) -> dict[str, Any]:
    """A synthetic seed file with `n_events` events and proportionate other records.

    Per 100 events: 1 source, 1 actor, 200 participations, 20 figures (half part of another),
    5 statements, 10 event links. With `varied` (the API benchmark's data), the records look
    more like real ones: see `varied_seed`.
    """
    if varied:
        return varied_seed(n_events, dataset=dataset)
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


#: (type, sub-type, title word) of the varied seed's events, in turn.
_VARIED_TYPES = (
    ("protests", "peaceful_protest", "Protest"),
    ("riots", "violent_demonstration", "Riot"),
    ("strategic_developments", "arrests", "Arrests"),
    ("state_acts", "security_operation", "Security operation"),
    ("battles", "armed_clash", "Clash"),
    ("violence_against_civilians", "attack", "Attack on civilians"),
    ("protests", "protest_with_intervention", "Protest dispersed"),
)
#: (place, region) pairs the varied seed's events happen in.
_VARIED_PLACES = tuple(
    (place, region)
    for region, places in (
        ("Almaty", ("Almaty",)),
        ("Astana", ("Astana",)),
        ("Shymkent", ("Shymkent",)),
        ("Mangystau", ("Aktau", "Zhanaozen", "Beyneu", "Fort-Shevchenko")),
        ("Atyrau", ("Atyrau", "Kulsary")),
        ("Aktobe", ("Aktobe", "Khromtau")),
        ("Karaganda", ("Karaganda", "Temirtau", "Balkhash", "Zhezkazgan")),
        ("Zhambyl", ("Taraz", "Shu")),
        ("Kyzylorda", ("Kyzylorda", "Baikonur")),
        ("Pavlodar", ("Pavlodar", "Ekibastuz")),
        ("East Kazakhstan", ("Oskemen", "Semey", "Ridder")),
        ("Almaty Region", ("Taldykorgan", "Kapchagay", "Esik")),
    )
    for place in places
)
_ACTOR_KINDS = ("crowd", "security_force", "state_body", "group", "person", "organisation")
_FIGURE_KINDS = ("participants", "arrested", "injured", "detained", "killed")


def varied_seed(n_events: int, *, dataset: str = "bench") -> dict[str, Any]:
    """A synthetic seed file shaped like real records, for the API benchmark.

    Per 100 events: 1 source, 10 actors (six kinds, nested under parents), about 233
    participations (two or three roles per event), 100 figures (0, 1 or 2 per event, five
    kinds, with claimants; the second of a pair is part of the first), 10 statements (about an
    event and an actor), 10 event links. Events cycle through seven type/sub-type pairs and 30
    places over four years, so filters, timelines and searches select realistic fractions.
    """
    n_sources = max(1, n_events // 100)
    n_actors = max(6, n_events // 10)
    start = dt.date(2019, 1, 1)
    sources = [
        {"id": f"s{i}", "headline": f"Daily report {i}", "outlet": f"Wire {i % 7}"}
        for i in range(n_sources)
    ]
    actors = [
        {
            "id": f"a{i}",
            "name": f"{_ACTOR_KINDS[i % 6].replace('_', ' ').title()} {i}",
            "kind": _ACTOR_KINDS[i % 6],
            "country": ("KZ", "KZ", "KG", "UZ")[i % 4],
            "source": f"s{i % n_sources}",
            **({"parent": f"a{i - i % 6}"} if i % 6 else {}),
        }
        for i in range(n_actors)
    ]
    events: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    for i in range(n_events):
        type_, sub_type, word = _VARIED_TYPES[i % len(_VARIED_TYPES)]
        place, region = _VARIED_PLACES[(i // 7) % len(_VARIED_PLACES)]
        day = start + dt.timedelta(days=(i * 37) % 1461)
        crowd = (i * 7) % n_actors
        participants = [
            {"actor": f"a{crowd}", "role": "participant"},
            {"actor": f"a{(crowd + 1) % n_actors}", "role": "responder"},
        ]
        if i % 3 == 0:
            participants.append({"actor": f"a{(crowd + 3) % n_actors}", "role": "organiser"})
        event: dict[str, Any] = {
            "id": f"e{i}",
            "title": f"{word} in {place}",
            "type": type_,
            "sub_type": sub_type,
            "date": {"start": day.isoformat()},
            "location": {
                "country": "KZ",
                "admin1": region,
                "place": place,
                "latitude": 40.0 + (i % 90) / 10,
                "longitude": 50.0 + (i % 300) / 10,
                "precision": "settlement",
            },
            "description": f"{word} reported in {place}, {region}, on {day:%d %B %Y}: "
            f"about {50 + i % 950} people took part.",
            "source": f"s{i % n_sources}",
            "locator": f"row {i}",
            "participants": participants,
        }
        if i % 10 == 1:
            event["links"] = [{"kind": "follows", "event": f"e{i - 1}"}]
        events.append(event)
        for j in range(i % 3):
            value = 10 + (i * 13) % 990 if j == 0 else 5 + i % 7
            figure: dict[str, Any] = {
                "id": f"f{i}-{j}",
                "event": f"e{i}",
                "kind": _FIGURE_KINDS[i % 5],
                "value": value,
                "qualifier": ("about", "exact", "at_least")[i % 3],
                "raw": f"{('about ', '', 'at least ')[i % 3]}{value} people",
                "claimant": f"a{(crowd + 1) % n_actors}",
                "source": f"s{i % n_sources}",
                **({"part_of": f"f{i}-0"} if j else {}),
            }
            figures.append(figure)
        if i % 10 == 0:
            statements.append(
                {
                    "id": f"st{i // 10}",
                    "speaker": f"a{(crowd + 2) % n_actors}",
                    "kind": ("announcement", "claim", "characterization", "denial")[i % 4],
                    "mode": "paraphrase",
                    "text": f"Officials said the {word.lower()} in {place} was under control.",
                    "date": {"start": day.isoformat()},
                    "about_events": [f"e{i}"],
                    "about_actors": [f"a{crowd}"],
                    "source": f"s{i % n_sources}",
                }
            )
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
