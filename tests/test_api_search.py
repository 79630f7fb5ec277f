"""Full-text `search:` on root connections: words in any form, safe against any input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api_support import open_api, world

_SEARCH = """query($q: String, $f: EventFilter) {
  events(search: $q, filter: $f, orderBy: [{ field: SLUG }]) { totalCount nodes { slug } } }"""


async def test_search_finds_events_by_words_in_any_form(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        riots = await api.data(_SEARCH, {"q": "riot"})  # "Riots in Almaty"
        city = await api.data(_SEARCH, {"q": "clashes city"})  # words of a description
    assert [n["slug"] for n in riots["events"]["nodes"]] == ["almaty-riots"]
    assert [n["slug"] for n in city["events"]["nodes"]] == ["almaty-riots"]


async def test_search_covers_quotes_figures_actors_and_sources(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ statements(search: "terrorist") { nodes { slug } }
                 figures(search: "demonstrators") { nodes { slug } }
                 actors(search: "MVD") { nodes { slug } }
                 sources(search: "borders") { nodes { slug } } }"""
        )
    assert data["statements"]["nodes"] == [{"slug": "fm-terror"}]
    assert data["figures"]["nodes"] == [{"slug": "demonstrators-5000"}]
    assert data["actors"]["nodes"] == [{"slug": "mvd"}]  # found by its alias
    assert data["sources"]["nodes"] == [{"slug": "report"}]


async def test_search_combines_with_filters_and_counts(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(_SEARCH, {"q": "protest", "f": {"place": {"equalTo": "Aktau"}}})
        aggregates = await api.data(
            '{ events(search: "protest", first: 0) { aggregates { count byType { type count } } } }'
        )
    assert data["events"] == {"totalCount": 1, "nodes": [{"slug": "aktau-protest"}]}
    assert aggregates["events"]["aggregates"] == {
        "count": 2,
        "byType": [{"type": "PROTESTS", "count": 2}],
    }


async def test_search_without_words_matches_everything(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(_SEARCH, {"q": '  "*" -- '})
    assert data["events"]["totalCount"] == 6


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        "*",
        "NEAR(",
        "' OR 1=1 --",
        "riots AND",
        "title:riots",
        "riots)",
        "^riots",
        "riots\x00",
        "(((((",
        "!riots & | <->",
        "a" * 600,
    ],
)
async def test_search_is_safe_against_any_input(
    database_url: str, tmp_path: Path, hostile: str
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        result = await api.post(_SEARCH, {"q": hostile})
    assert "errors" not in result, result
    assert isinstance(result["data"]["events"]["totalCount"], int)


async def test_search_operators_are_plain_words(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(_SEARCH, {"q": "' OR 1=1 --"})
    assert data["events"]["totalCount"] == 0
