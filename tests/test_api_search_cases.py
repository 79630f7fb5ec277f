"""Search that finds what is there (issue 15): what each record's search covers, aliases,
search inside filters, and ranking by relevance — on both databases, over HTTP GraphQL, with
both executors agreeing (`open_api` checks every answer against the general executor)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from schema.db import create_sync_engine
from seeds.importers import load_imported
from tests.api_support import nodes, open_api
from tests.harness import app_client, load_bundled, make_app
from tests.import_files import ucdp_imported

_FIGURES = """query($q: String) {
  figures(search: $q, orderBy: [{ field: SLUG }]) { nodes { slug } } }"""


async def test_figure_search_covers_the_evidence(database_url: str, tmp_path: Path) -> None:
    # "more than 5,100 people" (raw) was arrested only in its evidence sentence.
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        found = await api.data(_FIGURES, {"q": "arrested"})
    assert "riot-arrests-more-than-5100" in nodes(found["figures"])


async def test_figure_search_leaves_out_the_coders_note(database_url: str, tmp_path: Path) -> None:
    # The 300 figure's note mentions "the more than 5,100 arrested": a note is not searched.
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        found = await api.data(_FIGURES, {"q": "5,100"})
    assert nodes(found["figures"]) == ["riot-arrests-more-than-5100"]


async def test_event_search_covers_the_headline_of_an_imported_article(
    database_url: str, tmp_path: Path
) -> None:
    imported = ucdp_imported()
    engine = create_sync_engine(database_url)
    try:
        load_imported([imported], engine=engine)
    finally:
        engine.dispose()
    # UCDP cites several articles per event (the first is its source): their headlines are in
    # the event's `source_article` code.
    word = re.compile("rohingya", re.IGNORECASE)  # "Rohingya" and "Rohingyas": one stem
    by_headline = {
        event.id
        for event in imported.seed.events
        if word.search(str(event.codes.get("source_article", "")))
    }
    query = """query($after: String) { events(search: "Rohingya", first: 100, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }"""
    found: list[str] = []
    async with open_api(database_url, tmp_path) as api:
        after = None
        while True:
            page = (await api.data(query, {"after": after}))["events"]
            found += nodes(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert len(by_headline) == 52
    assert by_headline <= set(found)
    assert len(found) == page["totalCount"]


_ACTORS = """query($f: ActorFilter) {
  actors(filter: $f, orderBy: [{ field: SLUG }]) { nodes { slug } } }"""


async def test_name_or_alias_finds_an_actor_by_its_alias(database_url: str, tmp_path: Path) -> None:
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        by_alias = await api.data(_ACTORS, {"f": {"nameOrAlias": {"includesInsensitive": "CSTO"}}})
        exact = await api.data(_ACTORS, {"f": {"nameOrAlias": {"equalTo": "CSTO"}}})
        by_name = await api.data(
            _ACTORS, {"f": {"nameOrAlias": {"startsWith": "Collective Security"}}}
        )
        events = await api.data(
            '{ events(filter: {actor: {nameOrAlias: {equalTo: "CSTO"}}}) { nodes { slug } } }'
        )
    assert nodes(by_alias["actors"]) == ["csto"]
    assert nodes(exact["actors"]) == ["csto"]
    assert nodes(by_name["actors"]) == ["csto"]
    assert nodes(events["events"]) == ["csto-deployment"]


async def test_name_stays_the_name_only(database_url: str, tmp_path: Path) -> None:
    # `name` keeps its documented meaning; its description points to `nameOrAlias`.
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        found = await api.data(_ACTORS, {"f": {"name": {"includesInsensitive": "CSTO"}}})
    assert nodes(found["actors"]) == []


async def test_name_or_alias_negations_are_exact_complements(
    database_url: str, tmp_path: Path
) -> None:
    load_bundled(database_url)
    query = """query($f: ActorFilter) { actors(filter: $f) { totalCount } }"""
    async with open_api(database_url, tmp_path) as api:
        every = (await api.data(query))["actors"]["totalCount"]
        other = await api.data(query, {"f": {"nameOrAlias": {"notEqualTo": "CSTO"}}})
        not_in = await api.data(query, {"f": {"nameOrAlias": {"notIn": ["CSTO", "MVD"]}}})
        inverse = await api.data(query, {"f": {"not": {"nameOrAlias": {"equalTo": "CSTO"}}}})
    assert other["actors"]["totalCount"] == every - 1
    assert not_in["actors"]["totalCount"] == every - 1  # no bundled actor is called MVD
    assert inverse["actors"]["totalCount"] == every - 1


_EVENTS = """query($f: EventFilter) {
  events(filter: $f, orderBy: [{ field: SLUG }]) { nodes { slug } } }"""


async def test_search_nested_in_a_filter_finds_events_by_their_participants(
    database_url: str, tmp_path: Path
) -> None:
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        by_actor = await api.data(_EVENTS, {"f": {"actor": {"search": "CSTO"}}})
        csto = {"search": "CSTO"}
        deploys = await api.data(
            _EVENTS, {"f": {"participant": {"role": {"equalTo": "PERPETRATOR"}, "actor": csto}}}
        )
        takes_part = await api.data(
            _EVENTS, {"f": {"participant": {"role": {"equalTo": "PARTICIPANT"}, "actor": csto}}}
        )
        negated = await api.data(
            '{ events(filter: {not: {actor: {search: "CSTO"}}}) { totalCount } }'
        )
        every = await api.data("{ events { totalCount } }")
    assert nodes(by_actor["events"]) == ["csto-deployment"]
    assert nodes(deploys["events"]) == ["csto-deployment"]
    assert nodes(takes_part["events"]) == []  # the CSTO's peacekeepers take part, not it
    assert negated["events"]["totalCount"] == every["events"]["totalCount"] - 1


async def test_search_in_a_filter_works_on_every_record_kind(
    database_url: str, tmp_path: Path
) -> None:
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        data = await api.data(
            """{ figures(filter: {search: "5,100"}) { nodes { slug } }
                 statements(filter: {figure: {search: "5,100"}}) { nodes { slug } }
                 sources(filter: {search: "extremist cells"}) { totalCount }
                 actors(filter: {search: "CSTO"}) { nodes { slug } }
                 all: events(filter: {search: "  "}) { totalCount }
                 events { totalCount } }"""
        )
    assert nodes(data["figures"]) == ["riot-arrests-more-than-5100"]
    assert nodes(data["statements"]) == ["moi-announces-riot-arrests"]
    assert data["sources"]["totalCount"] == 1
    assert nodes(data["actors"]) == ["csto"]
    assert data["all"]["totalCount"] == data["events"]["totalCount"]  # no word: no narrowing


async def test_search_in_a_filter_is_refused_like_search(database_url: str, tmp_path: Path) -> None:
    load_bundled(database_url)
    async with open_api(database_url, tmp_path) as api:
        errors = await api.errors(_EVENTS, {"f": {"actor": {"search": '-"tear gas"'}}})
    assert errors == [
        "filter.actor.search: a search needs at least one word to look for: -word only leaves "
        "out records that contain the other words"
    ]


def _ranked_seed() -> dict[str, Any]:
    """Four events that mention 'flood' zero to three times (and one as a title word)."""
    mentions = {"none": "A quiet day", "once": "A flood", "twice": "Flood after flood"}
    mentions["thrice"] = "Flood, flood and flood again"
    return {
        "dataset": "ranked",
        "source": {"id": "wire", "headline": "Wire", "text": "Weather reports."},
        "events": [
            {
                "id": slug,
                "title": title,
                "description": "Weather report with several long words to dilute the rank.",
                "type": "strategic_developments",
                "sub_type": "other",
                "date": {"start": "2022-01-04"},
            }
            for slug, title in mentions.items()
        ],
    }


_RANKED = """query($q: String, $d: OrderDirection, $first: Int, $after: String) {
  events(search: $q, first: $first, after: $after,
         orderBy: [{ field: RELEVANCE, direction: $d }]) {
    totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }"""


async def test_relevance_puts_the_best_matches_first(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, _ranked_seed()) as api:
        best = await api.data(_RANKED, {"q": "flood"})
        worst = await api.data(_RANKED, {"q": "flood", "d": "DESC"})
    assert nodes(best["events"]) == ["thrice", "twice", "once"]
    assert nodes(worst["events"]) == ["once", "twice", "thrice"]


async def test_relevance_pages_with_cursors(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, _ranked_seed()) as api:
        first = await api.data(_RANKED, {"q": "flood", "first": 2})
        after = first["events"]["pageInfo"]["endCursor"]
        rest = await api.data(_RANKED, {"q": "flood", "first": 2, "after": after})
    assert nodes(first["events"]) == ["thrice", "twice"]
    assert nodes(rest["events"]) == ["once"]
    assert rest["events"]["pageInfo"]["hasNextPage"] is False


async def test_relevance_without_search_is_an_error(database_url: str, tmp_path: Path) -> None:
    message = (
        "`orderBy: RELEVANCE` sorts by how well records match the `search` argument: give a "
        "`search` with words to look for (only root connections take one), or sort by another "
        "field"
    )
    async with open_api(database_url, tmp_path, _ranked_seed()) as api:
        missing = await api.errors(_RANKED, {})
        no_words = await api.errors(_RANKED, {"q": " * "})
        nested = await api.errors(
            """{ sources { nodes { events(orderBy: [{ field: RELEVANCE }]) {
                 nodes { slug } } } } }"""
        )
    assert missing == no_words == nested == [message]


async def test_search_features_are_answered_by_the_fast_path(
    sqlite_url: str, tmp_path: Path
) -> None:
    # The fast path compiles search filters, aliases and relevance rather than declining them.
    load_bundled(sqlite_url)
    app = make_app(sqlite_url)
    queries = [
        '{ events(search: "riots", orderBy: [{field: RELEVANCE}]) { nodes { slug } } }',
        '{ events(filter: {actor: {search: "CSTO"}}) { nodes { slug } } }',
        '{ actors(filter: {nameOrAlias: {includesInsensitive: "csto"}}) { nodes { slug } } }',
        '{ sources { nodes { events(filter: {search: "riots"}) { nodes { slug } } } } }',
    ]
    async with app_client(app) as client:
        fast_path = app.state.graphql.fast_path
        for query in queries:
            served = fast_path.served
            body = (await client.post("/graphql", json={"query": query})).json()
            assert "errors" not in body, body
            assert fast_path.served == served + 1, query
