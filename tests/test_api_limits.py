"""Every request limit refuses with an error that names it, before any database work."""

from __future__ import annotations

from pathlib import Path

from tests.api_support import open_api, world


async def test_depth_limit_names_itself(database_url: str, tmp_path: Path) -> None:
    deep = "{ events { nodes { " + "participants { actor { " * 3 + "name" + " } }" * 3 + " } } }"
    async with open_api(database_url, tmp_path, world(), max_depth=6) as api:
        result = await api.post(deep)
        statements = api.statements
    assert "data" not in result
    assert result["errors"][0]["message"].startswith("query depth limit exceeded")
    assert "more than 6 levels deep (max_depth)" in result["errors"][0]["message"]
    assert statements == 0


async def test_depth_limit_ignores_introspection(database_url: str, tmp_path: Path) -> None:
    introspection = (
        "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
    )
    async with open_api(database_url, tmp_path, world(), max_depth=3) as api:
        data = await api.data(introspection)
    assert data["__schema"]["types"]


async def test_alias_limit_names_itself(database_url: str, tmp_path: Path) -> None:
    query = "{ " + " ".join(f"a{i}: datasets {{ name }}" for i in range(6)) + " }"
    async with open_api(database_url, tmp_path, world(), max_aliases=5) as api:
        errors = await api.errors(query)
        fine = await api.data(
            "{ " + " ".join(f"a{i}: datasets {{ name }}" for i in range(5)) + " }"
        )
    assert errors == ["alias limit exceeded: the document uses more than 5 aliases (max_aliases)"]
    assert len(fine) == 5


async def test_depth_limit_counts_through_fragments(database_url: str, tmp_path: Path) -> None:
    # events > nodes > participants > actor > name: 5 levels, 3 of them in the fragment
    query = """{ events { nodes { ...E } } }
               fragment E on Event { participants { actor { name } } }"""
    async with open_api(database_url, tmp_path, world(), max_depth=4) as api:
        errors = await api.errors(query)
    async with open_api(database_url, tmp_path, max_depth=5) as api:
        data = await api.data(query)
    assert errors == [
        "query depth limit exceeded: selections nest more than 4 levels deep (max_depth)"
    ]
    assert data["events"]["nodes"]


async def test_alias_limit_counts_each_spread_of_a_fragment(
    database_url: str, tmp_path: Path
) -> None:
    # x, y, and the fragment's two aliases in each of them: 6
    query = """{ x: datasets { ...D } y: datasets { ...D } }
               fragment D on Dataset { a: name b: title }"""
    async with open_api(database_url, tmp_path, world(), max_aliases=5) as api:
        errors = await api.errors(query)
    assert errors == ["alias limit exceeded: the document uses more than 5 aliases (max_aliases)"]


def _doubling_chain(levels: int) -> str:
    """Fragments that each spread the next one twice: 2^(levels + 1) - 1 fields expanded."""
    fragments = " ".join(
        f"fragment F{i} on Query {{ __typename ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ __typename }}"


async def test_selection_limit_counts_every_spread_of_a_fragment(
    database_url: str, tmp_path: Path
) -> None:
    query = _doubling_chain(10)  # 2,047 fields once expanded
    async with open_api(database_url, tmp_path, world(), max_selections=2046) as api:
        result = await api.post(query)
        statements = api.statements
    async with open_api(database_url, tmp_path, max_selections=2047) as api:
        data = await api.data(query)
    assert "data" not in result
    assert result["errors"] == [
        {
            "message": "selection limit exceeded: the document has more than 2046 fields "
            "once its fragments are expanded (max_selections)",
            "extensions": {"code": "LIMIT_EXCEEDED"},
        }
    ]
    assert statements == 0
    assert data == {"__typename": "Query"}


async def test_fragment_chains_spread_twice_are_refused(database_url: str, tmp_path: Path) -> None:
    # Expanded, these are 2 million and 2.3e18 fields: only a walk that takes each fragment
    # once (and counts no further than the limit) answers at all.
    async with open_api(database_url, tmp_path, world()) as api:
        results = [await api.post(_doubling_chain(levels)) for levels in (20, 60)]
        statements = api.statements
    for result in results:
        assert "data" not in result
        assert result["errors"][0]["message"] == (
            "selection limit exceeded: the document has more than 10000 fields once its "
            "fragments are expanded (max_selections)"
        )
        assert result["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED"}
    assert statements == 0


async def test_long_fragment_chain_spread_once_each_is_accepted(
    database_url: str, tmp_path: Path
) -> None:
    levels = 100
    fragments = " ".join(
        f"fragment F{i} on Query {{ __typename ...F{i + 1} }}" for i in range(levels)
    )
    query = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ __typename }}"
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(query)
    assert data == {"__typename": "Query"}


