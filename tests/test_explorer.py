"""The GraphiQL explorer at /graphql: served to browsers from bundled files, never a CDN.

(`test_explorer_browser.py` runs it in Chromium; these check what the server sends.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gql.http.explorer import VENDOR_DIR, load_examples
from schema.db import create_sync_engine
from seeds.importers import load_imported
from tests.api_support import open_api, world
from tests.harness import load_bundled
from tests.import_files import UCDP_BEST, UCDP_LOW, ucdp_imported

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def asset_urls(page: str) -> list[str]:
    """Every script and stylesheet URL in the page."""
    return re.findall(r'(?:src|href)="([^"]+)"', page)


async def test_browser_get_serves_the_explorer(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get("/graphql", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    config = json.loads(re.findall(r'id="explorer-config"[^>]*>(.*?)</script>', response.text)[0])
    assert config["endpoint"] == "/graphql"
    assert config["streamEndpoint"] == "/graphql/stream"
    assert [e["title"] for e in config["examples"]] == [e.title for e in load_examples()]


def test_an_example_runs_a_subscription() -> None:
    live = [e for e in load_examples() if e.operation == "subscription"]
    assert [e.title for e in live] == ["LiveDatasetChanges"]
    assert "datasetChanged" in live[0].query
    assert {e.operation for e in load_examples()} == {"query", "subscription"}


async def test_explorer_loads_every_asset_from_this_server(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        page = (await api.client.get("/graphql", headers=BROWSER)).text
        urls = asset_urls(page)
        responses = [await api.client.get(url) for url in urls]
    # React, ReactDOM, GraphiQL (JS + CSS), the explorer plugin (JS + CSS), the world outline,
    # the results view (four scripts + CSS) and the start-up script.
    assert len(urls) == 13
    assert all(url.startswith("/graphql/static/") for url in urls), urls
    assert [r.status_code for r in responses] == [200] * len(urls)
    assert "://" not in page


async def test_explorer_assets_are_sent_gzipped_and_cached(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        page = (await api.client.get("/graphql", headers=BROWSER)).text
        url = next(u for u in asset_urls(page) if "graphiql.min.js" in u)
        response = await api.client.get(url, headers={"accept-encoding": "gzip"})
        revalidated = await api.client.get(url, headers={"if-none-match": response.headers["etag"]})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert "immutable" in response.headers["cache-control"]
    assert revalidated.status_code == 304


async def test_results_view_draws_on_a_bundled_public_domain_outline(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        page = (await api.client.get("/graphql", headers=BROWSER)).text
        url = next(u for u in asset_urls(page) if "world-110m.js" in u)
        outline = (await api.client.get(url)).text
    assert outline.count("window.EventqlWorld = ") == 1
    assert "Natural Earth" in outline
    licences = (VENDOR_DIR / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8")
    assert "Natural Earth is in the public domain" in licences
    assert "world-atlas@2.0.2 (ISC)" in licences


def test_vendored_assets_match_their_recorded_hashes() -> None:
    manifest = json.loads((VENDOR_DIR / "VERSIONS.json").read_text(encoding="utf-8"))
    assert manifest["packages"]["graphiql"] == "3.8.3"
    for asset in manifest["assets"]:
        served = gzip.decompress((VENDOR_DIR / asset["stored"]).read_bytes())
        # A patched file (refresh.mjs PATCHES) records the upstream hash and its own.
        expected = asset["served_sha256"] if asset.get("patches") else asset["sha256"]
        assert hashlib.sha256(served).hexdigest() == expected, asset["served"]


async def test_explorer_is_off_when_disabled(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), graphiql=False) as api:
        page = await api.client.get("/graphql", headers=BROWSER)
        asset = await api.client.get("/graphql/static/graphiql.min.js")
    assert not page.headers["content-type"].startswith("text/html")
    assert asset.status_code == 404


async def test_get_with_a_query_is_not_the_explorer(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get(
            "/graphql", params={"query": "{ datasets { name } }"}, headers=BROWSER
        )
    assert response.json() == {"data": {"datasets": [{"name": "testland"}]}}


def _lists(value: Any) -> Iterator[list[Any]]:
    """Every list in an answer (but a record change's `fields`: empty for an added record,
    and a first load adds every record)."""
    if isinstance(value, list):
        yield value
        for item in value:
            yield from _lists(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "fields":
                yield from _lists(item)


async def test_example_queries_answer_from_the_seed_data(database_url: str, tmp_path: Path) -> None:
    # The bundled report, and a UCDP file as `eventql import ucdp` loads it (the deaths by
    # country and year example needs deaths: the report has none).
    load_bundled(database_url)
    engine = create_sync_engine(database_url)
    try:
        load_imported([ucdp_imported()], engine=engine)
    finally:
        engine.dispose()
    async with open_api(database_url, tmp_path) as api:
        for example in load_examples():
            if example.operation == "subscription":
                continue  # runs over /graphql/stream: test_explorer_browser.py runs it
            result = await api.post(example.query)
            assert "errors" not in result, (example.title, result["errors"])
            (connection,) = result["data"].values()
            lists = list(_lists(connection))
            assert lists and all(lists), f"{example.title} returned an empty list"
            if example.title == "DeathsByCountryAndYear":
                groups = connection["aggregates"]["groups"]
                # The file's own sums (tests/data/SOURCES.md): no part added to its whole.
                assert sum(g["best"] for g in groups) == UCDP_BEST
                assert sum(g["low"] for g in groups) == UCDP_LOW
