"""Serving: the first start seeds an empty database; `eventql serve` answers with the seed data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from eventql.startup import prepare_database
from gql.http.app import create_app
from gql.settings import Settings
from tests.api_support import load, world
from tests.harness import app_client
from tests.server_process import serve

_DATASETS = {"query": "{ datasets { name } events(first: 0) { totalCount } }"}


@asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(settings, prepare=prepare_database)) as client:
        yield client


async def test_first_start_seeds_an_empty_database(database_url: str) -> None:
    async with _client(Settings(database_url=database_url)) as client:
        data = (await client.post("/graphql", json=_DATASETS)).json()["data"]
    assert data["datasets"] == [{"name": "kazakhstan-2022"}]
    assert data["events"]["totalCount"] > 10


async def test_seed_on_empty_can_be_turned_off(database_url: str) -> None:
    async with _client(Settings(database_url=database_url, seed_on_empty=False)) as client:
        data = (await client.post("/graphql", json=_DATASETS)).json()["data"]
    assert data == {"datasets": [], "events": {"totalCount": 0}}


async def test_a_database_with_data_is_not_reseeded(database_url: str, tmp_path: Path) -> None:
    load(database_url, tmp_path, world())
    async with _client(Settings(database_url=database_url)) as client:
        data = (await client.post("/graphql", json=_DATASETS)).json()["data"]
    assert data["datasets"] == [{"name": "testland"}]


def test_serve_command_serves_the_seeded_api_with_workers(database_url: str) -> None:
    env = {"EVENTQL_SEED_ON_EMPTY": "true"}
    with serve(database_url, args=["--workers", "2"], env=env) as server:
        response = httpx.post(f"{server.base_url}/graphql", json=_DATASETS, timeout=10)
        health = httpx.get(f"{server.base_url}/healthz", timeout=10)
        output = server.wait_for_log("Started parent process")  # uvicorn's multi-worker mode
    assert response.json()["data"]["datasets"] == [{"name": "kazakhstan-2022"}]
    assert health.json()["status"] == "ok"
    assert "empty database: loading the bundled seed records" in output
