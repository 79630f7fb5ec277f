"""The request cost: every list counts in the node budget, and filters have a condition budget.

Both are checked before any resolver runs, on the fast path and the general executor alike
(`Api.post` asks both and compares), so a refused request runs no SQL statement at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.adversarial.attacks import nested_searches
from tests.api_support import open_api, world

FILTER_LIMIT = (
    "filter condition limit exceeded: the filters of the operation hold more than {} "
    "conditions (max_filter_conditions)"
)


async def test_node_budget_counts_lists_without_paging(database_url: str, tmp_path: Path) -> None:
    # Each is 10 records (0 for the datasets) if lists are ignored, 10 + 10 x 5 (12 x 5) = 60
    # with `max_list_size` 5, whether the list has an optional `first` or none.
    queries = [
        "{ events(first: 10) { nodes { participants { role } } } }",
        "{ events(first: 10) { nodes { links { kind } } } }",
        "{ figures(first: 10) { nodes { parts { slug } } } }",
        "{ statements(first: 10) { nodes { aboutActors { slug } } } }",
        "{ " + " ".join(f"d{i}: datasets {{ name }}" for i in range(12)) + " }",
    ]
    async with open_api(database_url, tmp_path, world(), max_nodes=59, max_list_size=5) as api:
        refused = [await api.errors(query) for query in queries]
        statements = api.statements
    async with open_api(database_url, tmp_path, max_nodes=60, max_list_size=5) as api:
        answered = [await api.data(query) for query in queries]
    for errors in refused:
        assert errors[0].startswith(
            "node limit exceeded: the query could return more than 59 records (max_nodes)"
        )
    assert statements == 0
    assert answered[0]["events"]["nodes"]


async def test_node_budget_counts_a_list_by_its_own_first_or_its_default(
    database_url: str, tmp_path: Path
) -> None:
    # 2 figures + 100 totals (max_list_size) + 100 x `first` figures of each total (default 20)
    default = "{ figures(first: 2) { aggregates { totals { figures { slug } } } } }"
    given = """query($n: Int!) { figures(first: 2) { aggregates { totals {
                 figures(first: $n) { slug } } } } }"""
    async with open_api(database_url, tmp_path, world(), max_nodes=2102) as api:
        fine = await api.data(default)  # 2 + 100 + 2,000
        also_fine = await api.data(given, {"n": 20})
        errors = await api.errors(given, {"n": 21})  # 2 + 100 + 2,100
    assert fine == also_fine
    assert "more than 2102 records (max_nodes)" in errors[0]


async def test_node_budget_refuses_grouped_totals_with_their_figures(
    database_url: str, tmp_path: Path
) -> None:
    # 3 x (1 figure + 100 totals + 100 x 100 figures) = 30,303 records could come back;
    # counting only connections (as the budget once did) finds 3 x 101.
    alias = """figures(first: 1) { aggregates { totals(byClaimant: true) {
                 kind figures(first: 100) { raw } } } }"""
    query = "{ " + " ".join(f"a{i}: {alias}" for i in range(3)) + " }"
    async with open_api(database_url, tmp_path, world(), max_nodes=1000) as api:
        errors = await api.errors(query)
        statements = api.statements
    assert errors[0].startswith(
        "node limit exceeded: the query could return more than 1000 records (max_nodes)"
    )
    assert statements == 0


def _words_filter(words: int) -> dict[str, Any]:
    """A filter of `words` conditions (any one of the title words)."""
    return {"or": [{"title": {"includesInsensitive": f"word{i}"}} for i in range(words)]}


def _aliases_of_events(aliases: int) -> str:
    fields = " ".join(f"a{i}: events(filter: $f) {{ totalCount }}" for i in range(aliases))
    return f"query($f: EventFilter) {{ {fields} }}"


async def test_filter_conditions_count_every_field_that_uses_a_variable(
    database_url: str, tmp_path: Path
) -> None:
    # 50 aliases x 200 conditions = 10,000; 5 x 200 = 1,000 is the default limit exactly
    variables = {"f": _words_filter(200)}
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors(_aliases_of_events(50), variables)
        statements = api.statements
        fine = await api.data(_aliases_of_events(5), variables)
    assert errors == [
        FILTER_LIMIT.format(1000) + ", counted once for each field that uses them, "
        "variables included"
    ]
    assert statements == 0
    assert fine == {f"a{i}": {"totalCount": 0} for i in range(5)}


async def test_filter_conditions_count_list_items_and_fragment_spreads(
    database_url: str, tmp_path: Path
) -> None:
    # 2 conditions (`in` with two values) in a fragment spread under 2 fields: 4
    query = """{ x: actors(first: 1) { nodes { ...A } } y: actors(first: 1) { nodes { ...A } } }
               fragment A on Actor {
                 participations(filter: {role: {in: [PARTICIPANT, RESPONDER]}}) { totalCount } }"""
    async with open_api(database_url, tmp_path, world(), max_filter_conditions=3) as api:
        errors = await api.errors(query)
    async with open_api(database_url, tmp_path, max_filter_conditions=4) as api:
        data = await api.data(query)
    assert errors[0].startswith(FILTER_LIMIT.format(3))
    assert data["x"]["nodes"]


async def test_filter_conditions_count_variable_defaults(database_url: str, tmp_path: Path) -> None:
    query = """query($f: EventFilter = {or: [{title: {includesInsensitive: "a"}},
                 {title: {includesInsensitive: "b"}}, {place: {includesInsensitive: "c"}}]}) {
                 events(filter: $f) { totalCount } }"""
    async with open_api(database_url, tmp_path, world(), max_filter_conditions=2) as api:
        errors = await api.errors(query)
        fine = await api.data(query, {"f": _words_filter(2)})
    assert errors[0].startswith(FILTER_LIMIT.format(2))
    assert fine == {"events": {"totalCount": 0}}


async def test_an_and_or_an_or_of_as_many_conditions_as_the_limit_allows_is_answered(
    database_url: str, tmp_path: Path
) -> None:
    # 1,000 conditions (`max_filter_conditions`' default) in one list: SQLite refuses an
    # expression tree deeper than 1,000, which a flat `a OR b OR ...` of them was.
    slugs = ["aktau-protest", "almaty-protest", *(f"missing-{i}" for i in range(998))]
    any_of = {"or": [{"slug": {"equalTo": slug}} for slug in slugs]}
    all_of = {"and": [{"slug": {"notEqualTo": slug}} for slug in slugs]}
    query = """query($f: EventFilter) {
        events(filter: $f, orderBy: [{field: SLUG, direction: ASC}]) {
          totalCount nodes { slug } } }"""
    async with open_api(database_url, tmp_path, world()) as api:
        found = await api.data(query, {"f": any_of})
        rest = await api.data(query, {"f": all_of})
        every = await api.data(query, {"f": None})
    assert [e["slug"] for e in found["events"]["nodes"]] == ["aktau-protest", "almaty-protest"]
    others = [e["slug"] for e in every["events"]["nodes"] if "-protest" not in e["slug"]]
    assert [e["slug"] for e in rest["events"]["nodes"]] == others
    assert rest["events"]["totalCount"] == every["events"]["totalCount"] - 2


RELATION_LIMIT = (
    "filter relation limit exceeded: the filters of the operation hold more than {} "
    "relation keys (max_filter_relations)"
)


async def test_filter_relations_are_limited_in_documents_and_variables(
    database_url: str, tmp_path: Path
) -> None:
    # 3 searches 4 relations deep (`nested_searches`): 12 relation keys, in a variable or
    # written in the document; 2 (8) are within 11, but not beside another field's filter of
    # 4 relations: all fields add up.
    query = "query($f: EventFilter) { events(filter: $f) { totalCount } }"
    beside = """query($f: EventFilter) { events(filter: $f) { totalCount }
                  actors(filter: {event: {actor: {event: {actor: {name: {equalTo: "x"}}}}}}) {
                    totalCount } }"""
    written = f"{{ events(filter: {_document_value(nested_searches(3))}) {{ totalCount }} }}"
    async with open_api(database_url, tmp_path, world(), max_filter_relations=11) as api:
        over_variable = await api.errors(query, {"f": nested_searches(3)})
        over_written = await api.errors(written)
        under = await api.data(query, {"f": nested_searches(2)})
        over_beside = await api.errors(beside, {"f": nested_searches(2)})
    async with open_api(database_url, tmp_path, max_filter_relations=12) as api:
        at_the_limit = await api.data(query, {"f": nested_searches(3)})
    assert over_variable[0].startswith(RELATION_LIMIT.format(11))
    assert over_written[0].startswith(RELATION_LIMIT.format(11))
    assert over_beside[0].startswith(RELATION_LIMIT.format(11))
    assert under == at_the_limit == {"events": {"totalCount": 0}}


async def test_a_filter_thousands_of_subqueries_deep_is_refused_before_the_database(
    database_url: str, tmp_path: Path
) -> None:
    # 300 searches 4 relations deep: within the condition limit, but 1,200 subqueries,
    # which PostgreSQL alone needs over ten seconds to plan. Refused at once, no SQL run.
    query = "query($f: EventFilter) { events(filter: $f, first: 1) { nodes { title } } }"
    async with open_api(database_url, tmp_path, world()) as api:
        before = api.statements
        errors = await api.errors(query, {"f": nested_searches(300)})
        statements = api.statements - before
    assert errors[0].startswith(RELATION_LIMIT.format(100))
    assert statements == 0


def _document_value(value: Any) -> str:
    """A JSON value written as a GraphQL input value (keys unquoted)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_document_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_document_value(v) for v in value) + "]"
    return json.dumps(value)
