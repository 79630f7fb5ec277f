"""Keyset pages cost the same deep in a list as at its start, in every direction and ordering,
and PostgreSQL's generic plan for them reads no more than the plan made for the cursor.

The page statements are the ones the API really sends, captured as the server runs them on
both executors; then the database explains them. PostgreSQL: `EXPLAIN (ANALYZE, BUFFERS)` of
the statement prepared (`PREPARE`, `EXPLAIN EXECUTE`), under `plan_cache_mode =
force_custom_plan` and `force_generic_plan` (what a prepared statement gets after five
executions on a connection); compared are the rows its scans read and the buffers it touched,
counts rather than timings. SQLite: `EXPLAIN QUERY PLAN`, where a page after or before a
cursor must SEARCH an index from the cursor's values, never SCAN the table or sort it.
"""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import make_url
from starlette.applications import Starlette

from tests.api_support import bulk_world, load, open_api
from tests.harness import app_client, make_app
from tests.pg_plans import Statement, buffers, captured, explain_prepared, rows_read

#: 1,500 events on 500 days (three a day: ties on the date), 1,500 undated statements.
EVENTS = 1500
#: The cursor sits after this many records: deep, against a first page of ten.
DEEP = 800
WALK = 100
#: (root field, sort field, direction, a field to select)
ORDERINGS = [
    ("events", "DATE", "ASC", "title"),
    ("events", "DATE", "DESC", "title"),
    ("events", "TITLE", "DESC", "title"),
    ("events", "PLACE", "ASC", "title"),
    ("events", "PLACE", "DESC", "title"),
    ("events", "TYPE", "DESC", "title"),
    ("statements", "DATE", "DESC", "text"),
    ("figures", "AS_OF", "ASC", "kind"),
    ("figures", "BEST", "DESC", "kind"),  # a computed number, indexed as the expression
    ("figures", "BEST", "ASC", "kind"),
]
#: Nested connections: each parent's page has a LIMIT of its own (a LATERAL subquery on
#: PostgreSQL, a correlated one on SQLite).
NESTED = [
    ('dataset(name: "bulk") { events', "DATE", "ASC", "title"),
    ('dataset(name: "bulk") { events', "DATE", "DESC", "title"),
    ('dataset(name: "bulk") { events', "TITLE", "ASC", "title"),
]
#: On SQLite, without (dataset_id, title, id), a dataset's events by title are read off
#: (dataset_id) and sorted: not yet constant.
NESTED_ON_SQLITE = NESTED[:2]
EXECUTORS = pytest.mark.parametrize("fast_path", [True, False], ids=["fast-path", "general"])
PAGE_LIMIT = "LIMIT 11"  # a page of ten, plus the row that says whether there is more
#: What any page may read: a page, and the rows tied with the cursor (three events a day).
PAGE_READ = 3 * 11


def _query(connection: str, field: str, direction: str, selected: str) -> str:
    return (
        "query($first: Int, $after: String, $last: Int, $before: String) { "
        f"{connection}(first: $first, after: $after, last: $last, before: $before, "
        f"orderBy: [{{field: {field}, direction: {direction}}}]) "
        f"{{ edges {{ cursor node {{ {selected} }} }} }} }}" + "}" * connection.count("{")
    )


