"""CORS from settings: off by default, explicit origins only, ETag readable by scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from gql.http.app import create_app
from gql.settings import Settings
from tests.api_support import open_api, world

APP = "https://app.example"
QUERY = {"query": "{ datasets { name } }"}


def preflight(origin: str) -> dict[str, str]:
    """Headers of a browser's preflight for a JSON POST with a conditional header."""
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, if-none-match",
    }


async def test_cors_is_off_by_default(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get("/graphql", params=QUERY, headers={"origin": APP})
        options = await api.client.options("/graphql", headers=preflight(APP))
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in options.headers


async def test_cors_allows_a_configured_origin(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), cors_origins=[APP]) as api:
        options = await api.client.options("/graphql", headers=preflight(APP))
        response = await api.client.get("/graphql", params=QUERY, headers={"origin": APP})
    assert options.status_code == 200
    assert options.headers["access-control-allow-origin"] == APP
    assert "if-none-match" in options.headers["access-control-allow-headers"].lower()
    assert response.headers["access-control-allow-origin"] == APP
    assert "etag" in response.headers["access-control-expose-headers"].lower()


async def test_cors_refuses_other_origins(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), cors_origins=[APP]) as api:
        options = await api.client.options("/graphql", headers=preflight("https://evil.example"))
        response = await api.client.get(
            "/graphql", params=QUERY, headers={"origin": "https://evil.example"}
        )
    assert options.status_code == 400
    assert "access-control-allow-origin" not in options.headers
    assert "access-control-allow-origin" not in response.headers


def test_cors_wildcard_origin_is_refused(sqlite_url: str) -> None:
    with pytest.raises(ValueError, match="explicit origins"):
        create_app(Settings(database_url=sqlite_url, cors_origins=["*"]))
