"""No plan cliffs: PostgreSQL's generic plan of every statement the benchmark corpus sends
reads about as many rows as the plan made for its values.

The fast path sends its statements as server-side prepared statements, which PostgreSQL may
switch to a generic plan (made without the parameters' values) after five executions on a
connection. An answer must not depend on how often a statement already ran: so each corpus
query (`tests.benchmarks.corpus`) is sent through the API as the benchmark sends it, every
statement it runs is captured, and each is explained prepared under `force_custom_plan` and
under `force_generic_plan` (`tests.pg_plans`). Counts are compared — rows the scans read
(buffers touched are reported with them) — not timings, so the test cannot flake. The
deep-page side of issue 12 is `tests/test_keyset_plans.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from tests.api_support import load
from tests.benchmarks.corpus import resolve
from tests.harness import app_client, make_app
from tests.pg_plans import Statement, buffers, captured, explain_prepared, nodes, rows_read
from tests.seed_helpers import varied_seed

#: Enough for a plan that reads a whole table to stand out against one that reads a page.
EVENTS = 600
#: A generic plan may read a little more than a custom one (an estimate made without the
#: value picks a neighbouring index): this much, not a table's worth more.
SLACK_ROWS = 100


async def _corpus_statements(url: str) -> dict[str, list[Statement]]:
    """Each corpus query's statements, as the app (fast path on) sent them."""
    app = make_app(url, fast_path=True)
    found: dict[str, list[Statement]] = {}
    async with app_client(app) as client:

        async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            answer: dict[str, Any] = response.json()
            return answer

        for query in await resolve(post):
            # Twice: the second request runs the plan the server keeps.
            headers = {"content-type": "application/json"}
            await client.post(query.path, content=query.body, headers=headers)
            with captured(app) as ran:
                response = await client.post(query.path, content=query.body, headers=headers)
            assert response.status_code == 200 and "errors" not in response.json(), query.name
            found[query.name] = [
                (sql, p) for sql, p in ran if sql.lstrip().startswith(("SELECT", "WITH"))
            ]
    return found


async def test_generic_plans_of_corpus_statements_read_as_many_rows_as_custom_plans(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, varied_seed(EVENTS))
    statements = await _corpus_statements(postgres_url)
    assert len(statements) >= 30 and sum(map(len, statements.values())) >= 60
    cliffs = []
    for name, sent in statements.items():
        for number, statement in enumerate(sent, 1):
            if "to_tsquery(" in statement[0]:
                # A search is planned for its words each time, never prepared (the plan
                # depends on how many records the words match): there is no generic plan.
                continue
            custom = explain_prepared(
                postgres_url, statement, "force_custom_plan", as_at_scale=True
            )
            generic = explain_prepared(
                postgres_url, statement, "force_generic_plan", as_at_scale=True
            )
            read = rows_read(generic), rows_read(custom)
            touched = buffers(generic), buffers(custom)
            if read[0] > 3 * read[1] + SLACK_ROWS:
                cliffs.append(
                    f"{name} #{number}: generic plan read {read[0]} rows / {touched[0]} buffers,"
                    f" custom {read[1]} / {touched[1]}: {statement[0][:300]}"
                )
    assert not cliffs, "\n".join(cliffs)


#: Enough events for a set of their keys to outgrow the smallest `work_mem` (64 kB).
NEGATED_EVENTS = 5000
#: Filters that are negated below, on events or figures: a relation through a link table, a
#: search, a record's dataset and a figure's event (which the prepared totals translate).
NEGATED = {
    "participant": ("events", "{participant: {role: {equalTo: PARTICIPANT}}}"),
    "type-and-participant": (
        "events",
        "{type: {in: [RIOTS]}, participant: {role: {equalTo: PARTICIPANT}}}",
    ),
    "search": ("events", '{search: "protest"}'),
    "dataset": ("events", '{dataset: {equalTo: "other"}}'),
    "event": ("figures", "{event: {type: {in: [RIOTS, PROTESTS]}}}"),
}