async def _ask(client: httpx.AsyncClient, query: str, **variables: Any) -> list[Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    found = body["data"]
    while "edges" not in found:  # down to the connection, however deep
        found = next(iter(found.values()))
    edges: list[Any] = found["edges"]
    return edges


async def _page_statements(
    app: Starlette, client: httpx.AsyncClient, query: str
) -> dict[str, Statement]:
    """The page statement of the first page, of the last page, and of the pages after and
    before a cursor `DEEP` records in, as the API sends them."""
    cursor = None
    for _ in range(DEEP // WALK):
        cursor = (await _ask(client, query, first=WALK, after=cursor))[-1]["cursor"]
    requests: dict[str, dict[str, Any]] = {
        "first page": {"first": 10},
        "after the cursor": {"first": 10, "after": cursor},
        "last page": {"last": 10},
        "before the cursor": {"last": 10, "before": cursor},
    }
    found = {}
    for name, variables in requests.items():
        with captured(app) as seen:
            edges = await _ask(client, query, **variables)
        assert len(edges) == 10, (name, edges)
        pages = [s for s in seen if PAGE_LIMIT in s[0] or "row_number" in s[0]]
        assert len(pages) == 1, (name, [s[0] for s in seen])
        found[name] = pages[0]
    return found


async def _all_page_statements(
    url: str, fast_path: bool, orderings: list[tuple[str, str, str, str]]
) -> dict[str, dict[str, Statement]]:
    app = make_app(url, fast_path=fast_path)
    statements = {}
    async with app_client(app) as client:
        for connection, field, direction, selected in orderings:
            query = _query(connection, field, direction, selected)
            statements[f"{connection} by {field} {direction}"] = await _page_statements(
                app, client, query
            )
    return statements


# PostgreSQL


@EXECUTORS
async def test_deep_pages_read_as_many_rows_as_the_first_on_postgresql(
    postgres_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(postgres_url, tmp_path, bulk_world(EVENTS, per_day=3))
    for ordering, pages in (
        await _all_page_statements(postgres_url, fast_path, ORDERINGS + NESTED)
    ).items():
        plans = {
            name: explain_prepared(postgres_url, s, "force_custom_plan")
            for name, s in pages.items()
        }
        for deep, start in (("after the cursor", "first page"), ("before the cursor", "last page")):
            read = rows_read(plans[deep]), rows_read(plans[start])
            assert read[1] <= PAGE_READ, (ordering, start, read, plans[start])
            # "About as many": within one page of the first page's rows, not DEEP of them.
            assert read[0] <= read[1] + 11, (ordering, deep, read, plans[deep])
            touched = buffers(plans[deep]), buffers(plans[start])
            assert touched[0] <= 2 * touched[1] + 5, (ordering, deep, touched, plans[deep])


@EXECUTORS
async def test_generic_plans_of_pages_read_as_many_rows_as_custom_plans(
    postgres_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(postgres_url, tmp_path, bulk_world(EVENTS, per_day=3))
    for ordering, pages in (
        await _all_page_statements(postgres_url, fast_path, ORDERINGS + NESTED)
    ).items():
        for name, statement in pages.items():
            custom = explain_prepared(postgres_url, statement, "force_custom_plan")
            generic = explain_prepared(postgres_url, statement, "force_generic_plan")
            if "after" in name or "before" in name:  # the plan really was made without values
                assert re.search(r"\$\d", str(generic)), (ordering, name, generic)
            read = rows_read(generic), rows_read(custom)
            assert read[0] <= read[1] + 11, (ordering, name, read, generic)
            touched = buffers(generic), buffers(custom)
            assert touched[0] <= 2 * touched[1] + 5, (ordering, name, touched, generic)


# SQLite


def _query_plan(url: str, statement: Statement) -> list[tuple[int, int, str]]:
    """SQLite's EXPLAIN QUERY PLAN: (step, parent step, what it does)."""
    path = make_url(url).database
    assert path is not None
    connection = sqlite3.connect(path)
    try:
        text, parameters = statement
        rows = connection.execute(f"EXPLAIN QUERY PLAN {text}", tuple(parameters)).fetchall()
    finally:
        connection.close()
    return [(int(row[0]), int(row[1]), str(row[3])) for row in rows]


def _page_steps(plan: list[tuple[int, int, str]]) -> list[str]:
    """The steps that read a page: all of them for a root page; for a nested one, those of
    the subquery SQLite runs per parent (the rows around it are at most a page per parent,
    looked up by key and numbered)."""
    inside = {step for step, _, what in plan if what.startswith("CORRELATED LIST SUBQUERY")}
    if not inside:
        return [what for _, _, what in plan]
    found = []
    for step, parent, what in plan:  # parents come before their children
        if parent in inside:
            inside.add(step)
            found.append(what)
    return found


@EXECUTORS
async def test_deep_pages_search_an_index_from_the_cursor_on_sqlite(
    sqlite_url: str, tmp_path: Path, fast_path: bool
) -> None:
    load(sqlite_url, tmp_path, bulk_world(EVENTS, per_day=3))
    statements = await _all_page_statements(sqlite_url, fast_path, ORDERINGS + NESTED_ON_SQLITE)
    for ordering, pages in statements.items():
        table = {"events": "event", "statements": "statement", "figures": "figure"}[
            ordering.split(" by ")[0].split()[-1]
        ]
        for name, statement in pages.items():
            plan = _query_plan(sqlite_url, statement)
            # The table is never read whole; the page is read in the index's order, never
            # sorted afterwards (but for rows tied on the first sort field: a dataset's events
            # by date descending are read off (dataset_id, start_date, id)).
            assert not any(what == f"SCAN {table}" for _, _, what in plan), (ordering, plan)
            steps = _page_steps(plan)
            sorts = [s for s in steps if "TEMP B-TREE" in s and "RIGHT PART" not in s]
            assert steps and not sorts, (ordering, name, plan)
            if "after" in name or "before" in name:
                searches = [
                    step
                    for step in steps
                    if re.match(rf"SEARCH {table} USING (COVERING )?INDEX ix_\w+ \(.*[<>]", step)
                ]
                assert searches, (ordering, name, plan)


# The tiebreaker after a descending field is compared as its negation


EDGE_PAGE = """query($last: Int, $before: String, $first: Int, $after: String) {
  events(first: $first, after: $after, last: $last, before: $before,
         orderBy: [{field: DATE, direction: DESC}]) { edges { cursor node { slug } } } }"""


def _with_key(cursor: str, key: int) -> str:
    """The cursor with its record key replaced (a cursor is base64 of a JSON array)."""
    values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    values[-1] = key
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


async def test_a_descending_order_pages_from_cursors_at_the_edges_of_the_key_range(
    database_url: str, tmp_path: Path
) -> None:
    # -(-2**63) does not fit in 64 bits: the negated bound must still be a valid one.
    async with open_api(database_url, tmp_path, bulk_world(6, per_day=3)) as api:
        first = await api.data(EDGE_PAGE, {"first": 4})
        cursor = first["events"]["edges"][0]["cursor"]  # on the latest of two days
        pages = [
            await api.data(EDGE_PAGE, {"first": 10, "after": _with_key(cursor, key)})
            for key in (-(2**63), 2**63 - 1)
        ]
        before = await api.data(EDGE_PAGE, {"last": 10, "before": _with_key(cursor, -(2**63))})
    slugs = [[edge["node"]["slug"] for edge in page["events"]["edges"]] for page in pages]
    assert len(slugs[0]) == 6  # the latest day's three come after the smallest key
    assert len(slugs[1]) == 3  # and none after the largest: the earlier day's three only
    assert before["events"]["edges"] == []
