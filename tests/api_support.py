"""Helpers for API tests: small seed worlds, loaded through the seed loader, and an HTTP client.

`open_api(url, tmp_path, *seed_files)` loads the seed files into the (fresh) database, starts
the app with its lifespan, and yields an `Api` that posts queries over HTTP (httpx with an
ASGI transport) and counts the SQL statements the app runs.

Differential testing: unless EVENTQL_TEST_PATHS says "fast" or "general", every `Api.post`
goes to two apps over the same database — one with the fast path (`gql.fastpath`, whose
statements are counted), one with the general executor only — and fails unless both answer
with the same status and the same JSON.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

from schema.db import create_sync_engine
from seeds import load_seeds
from tests.harness import app_client, counting_statements, make_app

SOURCE_TEXT = (
    "Riots broke out in Almaty from January 4 to January 8. "
    "The Ministry of Interior announced that more than 5,100 people were arrested. "
    "The Interior Minister stated that about 300 people were arrested at the borders. "
    "The Foreign Minister described the events as a hybrid terrorist attack. "
    "Estimates suggest there were more than 5,000 demonstrators in a thousands-strong protest."
)


def world(dataset: str = "testland") -> dict[str, Any]:
    """A small dataset with every kind of record and relation, modelled on January 2022."""
    return {
        "dataset": {"name": dataset, "title": f"{dataset.title()} test records"},
        "source": {
            "id": "report",
            "headline": "Riots in Almaty",
            "outlet": "Test Wire",
            "published": {"start": "2022-01-10", "note": "inferred from weekdays"},
            "text": SOURCE_TEXT,
        },
        "actors": [
            {"id": "kz", "name": "Kazakhstan", "kind": "state", "country": "KZ"},
            {
                "id": "mvd",
                "name": "Ministry of Interior",
                "kind": "state_body",
                "country": "KZ",
                "parent": "kz",
                "aliases": ["MVD"],
            },
            {
                "id": "minister",
                "name": "Yerlan Turgumbayev",
                "kind": "person",
                "country": "KZ",
                "parent": "mvd",
                "title": "Interior Minister",
            },
            {
                "id": "fm",
                "name": "Foreign Minister",
                "kind": "person",
                "country": "KZ",
                "parent": "kz",
            },
            {"id": "police", "name": "Police", "kind": "security_force", "parent": "kz"},
            {"id": "protesters", "name": "Protesters", "kind": "crowd"},
            {"id": "nsc", "name": "National Security Committee", "kind": "security_force"},
        ],
        "events": [
            {
                "id": "almaty-riots",
                "title": "Riots in Almaty",
                "type": "riots",
                "sub_type": "violent_demonstration",
                "date": {"start": "2022-01-04", "end": "2022-01-08"},
                "location": {
                    "country": "KZ",
                    "admin1": "Almaty",
                    "place": "Almaty",
                    "latitude": 43.25,
                    "longitude": 76.95,
                    "precision": "settlement",
                },
                "description": "Violent clashes in the city centre over gas prices.",
                "evidence": "Riots broke out in Almaty from January 4 to January 8.",
                "participants": [
                    {"actor": "protesters", "role": "participant"},
                    {"actor": "police", "role": "responder", "note": "tear gas"},
                ],
            },
            {
                "id": "almaty-protest",
                "title": "Thousands protest in Almaty",
                "type": "protests",
                "sub_type": "protest_with_intervention",
                "date": {"start": "2022-01-04"},
                "location": {"country": "KZ", "admin1": "Almaty", "place": "Almaty"},
                "links": [{"kind": "part_of", "event": "almaty-riots"}],
                "participants": [{"actor": "protesters", "role": "participant"}],
            },
            {
                "id": "aktau-protest",
                "title": "Peaceful protest in Aktau",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": {"start": "2022-01-02"},
                "location": {"country": "KZ", "admin1": "Mangystau", "place": "Aktau"},
                "participants": [{"actor": "protesters", "role": "participant"}],
            },
            {
                "id": "border-arrests",
                "title": "Arrests at the borders",
                "type": "strategic_developments",
                "sub_type": "arrests",
                "date": {"start": "2022-01-04", "end": "2022-01-09", "precision": "range"},
                "location": {"country": "KZ"},
                "participants": [
                    {"actor": "police", "role": "perpetrator"},
                    {"actor": "minister", "role": "announcer"},
                ],
            },
            {
                "id": "cabinet-dismissal",
                "title": "Cabinet dismissed",
                "type": "state_acts",
                "sub_type": "government_dismissal",
                "date": {"start": "2022-01-05"},
                "links": [{"kind": "response_to", "event": "almaty-riots"}],
            },
            {
                "id": "january-review",
                "title": "Review of the month",
                "type": "strategic_developments",
                "sub_type": "other",
                "date": {"start": "2022-01-01", "end": "2022-01-31", "precision": "month"},
                "location": {"country": "UZ"},
            },
        ],
        "statements": [
            {
                "id": "mvd-arrests",
                "speaker": "mvd",
                "date": {"start": "2022-01-09"},
                "kind": "announcement",
                "mode": "paraphrase",
                "text": "more than 5,100 people were arrested",
                "about_events": ["almaty-riots"],
                "evidence": "The Ministry of Interior announced that more than 5,100 people "
                "were arrested.",
            },
            {
                "id": "minister-borders",
                "speaker": "minister",
                "speaker_title": "Interior Minister",
                "kind": "claim",
                "mode": "partial_quote",
                "text": "about 300 people were arrested at the borders",
                "about_events": ["border-arrests"],
            },
            {
                "id": "fm-terror",
                "speaker": "fm",
                "date": {"start": "2022-01-08", "end": "2022-01-10", "precision": "range"},
                "kind": "characterization",
                "mode": "quote",
                "text": "a hybrid terrorist attack",
                "about_events": ["almaty-riots", "almaty-protest"],
                "about_actors": ["kz"],
            },
        ],
        "figures": [
            {
                "id": "arrests-5100",
                "event": "almaty-riots",
                "kind": "arrested",
                "lower": 5100,
                "qualifier": "more_than",
                "raw": "more than 5,100 people",
                "as_of": {"start": "2022-01-09"},
                "claimant": "mvd",
                "statement": "mvd-arrests",
            },
            {
                "id": "arrests-300",
                "event": "border-arrests",
                "kind": "arrested",
                "value": 300,
                "qualifier": "about",
                "raw": "about 300 people",
                "claimant": "minister",
                "statement": "minister-borders",
                "part_of": "arrests-5100",
            },
            {
                "id": "demonstrators-5000",
                "event": "almaty-protest",
                "kind": "participants",
                "lower": 5000,
                "qualifier": "more_than",
                "raw": "more than 5,000 demonstrators",
                "attribution": "estimates suggest",
                "counted_actor": "protesters",
            },
            {
                "id": "demonstrators-thousands",
                "event": "almaty-protest",
                "kind": "participants",
                "qualifier": "vague",
                "raw": "thousands-strong",
            },
            {
                "id": "killed-unknown",
                "event": "almaty-riots",
                "kind": "killed",
                "status": "unknown",
            },
            {
                "id": "detained-range",
                "kind": "detained",
                "lower": 100,
                "upper": 200,
                "qualifier": "between",
                "claimant": "nsc",
            },
        ],
    }


def bulk_world(n_events: int, dataset: str = "bulk", per_day: int = 1) -> dict[str, Any]:
    """`n_events` events, `per_day` a day on consecutive days, each with two participants,
    two figures (one part of the other) and a statement about it."""
    start = 738000  # a day number; dates follow from it
    actors = [{"id": f"actor-{i}", "name": f"Actor {i:03}", "kind": "group"} for i in range(10)]
    events, figures, statements = [], [], []
    for i in range(n_events):
        day = _day(start + i // per_day)
        events.append(
            {
                "id": f"event-{i:04}",
                "title": f"Event {i:04}",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": {"start": day},
                "location": {"country": "KZ", "place": f"Town {i % 7}"},
                "participants": [
                    {"actor": f"actor-{i % 10}", "role": "participant"},
                    {"actor": f"actor-{(i + 1) % 10}", "role": "responder"},
                ],
            }
        )
        figures.append(
            {
                "id": f"figure-{i:04}-total",
                "event": f"event-{i:04}",
                "kind": "participants",
                "value": 100 + i,
                "claimant": f"actor-{i % 10}",
            }
        )
        figures.append(
            {
                "id": f"figure-{i:04}-part",
                "event": f"event-{i:04}",
                "kind": "participants",
                "value": 10,
                "part_of": f"figure-{i:04}-total",
            }
        )
        statements.append(
            {
                "id": f"statement-{i:04}",
                "speaker": f"actor-{i % 10}",
                "kind": "report",
                "mode": "paraphrase",
                "text": f"Statement about event {i:04}",
                "about_events": [f"event-{i:04}"],
            }
        )
    return {
        "dataset": dataset,
        "source": {"id": "bulk-source", "headline": "Bulk"},
        "actors": actors,
        "events": events,
        "statements": statements,
        "figures": figures,
    }


def _day(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def load(url: str, folder: Path, *seed_files: dict[str, Any]) -> None:
    """Load seed files (as dicts) into the database through the seed loader."""
    paths = []
    for i, seed in enumerate(seed_files):
        path = folder / f"seed-{i}.json"
        path.write_bytes(orjson.dumps(seed))
        paths.append(path)
    engine = create_sync_engine(url)
    try:
        load_seeds(paths, engine=engine)
    finally:
        engine.dispose()


#: "both" (the default): every query is answered by both executors, which must agree.
TEST_PATHS = os.environ.get("EVENTQL_TEST_PATHS", "both")


class Api:
    """An HTTP client for the app, with a SQL statement counter; with a `twin` client (the
    general executor's app), every post is checked against the twin's answer."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        twin: httpx.AsyncClient | None = None,
        counter: list[int] | None = None,
    ) -> None:
        self.client = client
        self.twin = twin
        self._counter = [0] if counter is None else counter

    @property
    def statements(self) -> int:
        """How many SQL statements the (first) app has run so far."""
        return self._counter[0]

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST a query; the parsed JSON body (any status)."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = await self.client.post("/graphql", json=body)
        result: dict[str, Any] = response.json()
        if self.twin is not None:
            general = await self.twin.post("/graphql", json=body)
            assert (response.status_code, result) == (general.status_code, general.json()), (
                "the fast path and the general executor answer differently"
            )
        return result

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """POST a query that must succeed; its `data`."""
        result = await self.post(query, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]

    async def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        """POST a query that must fail; its error messages."""
        result = await self.post(query, variables)
        assert result.get("errors"), result
        return [error["message"] for error in result["errors"]]

    async def count_statements(self, query: str, variables: dict[str, Any] | None = None) -> int:
        """How many SQL statements one successful query runs."""
        before = self.statements
        await self.data(query, variables)
        return self.statements - before


@asynccontextmanager
async def open_api(
    url: str, folder: Path, *seed_files: dict[str, Any], **settings: Any
) -> AsyncIterator[Api]:
    """The app over a database holding `seed_files`, ready for requests."""
    if seed_files:
        load(url, folder, *seed_files)
    settings = {"fast_path": TEST_PATHS != "general", **settings}
    twin = TEST_PATHS == "both" and settings["fast_path"]
    async with AsyncExitStack() as stack:
        apps = [
            make_app(url, **{**settings, "fast_path": fast_path})
            for fast_path in (settings["fast_path"], False)[: 2 if twin else 1]
        ]
        clients = [await stack.enter_async_context(app_client(app)) for app in apps]
        counter = stack.enter_context(counting_statements(apps[0]))
        yield Api(clients[0], clients[1] if twin else None, counter)


def nodes(connection: dict[str, Any], key: str = "slug") -> list[Any]:
    """The `key` of each node of a connection result."""
    return [node[key] for node in connection["nodes"]]