async def _rows_read(app: Starlette, client: httpx.AsyncClient, url: str, query: str) -> int:
    """Rows the statements of one request handle, with sets as large as at scale."""
    with captured(app) as ran:
        response = await client.post("/graphql", json={"query": query})
    assert "errors" not in response.json(), response.json()
    plans = [
        explain_prepared(url, sent, "force_custom_plan", work_mem="64kB")
        for sent in ran
        if sent[0].lstrip().startswith(("SELECT", "WITH"))
    ]
    # Every node's rows, not only the scans': a set scanned once may be re-read from a
    # Materialize node for each outer row.
    return sum(
        (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
        * node.get("Actual Loops", 1)
        for plan in plans
        for node in nodes(plan)
    )


async def test_a_negated_filter_reads_about_as_many_rows_as_the_filter(
    postgres_url: str, tmp_path: Path
) -> None:
    """`NOT (key IN (subquery))` cannot become an anti-join (a NULL in the set would make it
    unknown): PostgreSQL hashes the set, and once the set outgrows `work_mem` scans it again
    for every row (1,000,000 events: past the 5 s statement timeout). Here a small `work_mem`
    makes a few thousand events' sets as large as that: a negated filter must handle about
    the rows the filter and an unfiltered count handle (an anti-join, or a key lookup per
    row), not their product."""
    load(postgres_url, tmp_path, varied_seed(NEGATED_EVENTS))
    app = make_app(postgres_url, fast_path=True)
    cliffs = []
    async with app_client(app) as client:
        for name, (field, where) in NEGATED.items():
            every, filtered, negated = [
                await _rows_read(app, client, postgres_url, f"{{ {field}{f} {{ totalCount }} }}")
                for f in ("", f"(filter: {where})", f"(filter: {{not: {where}}})")
            ]
            # The complement holds about the rest of the records: its cost is bounded by
            # reading them all plus what the filter reads, not by one times the other.
            if negated > 3 * (every + filtered) + SLACK_ROWS:
                cliffs.append(f"{name}: all {every}, filtered {filtered}, negated {negated}")
    assert not cliffs, cliffs


#: Enough actors (a tenth of the events) for their search statistics to hold common words.
SEARCH_EVENTS = 2000
#: Searches for a word one actor in six has in its name ("Crowd 12"): in a filter and as a list.
ACTOR_SEARCHES = (
    '{ events(filter: {actor: {search: "crowd"}}) { totalCount } }',
    '{ actors(search: "crowd") { totalCount } }',
)


async def test_a_search_is_estimated_from_the_entries_of_its_kind(
    postgres_url: str, tmp_path: Path
) -> None:
    """A search of one kind reads that kind's partition of the search entries, and the planner
    expects about as many matches as there are. With every kind in one table it multiplied
    the actors' share of the entries by the word's share among all of them (here about a
    twentieth of the matches), and joined the events of those few actors one index probe at a
    time: 39,000 probes for one count at 100,000 events."""
    load(postgres_url, tmp_path, varied_seed(SEARCH_EVENTS))
    app = make_app(postgres_url, fast_path=True)
    scans: list[dict[str, Any]] = []
    async with app_client(app) as client:
        for query in ACTOR_SEARCHES:
            with captured(app) as ran:
                response = await client.post("/graphql", json={"query": query})
            assert "errors" not in response.json(), response.json()
            for sent in ran:
                if sent[0].lstrip().startswith(("SELECT", "WITH")):
                    plan = explain_prepared(postgres_url, sent, "force_custom_plan")
                    scans += [n for n in nodes(plan) if "searchentry" in n.get("Relation Name", "")]
    assert len(scans) >= len(ACTOR_SEARCHES)
    found = [(n["Relation Name"], n["Plan Rows"], n["Actual Rows"]) for n in scans]
    assert all(name == "searchentry_actor" for name, _, _ in found), found
    assert all(actual / 3 <= expected <= actual * 3 for _, expected, actual in found), found
