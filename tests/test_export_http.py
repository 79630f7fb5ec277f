"""The served app (`eventql.asgi`) over the imported real files: downloads and the GraphQL API."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
import orjson
import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette

from eventql.asgi import create_app_from_env
from tests.adversarial.attacks import heavy_export_filter
from tests.harness import app_client
from tests.import_files import (
    GDELT_DATASET,
    UCDP_BEST,
    UCDP_DATASET,
    UCDP_EVENTS,
    UCDP_HIGH,
    UCDP_LOW,
)
from tests.import_files import loaded as loaded  # a module-scoped fixture

BANGLADESH = {"countryCode": {"equalTo": "BD"}, "dataset": {"equalTo": UCDP_DATASET}}


@asynccontextmanager
async def served(loaded: Engine) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    """The app `eventql serve` runs (settings from the environment), over both imports."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVENTQL_DATABASE_URL", loaded.url.render_as_string(hide_password=False))
        patch.setenv("EVENTQL_SEED_ON_EMPTY", "false")
        app = create_app_from_env()
    async with app_client(app) as client:
        yield app, client


async def _download(loaded: Engine, name: str, **params: str) -> tuple[bytes, str]:
    async with served(loaded) as (_, client):
        response = await client.get(f"/export/events.{name}", params=params)
    assert response.status_code == 200, response.text
    return response.content, response.headers["content-type"]


