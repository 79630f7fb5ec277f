"""The grouped workload's requests, and the one form their answers are compared in.

Two analyst questions, each asked of eventql, of PostGraphile with `@graphile/pg-aggregates`
(over the view of `tests.benchmarks.postgraphile_view`) and of the raw floor
(`tests.benchmarks.grouped_floor`):

- `deaths`: UCDP deaths by country and year (the honest year: an event across New Year is in
  the "spans periods" group of its country);
- `arrests`: arrests by claimant and month, of the events that start in 2021.

`answer(name, server, response)` reads any server's response as {group key: (low, best, high,
figures counted)}, so the three can be compared whatever their order and shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson

from tests.benchmarks.grouped_data import ARRESTS_YEAR
from tests.benchmarks.queries import BenchQuery, graphql_body

#: A group's key: (country or claimant slug, period start or None, spans periods).
GroupKey = tuple[str | None, str | None, bool]
#: A group's measures: (low, best, high, figures counted); high and the count may be unknown
#: (None) for a server that does not give them.
Measures = tuple[int, int, int | None, int | None]

DEATHS = """{ figures(filter: {kind: {equalTo: KILLED}}) { aggregates {
  groups(by: [COUNTRY, YEAR]) {
    keys { countryCode periodStart spansPeriods } low best high figureCount } } } }"""

ARRESTS = """query Arrests($from: Date!, $to: Date!) {
  figures(filter: {kind: {equalTo: ARRESTED},
                   event: {startDate: {greaterThanOrEqualTo: $from, lessThan: $to}}}) {
    aggregates { groups(by: [CLAIMANT, MONTH]) {
      keys { claimant { slug } periodStart spansPeriods } low best high figureCount } } } }"""

_YEAR = {"from": f"{ARRESTS_YEAR}-01-01", "to": f"{ARRESTS_YEAR + 1}-01-01"}

#: PostGraphile's nearest equivalents: `groupedAggregates` over the view
#: `figure_group_view`, whose columns carry the event's country and honest periods. Parts are
#: left out by `partOfId: null` (see `tests.benchmarks.postgraphile_view`).
PG_DEATHS = """{ allFigureGroupViews(condition: {kind: "killed", partOfId: null}) {
  groupedAggregates(groupBy: [COUNTRY_CODE, YEAR_START, SPANS_YEAR]) {
    keys sum { low best high } } } }"""

PG_ARRESTS = """query Arrests($year: Int!) {
  allFigureGroupViews(condition: {kind: "arrested", partOfId: null, eventYear: $year}) {
    groupedAggregates(groupBy: [CLAIMANT_SLUG, MONTH_START, SPANS_MONTH]) {
      keys sum { low best high } } } }"""

#: The names of the workload's queries, in the order they run.
NAMES = ("deaths", "arrests")
TITLES = {
    "deaths": "killed by country and year (UCDP totals, parts not double counted)",
    "arrests": f"arrested by claimant and month, events starting in {ARRESTS_YEAR}",
}


def eventql_query(name: str) -> BenchQuery:
    """eventql's request for the query `name`."""
    if name == "deaths":
        return BenchQuery(name, TITLES[name], graphql_body(DEATHS))
    return BenchQuery(name, TITLES[name], graphql_body(ARRESTS, _YEAR))


def postgraphile_query(name: str) -> BenchQuery:
    """PostGraphile's request for the query `name`."""
    if name == "deaths":
        return BenchQuery(name, TITLES[name], graphql_body(PG_DEATHS))
    return BenchQuery(name, TITLES[name], graphql_body(PG_ARRESTS, {"year": ARRESTS_YEAR}))


def floor_query(name: str) -> BenchQuery:
    """The raw floor's request for the query `name` (its parameters, no GraphQL)."""
    variables: dict[str, Any] = {} if name == "deaths" else dict(_YEAR)
    return BenchQuery(
        name, TITLES[name], orjson.dumps({"variables": variables}), path=f"/floor/{name}"
    )


def answer(name: str, server: str, response: Mapping[str, Any]) -> dict[GroupKey, Measures]:
    """The groups of a response of `server` ("eventql", "floor" or "postgraphile")."""
    if response.get("errors"):
        raise RuntimeError(f"{server} answered {name} with errors: {response['errors']}")
    if server == "postgraphile":
        return _postgraphile(response)
    groups = response["data"]["figures"]["aggregates"]["groups"]
    found: dict[GroupKey, Measures] = {}
    for group in groups:
        keys = group["keys"]
        first = keys["countryCode"] if name == "deaths" else (keys["claimant"] or {}).get("slug")
        key = (first, keys["periodStart"], bool(keys["spansPeriods"]))
        if key in found:
            raise RuntimeError(f"{server} gave the group {key} twice")
        found[key] = (group["low"], group["best"], group["high"], group["figureCount"])
    return found


def _postgraphile(response: Mapping[str, Any]) -> dict[GroupKey, Measures]:
    """PostGraphile's groups: keys are strings ("t"/"f" for booleans, dates as given)."""
    connection = next(iter(response["data"].values()))
    found: dict[GroupKey, Measures] = {}
    for group in connection["groupedAggregates"]:
        first, period, spans = group["keys"]
        day = dt.date.fromisoformat(period[:10]).isoformat() if period else None
        total = group["sum"]

        def number(value: Any) -> int | None:
            return None if value is None else int(value)

        # SQL's sum skips NULLs, so PostGraphile's `high` is the sum of the known highs; it
        # is kept for the record but not compared (eventql's is null when any is open-ended).
        found[(first, day, spans in (True, "t", "true"))] = (
            number(total["low"]) or 0,
            number(total["best"]) or 0,
            number(total["high"]),
            None,
        )
    return found


def differences(
    expected: Mapping[GroupKey, Measures], got: Mapping[GroupKey, Measures], *, full: bool
) -> list[str]:
    """How `got` differs from `expected`: missing or extra groups, other sums (all measures
    with `full`; else low and best only)."""
    lines = [f"missing group {key}" for key in expected.keys() - got.keys()]
    lines += [f"extra group {key}" for key in got.keys() - expected.keys()]
    for key in sorted(expected.keys() & got.keys(), key=repr):
        want, have = expected[key], got[key]
        if (want if full else want[:2]) != (have if full else have[:2]):
            lines.append(f"group {key}: expected {want}, got {have}")
    return lines
