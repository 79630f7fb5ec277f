"""Which database a request reads, with `EVENTQL_READ_REPLICA_URLS`.

A second PostgreSQL database stands in for a replica here: it holds other data (dataset
`replicaland`, where the primary holds `testland`), so every answer says where it was read,
and its data version is set by hand. (`tests/test_replication.py` runs the same rules against
a real streaming replica.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.api_support import load, world
from tests.conftest import POSTGRES_URL
from tests.data_versions import add_version, data_version
from tests.harness import app_client, make_app, scratch_postgres
from tests.server_process import free_port
from tests.tcp_proxy import tcp_proxy

QUERY = "{ datasets { name } }"


@pytest.fixture
def stand_in(postgres_url: str, tmp_path: Path) -> Iterator[str]:
    """A database standing in for a replica of `postgres_url`, with data of its own."""
    with scratch_postgres(POSTGRES_URL) as url:
        load(url, tmp_path, world("replicaland"))
        yield url


def read_from(response_json: dict[str, object]) -> str:
    """Which database answered `{ datasets { name } }`: its one dataset's name."""
    data = response_json["data"]
    assert isinstance(data, dict)
    (dataset,) = data["datasets"]
    return str(dataset["name"])


async def test_reads_go_to_a_replica_that_has_caught_up(
    postgres_url: str, stand_in: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    add_version(stand_in, data_version(postgres_url) + 10)
    app = make_app(postgres_url, read_replica_urls=[stand_in])
    async with app_client(app) as client:
        answers = [await client.post("/graphql", json={"query": QUERY}) for _ in range(3)]
        ready = await client.get("/readyz")
        metrics = await client.get("/metrics")
    assert [read_from(a.json()) for a in answers] == ["replicaland"] * 3
    assert {a.headers["eventql-data-version"] for a in answers} == {str(data_version(stand_in))}
    (replica,) = ready.json()["replicas"]
    assert replica["reachable"] is True
    assert replica["version"] == data_version(stand_in)
    assert replica["behind"] is False
    assert "postgresql" in replica["url"]
    assert 'eventql_read_database_total{target="replica"}' in metrics.text


async def test_a_replica_behind_the_newest_version_seen_is_skipped(
    postgres_url: str, stand_in: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    add_version(postgres_url, data_version(stand_in) + 10)  # the primary is ahead
    app = make_app(postgres_url, read_replica_urls=[stand_in])
    async with app_client(app) as client:
        answer = await client.post("/graphql", json={"query": QUERY})
        ready = await client.get("/readyz")
        add_version(stand_in, data_version(postgres_url))  # the replica catches up
        await client.get("/readyz")  # (a health check reads every version anew)
        caught_up = await client.post("/graphql", json={"query": QUERY})
    assert read_from(answer.json()) == "testland"
    assert answer.headers["eventql-data-version"] == str(data_version(postgres_url))
    assert ready.status_code == 200  # a replica behind never makes the server unready
    assert ready.json()["replicas"][0]["behind"] is True
    assert read_from(caught_up.json()) == "replicaland"


async def test_a_replica_behind_the_clients_minimum_is_skipped(
    postgres_url: str, stand_in: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    replica_version = data_version(postgres_url) + 10
    add_version(stand_in, replica_version)
    app = make_app(postgres_url, read_replica_urls=[stand_in], data_version_poll_s=60)
    async with app_client(app) as client:
        # A load this server has not looked for yet (it polls every minute); a client was
        # given its version by another host, which read the primary.
        add_version(postgres_url, replica_version + 1)
        plain = await client.post("/graphql", json={"query": QUERY})
        asked = await client.post(
            "/graphql",
            json={"query": QUERY},
            headers={"eventql-min-version": str(replica_version + 1)},
        )
    assert read_from(plain.json()) == "replicaland"
    assert read_from(asked.json()) == "testland"
    assert asked.headers["eventql-data-version"] == str(replica_version + 1)


async def test_etag_and_body_come_from_the_same_database(
    postgres_url: str, stand_in: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    add_version(stand_in, data_version(postgres_url) + 10)
    params = {"query": QUERY}
    async with app_client(make_app(postgres_url, read_replica_urls=[stand_in])) as client:
        routed = await client.get("/graphql", params=params)
    async with app_client(make_app(stand_in)) as client:
        replica_alone = await client.get("/graphql", params=params)
    async with app_client(make_app(postgres_url)) as client:
        primary_alone = await client.get("/graphql", params=params)
    assert routed.json() == replica_alone.json()
    assert routed.headers["etag"] == replica_alone.headers["etag"]
    assert routed.headers["etag"] != primary_alone.headers["etag"]


async def test_an_unreachable_replica_is_skipped(postgres_url: str, tmp_path: Path) -> None:
    load(postgres_url, tmp_path, world())
    nowhere = f"postgresql://postgres:secret@127.0.0.1:{free_port()}/test"
    async with app_client(make_app(postgres_url, read_replica_urls=[nowhere])) as client:
        answer = await client.post("/graphql", json={"query": QUERY})
        ready = await client.get("/readyz")
    assert read_from(answer.json()) == "testland"
    assert ready.status_code == 200
    (replica,) = ready.json()["replicas"]
    assert replica["reachable"] is False
    assert replica["error"]
    assert "secret" not in ready.text


async def test_a_replica_answers_while_the_primary_is_away(
    postgres_url: str, stand_in: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    add_version(stand_in, data_version(postgres_url) + 10)
    with tcp_proxy("127.0.0.1", make_url(postgres_url).port or 5432) as proxy:
        primary = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
        app = make_app(primary.render_as_string(hide_password=False), read_replica_urls=[stand_in])
        async with app_client(app) as client:
            proxy.cut()
            ready = await client.get("/readyz")
            answer = await client.post("/graphql", json={"query": QUERY})
            proxy.restore()
    assert ready.status_code == 200
    assert ready.json()["database"]["reachable"] is False
    assert ready.json()["replicas"][0]["reachable"] is True
    assert read_from(answer.json()) == "replicaland"
