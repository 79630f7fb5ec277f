"""The benchmark corpus cannot rot: every query answers, with data, on both databases.

Each corpus query (`tests.benchmarks.corpus`) is resolved against a small seeded database (its
cursors and IDs read off real pages, as the benchmark does) and sent once through the API, on
SQLite and on PostgreSQL; `open_api` sends it to both executors (fast path and general), which
must agree. An answer with errors, or a root field that holds nothing, fails the test with the
query's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import parse, print_ast

from tests.api_support import open_api
from tests.benchmarks.corpus import CORPUS, empty_parts, variables_of, with_typename
from tests.seed_helpers import varied_seed

#: Enough events for every query of the corpus to find something (every type, place and
#: kind of figure and actor of the varied seed, statements, sources, links, four years).
EVENTS = 210


async def test_every_corpus_query_answers_with_data(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, varied_seed(EVENTS)) as api:

        async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            return await api.post(query, variables)

        problems = []
        for query in CORPUS:
            body = await post(query.query, await variables_of(query, post))
            if body.get("errors"):
                problems.append(f"{query.name}: {body['errors']}")
            elif empty := empty_parts(body["data"]):
                problems.append(f"{query.name}: nothing in {', '.join(empty)}")
    assert len(CORPUS) >= 30
    assert not problems, "\n".join(problems)


def test_typename_is_added_to_every_selection_set_but_the_root() -> None:
    added = with_typename("query { events { nodes { id ...F } } } fragment F on Event { slug }")
    assert added == print_ast(
        parse(
            "query { events { nodes { id ...F __typename } __typename } }"
            " fragment F on Event { slug __typename }"
        )
    )
