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
    assert errors[0].startswith("node limit exceeded: the query could return up to 10100 records")
    assert "at most 10000 are allowed (max_nodes)" in errors[0]
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
    assert "up to 420 records" in errors[0]


async def test_node_budget_sees_fields_of_fragments_on_interfaces(
    database_url: str, tmp_path: Path
) -> None:
    query = """{ nodes(ids: ["a", "b"]) { ... on Event { figures(first: 60) { totalCount } } } }"""
    async with open_api(database_url, tmp_path, world(), max_nodes=100) as api:
        errors = await api.errors(query)
    assert "up to 122 records" in errors[0]  # 2 nodes + 2 x 60 figures


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
