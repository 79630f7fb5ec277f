"""Versions commit in id order on PostgreSQL, so the newest id is a watermark: a snapshot
(a read replica's, say) holding version N holds every version before it.

A load that records a version waits for one that took its version first to commit: here the
test holds the loads' lock itself, as a load between its version and its commit does. And the
lock is not the one a first start seeds under.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import orjson
import psycopg
from sqlalchemy import make_url

from seeds.versions import VERSION_ORDER_LOCK
from tests.api_support import load, world
from tests.data_versions import data_version
from tests.server_process import eventql_command, serve


def test_a_load_waits_to_version_until_the_one_before_commits(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    before = data_version(postgres_url)
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps(world("elsewhere")))
    conninfo = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (VERSION_ORDER_LOCK,))
        seed = subprocess.Popen(
            [*eventql_command(), "seed", str(other), "--database-url", postgres_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while not _waiting_for_the_lock(conninfo):
                assert seed.poll() is None, "the load committed while an earlier one held on"
                assert time.monotonic() < deadline, "the load never reached its version"
                time.sleep(0.1)
            assert data_version(postgres_url) == before
        finally:
            holder.rollback()
        assert seed.wait(timeout=120) == 0
    assert data_version(postgres_url) > before


def _waiting_for_the_lock(conninfo: str) -> bool:
    with psycopg.connect(conninfo) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).fetchone()
        return bool(row and row[0])


def test_serving_an_empty_postgresql_database_seeds_it(postgres_url: str) -> None:
    # The first start seeds under eventql.startup's advisory lock, and the load then takes
    # the version-order lock: with one key for both, the server waited for itself.
    with serve(postgres_url, env={"EVENTQL_SEED_ON_EMPTY": "true"}) as server:
        response = httpx.post(
            f"{server.base_url}/graphql", json={"query": "{ datasets { name } }"}, timeout=30
        )
    assert response.json() == {"data": {"datasets": [{"name": "kazakhstan-2022"}]}}
    assert data_version(postgres_url) > 0