async def _body_messages(app: Starlette, path: str, query: str) -> list[MutableMapping[str, Any]]:
    """The `http.response.body` messages the app sends for a GET (to see it stream)."""
    sent: list[MutableMapping[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
    }

    requested, finished = False, anyio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()  # the client stays connected until the response is complete
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await app(scope, receive, send)
    assert sent[0]["status"] == 200
    return [m for m in sent if m["type"] == "http.response.body"]


async def test_http_csv_download_streams_the_filtered_events(loaded: Engine) -> None:
    body, media_type = await _download(loaded, "csv", filter=json.dumps(BANGLADESH))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert media_type.startswith("text/csv")
    assert len(rows) == 601
    assert {row["country_code"] for row in rows} == {"BD"}


async def test_http_download_is_sent_in_chunks_as_it_is_read(loaded: Engine) -> None:
    async with served(loaded) as (app, _):
        query = urlencode({"filter": json.dumps({"dataset": {"equalTo": UCDP_DATASET}})})
        messages = await _body_messages(app, "/export/events.csv", query)
    # The header, then one chunk per batch of 1,000 events: never one whole body.
    assert len([m for m in messages if m.get("body")]) >= 1 + UCDP_EVENTS // 1000
    assert all(m.get("more_body") for m in messages[:-1])


async def test_http_geojson_download_is_a_feature_collection(loaded: Engine) -> None:
    body, media_type = await _download(loaded, "geojson", dataset=GDELT_DATASET)
    collection = orjson.loads(body)
    assert media_type == "application/geo+json"
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2072


async def test_http_jsonl_download_holds_seed_file_lines(loaded: Engine) -> None:
    body, _ = await _download(loaded, "jsonl", filter=json.dumps(BANGLADESH))
    lines = [orjson.loads(line) for line in body.splitlines()]
    assert lines[0]["dataset"]["name"] == UCDP_DATASET
    assert sum(len(line.get("events", [])) for line in lines) == 601


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("filter={nope", "filter: not JSON"),
        ('filter={"type": {"in": ["PICNIC"]}}', "filter.type.in[0]"),
        ("dataset=nothing-here", "no dataset named 'nothing-here'"),
        ("dataset=%00", "dataset[0]: text may not contain a NUL character"),
        ('filter={"or": [{"place": {"equalTo": "a\\u0000"}}]}', "filter.or[0].place.equalTo"),
        ('filter={"figure": {"value": {"equalTo": 9223372036854775808}}}', "out of range"),
        ("datasets=ucdp", "unknown parameter 'datasets'"),
        ("filter={}&filter={}", "filter: given more than once"),
        ("&".join(["dataset=a"] * 101), "dataset: more than 100 given"),
        (
            "filter=" + json.dumps({"title": {"in": ["a"] * 600}, "place": {"in": ["b"] * 600}}),
            "filter: 1200 conditions, more than 1000 (max_filter_conditions",
        ),
        (
            # 26 title searches 4 relations deep: 26 conditions, but 104 subqueries.
            "filter=" + heavy_export_filter(26),
            "filter: 104 relation keys, more than 100 (max_filter_relations",
        ),
    ],
    ids=[
        "not-json",
        "bad-enum",
        "unknown-dataset",
        "nul-in-dataset",
        "nul-in-filter",
        "integer-over-64-bits",
        "unknown-parameter",
        "two-filters",
        "too-many-datasets",
        "too-many-conditions",
        "too-many-relations",
    ],
)
async def test_http_bad_selection_is_a_400_with_a_json_error(
    loaded: Engine, query: str, message: str
) -> None:
    async with served(loaded) as (_, client):
        response = await client.get(f"/export/events.csv?{query}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert message in error["message"]


async def test_http_head_runs_the_checks_without_the_export(loaded: Engine) -> None:
    async with served(loaded) as (_, client):
        good = await client.head("/export/events.csv", params={"dataset": UCDP_DATASET})
        bad = await client.head("/export/events.csv", params={"dataset": "nothing-here"})
    assert (good.status_code, good.content) == (200, b"")
    assert good.headers["content-disposition"] == 'attachment; filename="events.csv"'
    assert bad.status_code == 400


async def test_http_unknown_export_format_is_a_404(loaded: Engine) -> None:
    async with served(loaded) as (_, client):
        response = await client.get("/export/events.xlsx")
    assert response.status_code == 404
    assert "no export format" in response.json()["errors"][0]["message"]


async def test_imported_records_are_queryable_through_the_api(loaded: Engine) -> None:
    query = """
    query($dataset: String!) {
      events(filter: {dataset: {equalTo: $dataset}}, first: 1) { totalCount }
      sources(filter: {dataset: {equalTo: $dataset}}) { totalCount }
      figures(filter: {dataset: {equalTo: $dataset}}) {
        aggregates { totals { kind low best high figureCount } }
      }
    }"""
    async with served(loaded) as (_, client):
        variables = {"dataset": UCDP_DATASET}
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["events"]["totalCount"] == UCDP_EVENTS
    assert data["sources"]["totalCount"] == 1760
    [total] = data["figures"]["aggregates"]["totals"]
    assert (total["kind"], total["low"], total["best"], total["high"]) == (
        "KILLED",
        UCDP_LOW,
        UCDP_BEST,
        UCDP_HIGH,
    )
    assert total["figureCount"] == UCDP_EVENTS  # the per-side parts are not counted again


#: What an Excel-friendly CSV starts with.
UTF8_BOM = b"\xef\xbb\xbf"


async def test_http_csv_bom_starts_with_a_byte_order_mark(loaded: Engine) -> None:
    plain, _ = await _download(loaded, "csv", filter=json.dumps(BANGLADESH))
    excel, media_type = await _download(loaded, "csv", filter=json.dumps(BANGLADESH), bom="true")

    assert media_type.startswith("text/csv")
    assert not plain.startswith(UTF8_BOM)
    assert excel == UTF8_BOM + plain


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("csv", "bom=maybe", "bom: expected true or false, once"),
        ("csv", "bom=1&bom=1", "bom: expected true or false, once"),
        ("geojson", "bom=true", "bom: only the CSV download takes it"),
    ],
    ids=["not-a-flag", "twice", "not-csv"],
)
async def test_http_bad_bom_is_a_400(loaded: Engine, path: str, query: str, message: str) -> None:
    async with served(loaded) as (_, client):
        response = await client.get(f"/export/events.{path}?{query}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"] == message
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_http_geojson_counts_the_events_left_out_without_coordinates(
    loaded: Engine,
) -> None:
    from tests.import_files import GDELT_EVENTS

    body, _ = await _download(loaded, "geojson", dataset=GDELT_DATASET)

    collection = orjson.loads(body)
    assert collection["eventql"] == {
        "events": GDELT_EVENTS,
        "features": len(collection["features"]),
        "withoutCoordinates": GDELT_EVENTS - len(collection["features"]),
    }
    assert collection["eventql"]["withoutCoordinates"] > 0
