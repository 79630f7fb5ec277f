"""Property-based fuzzing of a running `eventql serve` over the live schema.

hypothesis-graphql writes documents from the schema the server serves: valid ones (every
field, argument and input type, with random values) and invalid ones (wrong types, unknown
fields, broken syntax). Further strategies send well-formed queries with random JSON as their
variables (filters included) and random bytes as the body. For every answer: no 5xx, a JSON
body with `data` or `errors`, no "Unexpected error." (which would be a bug), and no stack
trace, SQL or file path; afterwards the server is alive and answers a real query.

The attacks of issue 17 (`tests/adversarial/attacks.py`) are a corpus of their own: each at
the issue's size, then at random sizes (fragment chains of any depth, over GET and POST,
any number of aliases and filter conditions, batches, export filters and parameters). On this
small database each must be answered or refused by a limit, never time out or break a stream.

Bounded for CI: 340 examples per database, and 115 of the attack corpus, no deadline per
example (about a minute each on two shared cores); `EVENTQL_FUZZ_SCALE=10` runs ten times as
many.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import print_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from hypothesis_graphql.strategies import Mode, queries

from gql.schema import build_schema
from gql.settings import Settings
from tests.adversarial.attacks import (
    distinct_filters,
    filter_amplification,
    fragment_chain,
    heavy_batch,
    heavy_export_filter,
    nested_filter,
    totals_aliases,
)
from tests.api_support import load, world
from tests.fault_support import assert_no_internals
from tests.server_process import serve

pytestmark = pytest.mark.slow

#: More examples for a deeper hunt than CI runs: `EVENTQL_FUZZ_SCALE=10 pytest tests/test_fuzz.py`.
SCALE = int(os.environ.get("EVENTQL_FUZZ_SCALE", "1"))

SDL = print_schema(build_schema(Settings())._schema)
#: Dates as dates and as any short text (which the server must refuse clearly).
CUSTOM_SCALARS = {
    "Date": st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)).map(
        nodes.String
    ),
    "JSON": st.text(max_size=20).map(nodes.String),
}
VARIABLE_QUERY = """query($f: EventFilter, $s: String, $n: Int, $a: String,
                          $o: [EventOrder!], $af: ActorFilter) {
  events(filter: $f, search: $s, first: $n, after: $a, orderBy: $o) {
    totalCount nodes { title participants { actor { name } } }
    aggregates { count byType { type count } }
  }
  actors(filter: $af, first: 3) { nodes { name } }
}"""
#: Keys that make random JSON look like filters (and reach the filter compiler).
FILTER_KEYS = st.sampled_from(
    [
        "title", "slug", "type", "date", "startDate", "actor", "name", "figure", "value",
        "and", "or", "not", "equalTo", "in", "notIn", "isNull", "lessThan",
        "greaterThanOrEqualTo", "includesInsensitive", "startsWith", "field", "direction",
    ]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(FILTER_KEYS | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
VARIABLES = st.fixed_dictionaries(
    {},
    optional={
        "f": JSON_VALUES,
        "s": JSON_VALUES,
        "n": JSON_VALUES,
        "a": JSON_VALUES,
        "o": JSON_VALUES,
        "af": JSON_VALUES,
    },
)


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:1000]
    assert_no_internals(response.text)
    body = response.json()
    batch = body if isinstance(body, list) else [body]
    for payload in batch:
        assert "data" in payload or "errors" in payload, payload
        for error in payload.get("errors") or []:
            assert error["message"] != "Unexpected error.", (response.request.content, payload)


def _check_export(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:1000]
    assert_no_internals(response.text)
    if response.status_code == 200:
        # The whole stream arrived (httpx raises on a cut-off one), header line first.
        assert response.text.startswith("event_id_cnty,"), response.text[:200]
    else:
        assert response.json()["errors"][0]["message"], response.text


def _run(
    strategy: st.SearchStrategy[Any],
    examples: int,
    send: Callable[[Any], None],
    *,
    shrink: bool = True,
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        # Without shrinking, an attack that hangs the server fails once, not once per step.
        phases=list(Phase) if shrink else [Phase.explicit, Phase.generate],
    )
    @given(strategy)
    def examples_hold(value: Any) -> None:
        send(value)

    examples_hold()


def test_fuzz_documents_variables_and_bodies_never_break_the_server(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    with (
        serve(database_url) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):

        def post_document(document: object) -> None:
            _check(client.post("/graphql", json={"query": str(document)}))

        def post_variables(variables: dict[str, Any]) -> None:
            _check(client.post("/graphql", json={"query": VARIABLE_QUERY, "variables": variables}))

        def post_body(body: bytes) -> None:
            _check(client.post("/graphql", content=body, headers={"content-type": JSON}))

        valid = queries(SDL, custom_scalars=CUSTOM_SCALARS)
        invalid = queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE)
        _run(valid, 120 * SCALE, post_document)
        _run(invalid, 80 * SCALE, post_document)
        _run(VARIABLES, 100 * SCALE, post_variables)
        _run(st.binary(max_size=200) | st.text(max_size=200).map(str.encode), 40, post_body)

        health = client.get("/healthz")
        real = client.post("/graphql", json={"query": "{ events(first: 2) { totalCount } }"})
        alive = server.alive()
    assert alive
    assert health.status_code == 200
    assert real.json() == {"data": {"events": {"totalCount": 6}}}


#: Attack documents at the sizes of issue 17: (label, body, sent over GET too).
ATTACK_CORPUS: tuple[tuple[str, Any, bool], ...] = (
    ("fragment chain, 20 levels", {"query": fragment_chain(20)}, True),
    ("fragment chain, 60 levels", {"query": fragment_chain(60)}, True),
    ("3 aliases of totals", {"query": totals_aliases(3)}, True),
    ("50 aliases x 200 conditions", filter_amplification(50, 200), False),
    ("distinct filters", distinct_filters(1), False),
    ("batch of 10 heavy aggregates", heavy_batch(10), False),
    ("120 searches 4 relations deep", nested_filter(120), False),
)
#: Export parameters: the heavy filter at random sizes, random JSON, any dataset text.
EXPORT_PARAMS = st.one_of(
    st.integers(min_value=1, max_value=150).map(lambda n: {"filter": heavy_export_filter(n)}),
    # json, not orjson: integers beyond 64 bits must reach the server (and be refused there).
    JSON_VALUES.map(lambda value: {"filter": json.dumps(value)}),
    st.fixed_dictionaries({"dataset": st.text(max_size=12)}),
)


def test_fuzz_attacks_of_any_size_are_answered_or_refused_by_a_limit(
    database_url: str, tmp_path: Path
) -> None:
    load(database_url, tmp_path, world())
    with (
        serve(database_url) as server,
        # Far above anything this small database needs; a hang fails the example.
        httpx.Client(base_url=server.base_url, timeout=30) as client,
    ):

        def post(body: Any) -> None:
            _check(client.post("/graphql", json=body))

        def get(body: dict[str, Any]) -> None:
            _check(client.get("/graphql", params={"query": body["query"]}))

        def export(params: dict[str, str]) -> None:
            _check_export(client.get("/export/events.csv", params=params))

        for _label, body, over_get in ATTACK_CORPUS:
            post(body)
            if over_get:
                get(body)
        chains = st.integers(min_value=0, max_value=80).map(lambda n: {"query": fragment_chain(n)})
        totals = st.integers(min_value=1, max_value=60).map(lambda n: {"query": totals_aliases(n)})
        filters = st.builds(
            filter_amplification,
            st.integers(min_value=1, max_value=60),
            st.integers(min_value=1, max_value=300),
        )
        distinct = st.builds(
            distinct_filters,
            st.integers(min_value=0, max_value=10**6),
            aliases=st.integers(min_value=1, max_value=60),
            conditions=st.integers(min_value=1, max_value=100),
        )
        batches = st.integers(min_value=1, max_value=15).map(heavy_batch)
        nested = st.integers(min_value=1, max_value=300).map(nested_filter)
        _run(chains, 15 * SCALE, post, shrink=False)
        _run(chains, 10 * SCALE, get, shrink=False)
        _run(totals | filters | distinct | batches | nested, 40 * SCALE, post, shrink=False)
        _run(EXPORT_PARAMS, 30 * SCALE, export, shrink=False)

        health = client.get("/healthz")
        real = client.post("/graphql", json={"query": "{ events(first: 2) { totalCount } }"})
        alive = server.alive()
    assert alive
    assert health.status_code == 200
    assert real.json() == {"data": {"events": {"totalCount": 6}}}


JSON = "application/json"
