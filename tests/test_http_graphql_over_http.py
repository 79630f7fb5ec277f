"""GraphQL over HTTP: the response media type a client asks for, and its status codes."""

from __future__ import annotations

from pathlib import Path

from tests.api_support import open_api, world

GRAPHQL_RESPONSE = "application/graphql-response+json"
INVALID = {"query": "{ events { noSuchField } }"}


async def test_graphql_response_json_when_asked_for(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql",
            json={"query": "{ datasets { name } }"},
            headers={"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"},
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)


async def test_validation_error_is_400_without_data_for_graphql_response_json(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", json=INVALID, headers={"accept": GRAPHQL_RESPONSE}
        )
    assert response.status_code == 400
    assert "data" not in response.json()
    assert response.json()["errors"]


async def test_validation_error_is_200_for_application_json(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.post(
            "/graphql", json=INVALID, headers={"accept": "application/json"}
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]


async def test_get_refuses_mutations(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world()) as api:
        response = await api.client.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"]
