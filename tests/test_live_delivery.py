"""Live updates reach clients: a real reseed, seen by subscribers of real servers over
WebSocket (graphql-transport-ws) and Server-Sent Events (graphql-sse), on SQLite and
PostgreSQL — on every server sharing the database, and through a lost PostgreSQL listener."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text

from schema.db import create_sync_engine
from tests.live_support import (
    PATIENCE_S,
    SUBSCRIPTION,
    Seeds,
    sse_events,
    wait_for_subscribers,
    ws_connect,
)
from tests.server_process import ServerProcess, serve

pytestmark = pytest.mark.slow

FILTERED = (
    "subscription Mine($names: [String!]) { datasetChanged(datasets: $names) { number changed } }"
)


@pytest.fixture
def seeds(database_url: str, tmp_path: Path) -> Seeds:
    """The test world loaded as datasets `testland` and `otherland` (version 1 of each)."""
    loaded = Seeds(database_url, tmp_path)
    loaded.load("testland", "otherland")
    return loaded


def _get(server: ServerProcess) -> Any:
    return lambda path: httpx.get(server.base_url + path, timeout=PATIENCE_S)


def _next_event(ws: Any, operation_id: str) -> dict[str, Any]:
    message = ws.receive()
    assert message["type"] == "next" and message["id"] == operation_id, message
    payload: dict[str, Any] = message["payload"]
    return payload


DETAILED = """
subscription {
  datasetChanged {
    id number datasetName loadKind added changed removed
    changes { nodes { change kind slug fields { field old new } } }
  }
}
"""


def test_a_websocket_subscriber_hears_a_reseed(seeds: Seeds) -> None:
    with serve(seeds.url) as server, ws_connect(server.base_url) as ws:
        ws.init()
        ws.send({"type": "subscribe", "id": "s", "payload": {"query": DETAILED}})
        wait_for_subscribers(_get(server), 1)
        seeds.reseed("testland")
        event = _next_event(ws, "s")["data"]["datasetChanged"]
        version_id = event.pop("id")
        assert event == {
            "number": 2,
            "datasetName": "testland",
            "loadKind": "SEED",
            "added": 0,
            "changed": 1,
            "removed": 0,
            # Read from the database as the event is sent: what the reseed changed.
            "changes": {
                "nodes": [
                    {
                        "change": "CHANGED",
                        "kind": "EVENT",
                        "slug": "almaty-riots",
                        "fields": [
                            {
                                "field": "title",
                                "old": "Riots in Almaty",
                                "new": "Riots in Almaty, edit 1",
                            }
                        ],
                    }
                ]
            },
        }
        # The event's id is the version's global ID, as the HTTP API knows it.
        node = httpx.post(
            f"{server.base_url}/graphql",
            json={
                "query": f'{{ node(id: "{version_id}") {{ ... on DatasetVersion {{ number }} }} }}'
            },
        ).json()
        assert node == {"data": {"node": {"number": 2}}}
        seeds.reseed("testland")
        assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 3
        ws.send({"type": "complete", "id": "s"})
        # A subscriber that goes away is forgotten: the feed has no listener left.
        wait_for_subscribers(_get(server), 0)


def test_a_subscription_filtered_by_dataset_hears_only_that_dataset(seeds: Seeds) -> None:
    with serve(seeds.url) as server, ws_connect(server.base_url) as ws:
        ws.init()
        payload = {"query": FILTERED, "variables": {"names": ["otherland"]}}
        ws.send({"type": "subscribe", "id": "other", "payload": payload})
        wait_for_subscribers(_get(server), 1)
        seeds.reseed("testland")  # not heard
        seeds.reseed("otherland")
        # The first event is otherland's second version: testland's was left out.
        assert _next_event(ws, "other") == {"data": {"datasetChanged": {"number": 2, "changed": 1}}}


def test_an_sse_subscriber_hears_a_reseed(seeds: Seeds) -> None:
    with serve(seeds.url) as server, httpx.Client(timeout=PATIENCE_S) as client:
        with client.stream(
            "POST",
            f"{server.base_url}/graphql/stream",
            json={"query": SUBSCRIPTION},
            headers={"Accept": "text/event-stream"},
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            wait_for_subscribers(_get(server), 1)
            seeds.reseed("otherland")
            event, data = next(sse_events(response.iter_lines()))
            assert event == "next"
            assert orjson.loads(data) == {
                "data": {"datasetChanged": {"number": 2, "added": 0, "changed": 1, "removed": 0}}
            }
        # The client went away: so did its subscription.
        wait_for_subscribers(_get(server), 0)


def test_an_sse_subscription_by_get_hears_a_reseed(seeds: Seeds) -> None:
    params = {"query": FILTERED, "variables": orjson.dumps({"names": ["testland"]}).decode()}
    with serve(seeds.url) as server, httpx.Client(timeout=PATIENCE_S) as client:
        with client.stream(
            "GET",
            f"{server.base_url}/graphql/stream",
            params=params,
            headers={"Accept": "text/event-stream"},
        ) as response:
            wait_for_subscribers(_get(server), 1)
            seeds.reseed("testland")
            event, data = next(sse_events(response.iter_lines()))
            assert (event, orjson.loads(data)) == (
                "next",
                {"data": {"datasetChanged": {"number": 2, "changed": 1}}},
            )


def test_subscribers_on_every_server_hear_a_reseed(seeds: Seeds) -> None:
    with serve(seeds.url) as first, serve(seeds.url) as second:
        with ws_connect(first.base_url) as ws, httpx.Client(timeout=PATIENCE_S) as client:
            ws.init()
            ws.send({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIPTION}})
            with client.stream(
                "POST",
                f"{second.base_url}/graphql/stream",
                json={"query": SUBSCRIPTION},
                headers={"Accept": "text/event-stream"},
            ) as response:
                wait_for_subscribers(_get(first), 1)
                wait_for_subscribers(_get(second), 1)
                seeds.reseed("testland")
                heard = _next_event(ws, "1")["data"]["datasetChanged"]
                event, data = next(sse_events(response.iter_lines()))
                assert heard == orjson.loads(data)["data"]["datasetChanged"]
                assert heard["number"] == 2


@pytest.fixture
def postgres_seeds(postgres_url: str, tmp_path: Path) -> Seeds:
    """The test world on PostgreSQL only."""
    loaded = Seeds(postgres_url, tmp_path)
    loaded.load("testland", "otherland")
    return loaded


def test_postgresql_delivers_by_notify(postgres_seeds: Seeds) -> None:
    # The fallback poll is a minute away: only LISTEN/NOTIFY can deliver within the deadline.
    env = {"EVENTQL_LIVE_FALLBACK_POLL_S": "60"}
    with serve(postgres_seeds.url, env=env) as server, ws_connect(server.base_url) as ws:
        ws.init()
        ws.send({"type": "subscribe", "id": "s", "payload": {"query": SUBSCRIPTION}})
        wait_for_subscribers(_get(server), 1)
        postgres_seeds.reseed("testland")
        assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 2


def _listeners(url: str) -> Iterator[int]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query LIKE 'LISTEN %'"
                )
            )
            yield from (int(pid) for (pid,) in rows)
    finally:
        engine.dispose()


def test_postgresql_loses_no_version_when_its_listener_is_cut(postgres_seeds: Seeds) -> None:
    # The listener's connection is killed, and the reseed commits while it reconnects: the
    # notification goes nowhere, and the read after reconnecting must find the version.
    env = {"EVENTQL_LIVE_FALLBACK_POLL_S": "60"}
    url = postgres_seeds.url
    with serve(url, env=env) as server, ws_connect(server.base_url) as ws:
        ws.init()
        ws.send({"type": "subscribe", "id": "s", "payload": {"query": SUBSCRIPTION}})
        wait_for_subscribers(_get(server), 1)
        listeners = list(_listeners(url))
        assert listeners, "the server does not LISTEN"
        engine = create_sync_engine(url)
        try:
            with engine.connect() as connection:
                for pid in listeners:
                    connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            engine.dispose()
        postgres_seeds.reseed("testland")
        assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 2
        assert "lost the dataset version listener" in server.output()


#: A version row of `testland` numbered :number, as a load would write it (by hand: these
#: tests commit versions the loader would not, or in an order it rarely does).
_VERSION_ROW = text(
    "INSERT INTO datasetversion (dataset_id, dataset_name, number, created_at, content_hash, "
    "load_kind, files, counts, changes_kept, added, changed, removed) SELECT dataset_id, "
    "dataset_name, :number, now(), content_hash, load_kind, files, counts, changes_kept, 0, 0, 0 "
    "FROM datasetversion WHERE dataset_name = 'testland' AND number = 1"
)
_NOTIFY = text("SELECT pg_notify('eventql_versions', 'any')")


def test_postgresql_polls_for_versions_it_was_not_told_of(postgres_seeds: Seeds) -> None:
    # A version committed without NOTIFY (as if the notification were lost) is found by the
    # fallback poll.
    env = {"EVENTQL_LIVE_FALLBACK_POLL_S": "0.5"}
    url = postgres_seeds.url
    with serve(url, env=env) as server, ws_connect(server.base_url) as ws:
        ws.init()
        ws.send({"type": "subscribe", "id": "s", "payload": {"query": SUBSCRIPTION}})
        wait_for_subscribers(_get(server), 1)
        engine = create_sync_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(_VERSION_ROW, {"number": 7})
        finally:
            engine.dispose()
        assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 7


def test_postgresql_sends_versions_committed_out_of_order(postgres_seeds: Seeds) -> None:
    # Two loads at once: the first to take an id commits last. Its version is still sent.
    env = {"EVENTQL_LIVE_FALLBACK_POLL_S": "60"}
    url = postgres_seeds.url
    with serve(url, env=env) as server, ws_connect(server.base_url) as ws:
        ws.init()
        ws.send({"type": "subscribe", "id": "s", "payload": {"query": SUBSCRIPTION}})
        wait_for_subscribers(_get(server), 1)
        engine = create_sync_engine(url)
        try:
            with engine.connect() as slow, engine.connect() as fast:
                slow_load = slow.begin()
                slow.execute(_VERSION_ROW, {"number": 10})  # takes the lower id
                with fast.begin():
                    fast.execute(_VERSION_ROW, {"number": 11})
                    fast.execute(_NOTIFY)
                assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 11
                slow.execute(_NOTIFY)
                slow_load.commit()
                assert _next_event(ws, "s")["data"]["datasetChanged"]["number"] == 10
        finally:
            engine.dispose()
