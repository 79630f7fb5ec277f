"""A primary, its streaming replica and two `eventql serve` processes, for tests.

`.ci/replica` runs a second PostgreSQL cluster on this machine as a streaming replica of the
test server (`EVENTQL_TEST_REPLICA_URL`, default postgresql://postgres@127.0.0.1:5433/test).
A replica replays the whole cluster, so each test's scratch database on the primary appears
on the replica too, once replayed.

`two_servers(...)` yields a `Cluster`: the primary's and the replica's URLs for one scratch
database, a server reading from the replica (`routed`) and one reading the primary only
(`direct`), and `reseed(title)` — `eventql seed` on the primary with a copy of the bundled
seed whose umbrella event is retitled. Tests of what every server hears about a reseed (a
subscription on each, say) start listening on both servers, call `reseed`, and then wait for
each; `agree(cluster, title)` waits until both servers answer the reseed's data and version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError

from schema.history import DatasetVersion
from seeds import bundled_seed_paths
from tests.data_versions import data_version
from tests.server_process import ServerProcess, eventql_command, serve

__all__ = [
    "REPLICA_URL",
    "TITLE",
    "UMBRELLA",
    "Cluster",
    "agree",
    "replica_reachable",
    "titles",
    "two_servers",
    "version_rows",
    "wait_for",
]

REPLICA_URL = os.environ.get(
    "EVENTQL_TEST_REPLICA_URL", "postgresql://postgres@127.0.0.1:5433/test"
)
#: Generous: replay on a busy two-core machine shared with other work.
DEADLINE_S = 120.0
#: The bundled seed's umbrella event, retitled by each reseed.
UMBRELLA = "kz-riots-2022-01"
TITLE = "Mass riots in Kazakhstan, January 2022"
QUERY = '{ events(filter: {slug: {equalTo: "kz-riots-2022-01"}}) { nodes { title } } }'

T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T | None], *, timeout_s: float = DEADLINE_S) -> T:
    """Call `check` until it returns something other than None (or False); return that."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            found = check()
        except OperationalError:
            found = None
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout_s:g} s waiting for {what}")
        time.sleep(0.2)


def _execute(url: str, sql: str) -> Any:
    engine = create_engine(
        make_url(url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def replica_reachable() -> bool:
    """Whether a standby in recovery answers at `REPLICA_URL`."""
    try:
        return bool(_execute(REPLICA_URL, "SELECT pg_is_in_recovery()"))
    except OperationalError:
        return False


def version_rows(url: str) -> list[tuple[Any, ...]]:
    """The `datasetversion` rows of the database at `url`, as comparable tuples."""
    table = DatasetVersion.__table__  # type: ignore[attr-defined]
    columns = [table.c.id, table.c.dataset_name, table.c.number, table.c.content_hash]
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(*columns).order_by(table.c.id))
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def titles(server: ServerProcess, *, min_version: int | None = None) -> tuple[str, int]:
    """The umbrella event's title as `server` answers it, and the data version it reports."""
    headers = {} if min_version is None else {"eventql-min-version": str(min_version)}
    response = httpx.post(
        f"{server.base_url}/graphql", json={"query": QUERY}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    (node,) = response.json()["data"]["events"]["nodes"]
    return node["title"], int(response.headers["eventql-data-version"])


@dataclass
class Cluster:
    """One scratch database on the primary and its replica, and a server on each side."""

    primary_url: str
    replica_url: str
    routed: ServerProcess
    direct: ServerProcess
    seeds: Path
    #: The umbrella event's title in the seed files now.
    title: str = TITLE

    def reseed(self, title: str) -> int:
        """`eventql seed` on the primary with the umbrella event retitled `title`; the new
        data version."""
        seed_file = next(self.seeds.rglob("*.yaml"))
        original = seed_file.read_text(encoding="utf-8")
        edited = original.replace(f"    title: {self.title}\n", f"    title: {title}\n", 1)
        assert edited != original or title == self.title, "the umbrella's title is not there"
        seed_file.write_text(edited, encoding="utf-8")
        self.title = title
        subprocess.run(
            [*eventql_command(), "seed", str(self.seeds), "--database-url", self.primary_url],
            check=True,
            capture_output=True,
            timeout=DEADLINE_S,
        )
        return data_version(self.primary_url)

    def replica_caught_up(self) -> bool:
        """Whether the replica holds the primary's `datasetversion` rows."""
        return version_rows(self.replica_url) == version_rows(self.primary_url)


def agree(cluster: Cluster, title: str) -> int:
    """Wait until both servers answer `title` at the primary's data version; that version."""
    version = data_version(cluster.primary_url)
    for server in (cluster.routed, cluster.direct):
        wait_for(
            f"{server.base_url} to answer {title!r} at version {version}",
            lambda server=server: titles(server) == (title, version),  # type: ignore[misc]
        )
    return version


@contextmanager
def two_servers(primary_url: str, folder: Path) -> Iterator[Cluster]:
    """The bundled seed loaded on the primary, replayed on the replica, and two servers."""
    replica_url = make_url(REPLICA_URL).set(database=make_url(primary_url).database)
    replica = replica_url.render_as_string(hide_password=False)
    seeds = folder / "seeds"
    shutil.copytree(bundled_seed_paths()[0], seeds)
    subprocess.run(
        [*eventql_command(), "seed", str(seeds), "--database-url", primary_url],
        check=True,
        capture_output=True,
        timeout=DEADLINE_S,
    )
    wait_for("the scratch database on the replica", lambda: _execute(replica, "SELECT 1"))
    env = {"EVENTQL_READ_REPLICA_URLS": replica, "EVENTQL_DATA_VERSION_POLL_S": "0.2"}
    with (
        serve(primary_url, env=env) as routed,
        serve(primary_url, env={"EVENTQL_DATA_VERSION_POLL_S": "0.2"}) as direct,
    ):
        cluster = Cluster(primary_url, replica, routed, direct, seeds)
        wait_for("the replica to replay the first load", cluster.replica_caught_up)
        yield cluster


@contextmanager
def replay_paused(replica_url: str) -> Iterator[None]:
    """The replica stops replaying the primary's changes (it falls behind) until the end."""
    _execute(replica_url, "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        _execute(replica_url, "SELECT pg_wal_replay_resume()")
