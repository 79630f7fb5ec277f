"""The GraphiQL explorer at /graphql: served to browsers from bundled files, never a CDN.

(`test_explorer_browser.py` runs it in Chromium; these check what the server sends.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from sqlalchemy import Engine

from gql.http.explorer import VENDOR_DIR, load_examples
from schema.db import create_sync_engine
from seeds import bundled_seed_paths, load_seeds
from tests.api_support import open_api, world

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
    assert [e["title"] for e in config["examples"]] == [e.title for e in load_examples()]


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


def _seed_bundled(url: str) -> None:
    engine: Engine = create_sync_engine(url)
    try:
        load_seeds(bundled_seed_paths(), engine=engine)
    finally:
        engine.dispose()


async def test_example_queries_answer_from_the_seed_data(database_url: str, tmp_path: Path) -> None:
    _seed_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        for example in load_examples():
            result = await api.post(example.query)
            assert "errors" not in result, (example.title, result["errors"])
            (connection,) = result["data"].values()
            assert connection["nodes"], f"{example.title} returned no records"
