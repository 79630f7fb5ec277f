"""A dashboard — several lists and a chart in one operation — stays on the fast path: the
root connections' aggregates are answered by their own resolvers inside the plan, and the
answer is the general executor's, value for value."""

from __future__ import annotations

from typing import Any

from tests.harness import app_client, load_bundled, make_app

DASHBOARD = """query Dashboard($type: EventType!) {
  latest: events(first: 5, orderBy: {field: DATE, direction: DESC}) {
    nodes { slug title date { start end } } }
  riots: events(first: 3, filter: {type: {equalTo: $type}}) {
    totalCount nodes { slug participants { role actor { name } } }
    chart: aggregates { timeline(interval: DAY) { start count spanning } umbrellaCount }
    ...Counts }
  figures(first: 5) { nodes { kind value } aggregates {
    groups(by: [CLAIMANT, MONTH]) { keys { claimant { name } kind periodStart } best high }
    byFigureKind { kind count } } }
  actors(first: 5) { nodes { name } }
  statements(first: 5) { nodes { text } }
}
fragment Counts on EventConnection { aggregates { count byCountry { countryCode count } } }"""


async def _ask(url: str, query: str, variables: dict[str, Any], **settings: Any) -> Any:
    app = make_app(url, **settings)
    async with app_client(app) as client:
        body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
        return body, app.state.graphql.fast_path


async def test_a_dashboard_with_charts_is_answered_by_the_fast_path(database_url: str) -> None:
    load_bundled(database_url)
    variables = {"type": "RIOTS"}
    fast, path = await _ask(database_url, DASHBOARD, variables)
    general, _ = await _ask(database_url, DASHBOARD, variables, fast_path=False)
    assert "errors" not in fast, fast
    assert (path.served, path.declined, path.failed) == (1, 0, 0)
    assert fast == general
    riots = fast["data"]["riots"]
    assert riots["aggregates"]["count"] == riots["totalCount"] > 0
    assert riots["chart"]["timeline"] and fast["data"]["figures"]["aggregates"]["groups"]


async def test_a_mistake_in_an_aggregate_is_worded_by_the_general_executor(
    database_url: str,
) -> None:
    load_bundled(database_url)
    query = """{ events(first: 2) { nodes { slug }
                 aggregates { groups(by: [YEAR, MONTH]) { count } } } }"""
    body, path = await _ask(database_url, query, {})
    assert (path.served, path.failed) == (0, 0) and path.declined == 1
    assert body["errors"][0]["message"] == (
        "`by`: group by one period at most (year, quarter, month, week or day)"
    )
    assert body["data"] is None or body["data"]["events"] is None
