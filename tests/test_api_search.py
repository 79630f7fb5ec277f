"""Full-text `search:` on root connections: one syntax and the same limits on both databases,
safe against any input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from schema.db import create_sync_engine
from seeds import bundled_seed_paths, load_seeds
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


#: (search, events it finds): the same answer is required of SQLite and PostgreSQL.
SYNTAX_CASES = [
    ("almaty", ["almaty-protest", "almaty-riots"]),
    ("ALMATY Riot", ["almaty-riots"]),
    ("protest -almaty", ["aktau-protest"]),
    ('protest -"in almaty"', ["aktau-protest"]),
    ('-"in almaty" protest', ["aktau-protest"]),
    ('"protest in almaty"', ["almaty-protest"]),
    ('"almaty in protest"', []),
    ('"gas prices', ["almaty-riots"]),  # an unclosed quote runs to the end
    ("gas-prices", ["almaty-riots"]),  # punctuation inside a word: a phrase of its parts
    ("riots OR arrests", ["almaty-riots", "border-arrests"]),
    ("almaty riots OR protest", ["almaty-protest", "almaty-riots"]),  # OR binds its neighbours
    ("riots OR arrests OR cabinet -almaty", ["border-arrests", "cabinet-dismissal"]),
    ("riots or arrests", []),  # lower-case "or" is a common word: both words must match
    ("the riots", ["almaty-riots"]),  # common words are not searched
    ('"the riots"', ["almaty-riots"]),
    ("riots OR", ["almaty-riots"]),  # an OR without two terms is the common word
    ("dismissal", ["cabinet-dismissal"]),  # "Cabinet dismissed": the same stem on both
    ("' OR 1=1 --", []),  # SQL is plain text: the phrase "1 1"
]


@pytest.mark.parametrize(("search", "expected"), SYNTAX_CASES, ids=[c[0] for c in SYNTAX_CASES])
async def test_search_syntax_finds_the_same_events_on_both_databases(
    database_url: str, tmp_path: Path, search: str, expected: list[str]
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(_SEARCH, {"q": search})
    assert [n["slug"] for n in data["events"]["nodes"]] == expected


async def test_search_of_only_exclusions_is_refused(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors(_SEARCH, {"q": '-arrest -"tear gas"'})
    assert errors == [
        "a search needs at least one word to look for: -word only leaves out records that "
        "contain the other words"
    ]


async def test_search_of_only_common_words_is_refused(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors(_SEARCH, {"q": "the OR of"})
    assert len(errors) == 1 and "common words" in errors[0], errors


async def test_search_over_the_word_limit_is_refused(database_url: str, tmp_path: Path) -> None:
    within = " ".join(["riots"] * 31 + ["almaty"])
    over = " ".join(["riots"] * 30 + ['-"gas prices" almaty'])  # quoted words count too
    async with open_api(database_url, tmp_path, world()) as api:
        found = await api.data(_SEARCH, {"q": within})
        errors = await api.errors(_SEARCH, {"q": over})
    assert found["events"]["totalCount"] == 1
    assert errors == [
        "search word limit exceeded: 33 words, at most 32 (words in quotes and after - count too)"
    ]


async def test_search_over_the_length_limit_is_refused(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        found = await api.data(_SEARCH, {"q": "riots" + " " * 495})
        errors = await api.errors(_SEARCH, {"q": "riots" + " " * 496})
    assert found["events"]["totalCount"] == 1
    assert errors == ["search too long: 501 characters, at most 500; search for fewer words"]


_EVERY_EVENT = [
    "aktau-protest",
    "almaty-protest",
    "almaty-riots",
    "border-arrests",
    "cabinet-dismissal",
    "january-review",
]
#: (hostile search, the events it finds): every character that is syntax in FTS5, tsquery or
#: SQL is plain text (punctuation separates words), so each finds what its words find. An
#: operator that reached a query language would change the answer, not only fail.
HOSTILE_CASES = [
    ('"', _EVERY_EVENT),  # no word: nothing to narrow by
    ("*", _EVERY_EVENT),
    ("NEAR(", []),  # the word "near"
    ("' OR 1=1 --", []),  # the phrase "1 1", not a condition that always holds
    ("riots OR 1=1", ["almaty-riots"]),  # riots, or the phrase "1 1"
    ("riots AND", ["almaty-riots"]),  # "and" is a common word
    ("almaty NOT riots", ["almaty-riots"]),  # "not" too: not FTS5's NOT
    ("almaty & !riots", ["almaty-riots"]),  # not tsquery's AND NOT
    ("protest | riots", []),  # not tsquery's OR: both words must match
    ("title:riots", []),  # the phrase "title riots", not FTS5's column filter
    ("riots)", ["almaty-riots"]),
    ("^riots", ["almaty-riots"]),
    ("riots\x00", ["almaty-riots"]),
    ("(((((", _EVERY_EVENT),
    ("!riots & | <->", ["almaty-riots"]),
    ("riots:* | almaty", ["almaty-riots"]),  # no prefix search: riots and almaty
    ("riot*", ["almaty-riots"]),  # the stem of "riot", as without the star
    ("'riots' <-> 'almaty'", ["almaty-riots"]),
    ("a" * 500, []),
]


@pytest.mark.parametrize(
    ("hostile", "expected"), HOSTILE_CASES, ids=[repr(c[0][:20]) for c in HOSTILE_CASES]
)
async def test_search_is_safe_against_any_input(
    database_url: str, tmp_path: Path, hostile: str, expected: list[str]
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        result = await api.post(_SEARCH, {"q": hostile})
    assert "errors" not in result, result
    assert [n["slug"] for n in result["data"]["events"]["nodes"]] == expected


#: Searches over the bundled seed, one per feature of the syntax and kind of record.
BUNDLED_SEARCHES = [
    "almaty",
    "riots",
    "arrested borders",
    "protesters OR demonstrators",
    "riots -almaty",
    '"tear gas"',
    '"state of emergency"',
    '"tear gas" -"state of emergency"',
    "thousands-strong",
    "security committee OR ministry -russian",
    "peacekeepers",
    "extremist cells",
    '"recent riots" OR firearms',
    "kazakhstan -president",
    "prices surged",
    "participants",
    "neutralized",
]


async def test_search_answers_alike_on_sqlite_and_postgresql(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    fields = "".join(
        f" {kind}(search: $q, first: 100, orderBy: [{{ field: SLUG }}]) {{ nodes {{ slug }} }}"
        for kind in ("events", "actors", "statements", "figures", "sources")
    )
    query = f"query($q: String) {{{fields} }}"
    answers: dict[str, list[dict[str, Any]]] = {}
    for url in (sqlite_url, postgres_url):
        engine = create_sync_engine(url)
        try:
            load_seeds(bundled_seed_paths(), engine=engine)
        finally:
            engine.dispose()
        async with open_api(url, tmp_path) as api:
            answers[url] = [await api.data(query, {"q": q}) for q in BUNDLED_SEARCHES]
    assert answers[sqlite_url] == answers[postgres_url]
    found = [sum(len(c["nodes"]) for c in data.values()) for data in answers[sqlite_url]]
    assert all(found), dict(zip(BUNDLED_SEARCHES, found, strict=True))