async def test_token_limit_names_itself(database_url: str, tmp_path: Path) -> None:
    query = "{ " + " ".join(["datasets { name }"] * 300) + " }"
    async with open_api(database_url, tmp_path, world(), max_tokens=1000) as api:
        errors = await api.errors(query)
    assert errors == ["token limit exceeded: the document has more than 1000 tokens (max_tokens)"]


async def test_node_budget_multiplies_first_down_the_nesting(
    database_url: str, tmp_path: Path
) -> None:
    # 100 events + 100 x 100 figures = 10,100 possible records
    query = """query($n: Int) { events(first: 100) { nodes {
                 figures(first: $n) { nodes { slug } } } } }"""
    async with open_api(database_url, tmp_path, world(), max_nodes=10_000) as api:
        errors = await api.errors(query, {"n": 100})
        fine = await api.data(query, {"n": 99})  # 100 + 9,900
        statements_before = api.statements
        await api.errors(query, {"n": 100})
        statements = api.statements - statements_before
    assert errors[0].startswith(
        "node limit exceeded: the query could return more than 10000 records (max_nodes)"
    )
    assert fine["events"]["nodes"]
    assert statements == 0


async def test_node_budget_counts_default_pages_and_fragments(
    database_url: str, tmp_path: Path
) -> None:
    # no `first`: 20 per connection; 20 events x 20 statements = 420 through a fragment
    query = """{ events { nodes { ...E } } } fragment E on Event {
                 statements { nodes { slug } } }"""
    async with open_api(database_url, tmp_path, world(), max_nodes=419) as api:
        errors = await api.errors(query)
    async with open_api(database_url, tmp_path, max_nodes=420) as api:
        data = await api.data(query)
    assert "more than 419 records (max_nodes)" in errors[0]
    assert data["events"]["nodes"]


async def test_node_budget_sees_fields_of_fragments_on_interfaces(
    database_url: str, tmp_path: Path
) -> None:
    query = """query($ids: [ID!]!) { nodes(ids: $ids) {
                 ... on Event { figures(first: 60) { totalCount } } } }"""
    async with open_api(database_url, tmp_path, world(), max_nodes=121) as api:
        events = await api.data("{ events(first: 2) { nodes { id } } }")
        ids = [event["id"] for event in events["events"]["nodes"]]
        errors = await api.errors(query, {"ids": ids})
    async with open_api(database_url, tmp_path, max_nodes=122) as api:
        data = await api.data(query, {"ids": ids})  # 2 nodes + 2 x 60 figures
    assert len(ids) == 2
    assert "more than 121 records (max_nodes)" in errors[0]
    assert len(data["nodes"]) == 2


async def test_nodes_takes_at_most_a_page_of_ids(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world(), max_nodes=1_000_000) as api:
        errors = await api.errors(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["x"] * 101}
        )
    assert errors[0].startswith("page size limit exceeded: 101 IDs given to `nodes`")


async def test_aggregate_group_count_is_capped(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors("{ events { aggregates { byActor(first: 1000) { count } } } }")
    assert errors[0].startswith("page size limit exceeded: `first` is 1000")
