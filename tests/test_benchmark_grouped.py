"""The grouped benchmark's floor answers as eventql does: the two analyst questions of
`python -m tests.benchmarks --workload grouped`, asked of eventql and of the hand-written
SQL floor over the same UCDP-shaped data, give the same groups and sums on both databases.

The benchmark checks this too, at 100,000 events; here a small dataset keeps it in CI, so a
floor that drifts from the rule (or a rule that drifts from the floor) fails a test.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.api_support import open_api
from tests.benchmarks import grouped_queries
from tests.benchmarks.grouped_data import ucdp_seed
from tests.benchmarks.grouped_floor import create_floor_app
from tests.harness import app_client

#: Enough events for every country, year and claimant, and each kind of date span.
EVENTS = 600


@pytest.mark.parametrize("name", grouped_queries.NAMES)
async def test_grouped_floor_answers_as_eventql(
    database_url: str, tmp_path: Path, name: str
) -> None:
    query = grouped_queries.eventql_query(name)
    async with open_api(database_url, tmp_path, ucdp_seed(EVENTS)) as api:
        body = orjson.loads(query.body)
        eventql = await api.data(body["query"], body.get("variables"))
    floor_query = grouped_queries.floor_query(name)
    async with app_client(create_floor_app(database_url)) as client:
        response = await client.post(floor_query.path, content=floor_query.body)
    expected = grouped_queries.answer(name, "eventql", {"data": eventql})
    floor = grouped_queries.answer(name, "floor", response.json())
    assert grouped_queries.differences(expected, floor, full=True) == []
    # The data exercises the rules: groups of dates across periods, parts left out (each
    # event's death toll counted once, never its four parts).
    assert any(spans for _key, _period, spans in expected)
    counted = sum(measures[3] or 0 for measures in expected.values())
    if name == "deaths":
        assert counted == EVENTS
    else:
        assert 0 < counted < EVENTS // 4
