"""Property-based differential tests: the fast path and the general executor always agree.

Two apps serve the same database, one with the fast path, one without. Hypothesis sends both
the same requests — queries generated from the live schema by hypothesis-graphql, and
operations with variables (pages, cursors, orderings, filters, `@skip`/`@include`, IDs) whose
values it draws — and every answer must be the same: status, data, errors. Bounded to fit CI:
a few hundred examples per database, no deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import graphql
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from gql.fastpath import FastPath
from gql.http.endpoint import GraphQLEndpoint
from tests.api_support import bulk_world, load, world
from tests.harness import app_client, make_app

_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


class Twins:
    """The fast and the general app over one database, driven from synchronous tests."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        self.clients: list[httpx.AsyncClient] = []
        self.fast_path: FastPath | None = None
        self.schema: graphql.GraphQLSchema | None = None
        self.loop.run_until_complete(self._start(url))

    async def _start(self, url: str) -> None:
        for fast in (True, False):
            app = make_app(url, fast_path=fast)
            self.clients.append(await self.stack.enter_async_context(app_client(app)))
            if fast:
                self.schema = app.state.schema._schema
                endpoint: GraphQLEndpoint = app.state.graphql
                self.fast_path = endpoint.fast_path

    def same(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Post to both apps; assert they answer alike; the answer."""

        async def post(client: httpx.AsyncClient) -> tuple[int, Any]:
            body: dict[str, Any] = {"query": query}
            if variables is not None:
                body["variables"] = variables
            response = await client.post("/graphql", json=body)
            return response.status_code, response.json()

        fast = self.loop.run_until_complete(post(self.clients[0]))
        general = self.loop.run_until_complete(post(self.clients[1]))
        assert fast == general, (query, variables)
        answer: dict[str, Any] = fast[1]
        return answer

    def close(self) -> None:
        """Stop both apps."""
        self.loop.run_until_complete(self.stack.aclose())
        self.loop.close()


def _twins(url: str, folder: Path, *seeds: dict[str, Any]) -> Twins:
    load(url, folder, *seeds)
    return Twins(url)


def _run(twins: Twins, check: Callable[[], None]) -> tuple[int, int]:
    try:
        check()
    finally:
        twins.close()
    assert twins.fast_path is not None
    return twins.fast_path.served, twins.fast_path.declined


def test_fast_path_agrees_on_generated_queries(database_url: str, tmp_path: Path) -> None:
    twins = _twins(database_url, tmp_path, world(), bulk_world(30))
    schema = twins.schema
    assert schema is not None
    dates = st.dates().map(lambda day: graphql.StringValueNode(value=day.isoformat()))

    query_type = schema.query_type
    assert query_type is not None
    # One root field per query, so one bad argument does not decide the fate of the others;
    # random global IDs are never valid, so `node`/`nodes` get real ones in the test below.
    roots = sorted(set(query_type.fields) - {"node", "nodes"})
    generated = st.sampled_from(roots).flatmap(
        lambda root: queries(schema, fields=[root], custom_scalars={"Date": dates}, allow_x00=False)
    )

    @_SETTINGS
    @given(generated)
    def check(query: str) -> None:
        twins.same(query)

    served, declined = _run(twins, check)
    assert served > 20, (served, declined)  # most generated queries are the fast path's


_FIELDS = ["DATE", "END_DATE", "TITLE", "TYPE", "SUB_TYPE", "COUNTRY", "ADMIN1", "PLACE", "SLUG"]
_ORDER = st.lists(
    st.fixed_dictionaries(
        {"field": st.sampled_from(_FIELDS)},
        optional={"direction": st.sampled_from(["ASC", "DESC"])},
    ),
    max_size=3,
)
_FILTER = st.fixed_dictionaries(
    {},
    optional={
        "type": st.fixed_dictionaries(
            {}, optional={"in": st.lists(st.sampled_from(["RIOTS", "PROTESTS", "STATE_ACTS"]))}
        ),
        "date": st.fixed_dictionaries(
            {},
            optional={
                "greaterThanOrEqualTo": st.sampled_from(["2022-01-03", "2022-01-05", "3000-01-01"]),
                "lessThan": st.sampled_from(["2022-01-05", "bad date"]),
            },
        ),
        "place": st.fixed_dictionaries(
            {"includesInsensitive": st.sampled_from(["almaty", "TOWN"])}
        ),
        "participant": st.fixed_dictionaries(
            {"role": st.fixed_dictionaries({"equalTo": st.sampled_from(["RESPONDER", "TARGET"])})}
        ),
    },
)
_PAGES = """query Pages($first: Int, $after: String, $last: Int, $before: String,
    $order: [EventOrder!], $filter: EventFilter, $nested: Int, $skipEdges: Boolean!,
    $withFigures: Boolean!, $list: Int) {
  events(first: $first, after: $after, last: $last, before: $before, orderBy: $order,
         filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges @skip(if: $skipEdges) { cursor node { ...Event } }
    nodes { slug }
  }
}
fragment Event on Event {
  slug type subType date { start end precision } location { place latitude }
  figures(first: $nested) @include(if: $withFigures) {
    totalCount pageInfo { hasNextPage endCursor } nodes { slug best high claimant { name } }
  }
  participants(first: $list) { role actor { name parent { name } } }
  links(first: 1) { kind target { slug participants(first: 1) { role } } }
  statements(last: $nested) { edges { cursor node { slug speaker { slug } } } }
}"""


def test_fast_path_agrees_on_pages_filters_and_directives(
    database_url: str, tmp_path: Path
) -> None:
    twins = _twins(database_url, tmp_path, world(), bulk_world(40, per_day=3))
    first = twins.same("{ events(first: 100) { edges { cursor } } }")
    cursors = [edge["cursor"] for edge in first["data"]["events"]["edges"]]
    sizes = st.none() | st.integers(-1, 102)
    cursor = st.none() | st.sampled_from(cursors) | st.sampled_from(["", "garbage", "e30="])

    @_SETTINGS
    @given(
        st.fixed_dictionaries(
            {"skipEdges": st.booleans(), "withFigures": st.booleans()},
            optional={
                "first": sizes,
                "last": sizes,
                "after": cursor,
                "before": cursor,
                "order": st.none() | _ORDER,
                "filter": st.none() | _FILTER,
                "nested": sizes,
                "list": sizes,
            },
        )
    )
    def check(variables: dict[str, Any]) -> None:
        twins.same(_PAGES, variables)

    served, declined = _run(twins, check)
    assert served >= 5, (served, declined)  # many drawn variables are errors (both paths agree)


_NODES = """query Nodes($id: ID!, $ids: [ID!]!, $slug: String!, $dataset: String,
    $first: Int) {
  node(id: $id) { __typename id ... on Record { slug } ... on Dataset { name } }
  nodes(ids: $ids) { id ... on Figure { value partOf { slug } parts { slug } } }
  event(slug: $slug, dataset: $dataset) { slug links { kind target { slug } } }
  statement(slug: $slug, dataset: "testland") {
    slug aboutEvents { slug } aboutActors { slug } figures { slug } }
  firsts: statement(slug: $slug, dataset: "testland") {
    aboutEvents(first: $first) { slug participants(first: 1) { role } }
    aboutActors(first: $first) { slug } figures(first: $first) { slug parts(first: 1) { slug } } }
}"""


def test_fast_path_agrees_on_ids_and_slugs(database_url: str, tmp_path: Path) -> None:
    twins = _twins(database_url, tmp_path, world(), world("otherland"))
    found = twins.same(
        "{ events(first: 100) { nodes { id } } figures(first: 100) { nodes { id } }"
        " actors(first: 100) { nodes { id } } datasets { id } }"
    )["data"]
    ids = [node["id"] for key in ("events", "figures", "actors") for node in found[key]["nodes"]]
    ids += [dataset["id"] for dataset in found["datasets"]]
    some_id = st.sampled_from(ids) | st.sampled_from(["", "bm90OjE", "RXZlbnQ6OTk5"])
    slugs = st.sampled_from(["almaty-riots", "fm-terror", "mvd-arrests", "nope"])

    @_SETTINGS
    @given(
        st.fixed_dictionaries(
            {"id": some_id, "ids": st.lists(some_id, max_size=5), "slug": slugs},
            optional={
                "dataset": st.sampled_from(["testland", "otherland", "missing"]),
                "first": st.none() | st.integers(-1, 3),
            },
        )
    )
    def check(variables: dict[str, Any]) -> None:
        twins.same(_NODES, variables)

    served, declined = _run(twins, check)
    assert served >= 3, (served, declined)  # most draws hold a bad ID or an ambiguous slug
