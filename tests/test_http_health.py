"""`/healthz` reports the database and its data version; `/readyz` fails while the database
cannot be reached, and recovers with it. Never a traceback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url

from tests.api_support import load, world
from tests.fault_support import assert_no_internals, serving
from tests.tcp_proxy import tcp_proxy


async def test_healthz_reports_the_database_kind_and_data_version(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        first = await client.get("/healthz")
        load(database_url, tmp_path, world("elsewhere"))
        second = await client.get("/healthz")
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "ok"
    assert body["database"] == {
        "kind": make_url(database_url).get_backend_name(),
        "reachable": True,
        "version": body["database"]["version"],  # the newest datasetversion.id
    }
    assert isinstance(body["database"]["version"], int)
    assert len(body["dataVersion"]) == 64
    # A load changes the data, and so the version.
    assert second.json()["dataVersion"] != body["dataVersion"]


async def test_readyz_is_200_while_the_database_answers(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, world())
    async with serving(database_url) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


async def test_readyz_fails_while_postgresql_is_unreachable(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    with tcp_proxy("127.0.0.1", make_url(postgres_url).port or 5432) as proxy:
        proxied = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
        async with serving(proxied.render_as_string(hide_password=False)) as client:
            before = await client.get("/readyz")
            proxy.cut()
            ready = await client.get("/readyz")
            health = await client.get("/healthz")
            proxy.restore()
            after = await client.get("/readyz")
    assert before.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "1"
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["database"]["reachable"] is False
    assert ready.json()["database"]["error"].startswith("database unavailable: ")
    # Liveness stays 200 (the server recovers by itself), reporting the database away.
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["dataVersion"] is None
    for response in (ready, health):
        assert_no_internals(response.text)
    assert after.status_code == 200


async def test_readyz_fails_while_the_sqlite_file_cannot_be_opened(tmp_path: Path) -> None:
    folder = tmp_path / "not yet"
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    async with serving(url) as client:
        missing = await client.get("/readyz")
        health = await client.get("/healthz")
        folder.mkdir()
        load(url, tmp_path, world())
        found = await client.get("/readyz")
    assert missing.status_code == 503
    assert missing.json()["database"] == {
        "kind": "sqlite",
        "reachable": False,
        "error": "database unavailable: the SQLite database file cannot be opened or is "
        "read-only; retry shortly",
    }
    assert_no_internals(missing.text)
    assert (health.status_code, health.json()["status"]) == (200, "degraded")
    assert found.status_code == 200


async def test_readyz_fails_on_a_database_without_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    async with serving(url) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert "no eventql tables" in response.json()["database"]["error"]
