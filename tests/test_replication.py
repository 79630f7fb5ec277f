"""A real streaming replica: two servers (one reading the replica, one the primary only), a
reseed on the primary, and what each server answers (`tests/replication.py`).

Needs the replica `.ci/replica` starts (`EVENTQL_TEST_REPLICA_URL`); skipped without one,
except under CI=true.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import skip_or_fail
from tests.data_versions import data_version
from tests.live_support import SUBSCRIPTION, wait_for_subscribers, ws_connect
from tests.replication import (
    REPLICA_URL,
    TITLE,
    Cluster,
    agree,
    replay_paused,
    replica_reachable,
    titles,
    two_servers,
    version_rows,
    wait_for,
)


@pytest.fixture
def cluster(postgres_url: str, tmp_path: Path) -> Iterator[Cluster]:
    """The bundled seed on the primary and its replica, and a server on each."""
    if not replica_reachable():
        skip_or_fail(f"no PostgreSQL streaming replica answers at {REPLICA_URL} (run .ci/replica)")
    with two_servers(postgres_url, tmp_path) as running:
        yield running


def test_both_servers_answer_a_reseed_alike(cluster: Cluster) -> None:
    assert agree(cluster, TITLE) == data_version(cluster.primary_url)
    version = cluster.reseed("Unrest in Kazakhstan, January 2022")
    assert agree(cluster, "Unrest in Kazakhstan, January 2022") == version
    wait_for("the replica to replay the reseed", cluster.replica_caught_up)
    assert version_rows(cluster.replica_url) == version_rows(cluster.primary_url)
    # Both databases answer alike through the server reading the replica (once caught up),
    # and it did read the replica.
    assert titles(cluster.routed) == titles(cluster.direct)
    metrics = httpx.get(f"{cluster.routed.base_url}/metrics", timeout=30).text
    assert re.search(r'eventql_read_database_total\{target="replica"\} [1-9]', metrics)


def test_a_replica_that_is_behind_is_skipped(cluster: Cluster) -> None:
    wait_for("the replica to catch up", cluster.replica_caught_up)
    before = data_version(cluster.replica_url)
    with replay_paused(cluster.replica_url):
        version = cluster.reseed("Riots in Kazakhstan, January 2022")
        # The replica is really behind, and still holds the old title.
        assert data_version(cluster.replica_url) == before < version
        # A client that has been given the new version anywhere gets the new data at once.
        assert titles(cluster.routed, min_version=version) == (
            "Riots in Kazakhstan, January 2022",
            version,
        )
        # Without it, the server too learns of the new version, and then never answers less.
        agree(cluster, "Riots in Kazakhstan, January 2022")
        for _ in range(5):
            assert titles(cluster.routed) == ("Riots in Kazakhstan, January 2022", version)
        ready = httpx.get(f"{cluster.routed.base_url}/readyz", timeout=30)
        assert ready.status_code == 200
        (replica,) = ready.json()["replicas"]
        assert (replica["version"], replica["behind"]) == (before, True)
    wait_for("the replica to replay the reseed", cluster.replica_caught_up)
    ready = httpx.get(f"{cluster.routed.base_url}/readyz", timeout=30)
    assert ready.json()["replicas"][0]["behind"] is False


def test_subscribers_on_both_servers_hear_a_reseed_and_read_it(cluster: Cluster) -> None:
    with (
        ws_connect(cluster.routed.base_url) as routed,
        ws_connect(cluster.direct.base_url) as direct,
    ):
        for server, ws in ((cluster.routed, routed), (cluster.direct, direct)):
            ws.init()
            ws.send({"type": "subscribe", "id": "s", "payload": {"query": SUBSCRIPTION}})
            wait_for_subscribers(_getter(server.base_url), 1)
        version = cluster.reseed("Unrest in Kazakhstan, January 2022")
        for ws in (routed, direct):
            message = ws.receive()
            assert message["type"] == "next", message
            assert message["payload"]["data"]["datasetChanged"]["changed"] == 1
    # A client told of the reseed reads it from either server, replica or not, at once.
    for server in (cluster.routed, cluster.direct):
        assert titles(server, min_version=version) == (
            "Unrest in Kazakhstan, January 2022",
            version,
        )


def _getter(base_url: str) -> Callable[[str], httpx.Response]:
    return lambda path: httpx.get(base_url + path, timeout=30)
