"""Grouped aggregates and honest timelines: counts and totals per group of typed keys, a date
range never placed on its first day, every dated record counted exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api_support import open_api
from tests.harness import app_client, load_bundled, make_app


def _event(slug: str, start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    date: dict[str, Any] = {"start": start}
    if end:
        date.update(end=end, precision="range")
    return {
        "id": slug,
        "title": slug,
        "type": fields.pop("type", "protests"),
        "sub_type": fields.pop("sub_type", "peaceful_protest"),
        "date": date,
        "location": {"country": fields.pop("country", "KZ")},
        **fields,
    }


def _figure(slug: str, event: str, kind: str, value: int, **fields: Any) -> dict[str, Any]:
    return {"id": slug, "event": event, "kind": kind, "value": value, **fields}


def world() -> dict[str, Any]:
    return {
        "dataset": "groups",
        "source": {"id": "wire", "headline": "Unrest", "published": {"start": "2022-03-01"}},
        "actors": [
            {"id": "police", "name": "Police", "kind": "state_body"},
            {"id": "ministry", "name": "Ministry", "kind": "state_body"},
        ],
        "events": [
            _event("a", "2021-12-30", participants=[{"actor": "police", "role": "responder"}]),
            _event(
                "b",
                "2022-01-04",
                "2022-01-08",
                type="riots",
                sub_type="violent_demonstration",
                participants=[{"actor": "police", "role": "responder"}],
            ),
            _event("c", "2022-01-05", country="UZ"),
            _event("d", "2022-01-30", "2022-02-02"),  # across a month boundary
            _event("e", "2022-02-10"),
        ],
        "figures": [
            _figure("b-arrested", "b", "arrested", 100, claimant="ministry"),
            _figure("b-part", "b", "arrested", 30, part_of="b-arrested", claimant="ministry"),
            _figure("c-arrested", "c", "arrested", 7, claimant="police"),
            _figure("e-killed", "e", "killed", 2, claimant="police"),
            _figure("a-arrested", "a", "arrested", 5, claimant="police"),
        ],
    }


EVENT_GROUPS = """{ events { aggregates {
  byCountryMonth: groups(by: [COUNTRY, MONTH], orderBy: {field: KEYS, direction: ASC}) {
    keys { countryCode periodStart periodEnd spansPeriods } count }
  byYear: groups(by: [YEAR], orderBy: {field: KEYS, direction: DESC}) {
    keys { periodStart spansPeriods } count }
  byActor: groups(by: [ACTOR, ROLE]) { keys { actor { slug } role } count }
  byType: groups(by: [EVENT_TYPE], first: 1) { keys { eventType countryCode } count } } } }"""


async def test_event_groups_count_per_typed_key(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = (await api.data(EVENT_GROUPS))["events"]["aggregates"]
    assert data["byCountryMonth"] == [
        # spanning groups have a null period, so sort first ascending
        {
            "keys": {
                "countryCode": "KZ",
                "periodStart": None,
                "periodEnd": None,
                "spansPeriods": True,
            },
            "count": 1,
        },
        {
            "keys": {
                "countryCode": "KZ",
                "periodStart": "2021-12-01",
                "periodEnd": "2021-12-31",
                "spansPeriods": False,
            },
            "count": 1,
        },
        {
            "keys": {
                "countryCode": "KZ",
                "periodStart": "2022-01-01",
                "periodEnd": "2022-01-31",
                "spansPeriods": False,
            },
            "count": 1,
        },
        {
            "keys": {
                "countryCode": "KZ",
                "periodStart": "2022-02-01",
                "periodEnd": "2022-02-28",
                "spansPeriods": False,
            },
            "count": 1,
        },
        {
            "keys": {
                "countryCode": "UZ",
                "periodStart": "2022-01-01",
                "periodEnd": "2022-01-31",
                "spansPeriods": False,
            },
            "count": 1,
        },
    ]
    assert data["byYear"] == [
        {"keys": {"periodStart": "2022-01-01", "spansPeriods": False}, "count": 4},
        {"keys": {"periodStart": "2021-01-01", "spansPeriods": False}, "count": 1},
    ]
    assert data["byActor"] == [
        {"keys": {"actor": None, "role": None}, "count": 3},
        {"keys": {"actor": {"slug": "police"}, "role": "RESPONDER"}, "count": 2},
    ]
    # keys not grouped by are null; largest first by default
    assert data["byType"] == [{"keys": {"eventType": "PROTESTS", "countryCode": None}, "count": 4}]


FIGURE_GROUPS = """{ figures { aggregates {
  byCountry: groups(by: [COUNTRY]) {
    keys { countryCode kind unit } low best high figureCount skippedPartCount }
  byClaimantMonth: groups(by: [CLAIMANT, MONTH], orderBy: {field: BEST, direction: ASC}) {
    keys { claimant { slug } kind periodStart spansPeriods } best figureCount }
  byType: groups(by: [EVENT_TYPE]) { keys { eventType kind } best } } } }"""


async def test_figure_groups_total_without_double_counting(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = (await api.data(FIGURE_GROUPS))["figures"]["aggregates"]
    assert data["byCountry"] == [
        {
            "keys": {"countryCode": "KZ", "kind": "ARRESTED", "unit": "people"},
            "low": 105,
            "best": 105,
            "high": 105,
            "figureCount": 2,
            "skippedPartCount": 1,
        },
        {
            "keys": {"countryCode": "UZ", "kind": "ARRESTED", "unit": "people"},
            "low": 7,
            "best": 7,
            "high": 7,
            "figureCount": 1,
            "skippedPartCount": 0,
        },
        {
            "keys": {"countryCode": "KZ", "kind": "KILLED", "unit": "people"},
            "low": 2,
            "best": 2,
            "high": 2,
            "figureCount": 1,
            "skippedPartCount": 0,
        },
    ]
    months = data["byClaimantMonth"]
    assert [
        (g["keys"]["claimant"]["slug"], g["keys"]["kind"], g["keys"]["periodStart"], g["best"])
        for g in months
    ] == [
        ("police", "KILLED", "2022-02-01", 2),
        ("police", "ARRESTED", "2021-12-01", 5),
        ("police", "ARRESTED", "2022-01-01", 7),
        ("ministry", "ARRESTED", "2022-01-01", 100),
    ]
    assert {(g["keys"]["eventType"], g["keys"]["kind"], g["best"]) for g in data["byType"]} == {
        ("RIOTS", "ARRESTED", 100),
        ("PROTESTS", "ARRESTED", 12),
        ("PROTESTS", "KILLED", 2),
    }


async def test_a_part_in_another_group_than_its_whole_is_counted(
    database_url: str, tmp_path: Path
) -> None:
    seed = world()
    seed["figures"][1]["claimant"] = "police"  # the part is now the police's claim
    async with open_api(database_url, tmp_path, seed) as api:
        data = await api.data(
            """{ figures(filter: {event: {slug: {equalTo: "b"}}}) { aggregates {
                 groups(by: [CLAIMANT]) {
                   keys { claimant { slug } } best skippedPartCount } } } }"""
        )
    assert data["figures"]["aggregates"]["groups"] == [
        {"keys": {"claimant": {"slug": "ministry"}}, "best": 100, "skippedPartCount": 0},
        {"keys": {"claimant": {"slug": "police"}}, "best": 30, "skippedPartCount": 0},
    ]


async def test_groups_compose_with_filters_and_nest(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events(filter: {countryCode: {equalTo: "KZ"}}) { aggregates {
                   groups(by: [EVENT_TYPE]) { keys { eventType } count } } }
                 event(slug: "b") { figures { aggregates {
                   groups(by: [KIND]) { keys { kind } best } } } } }"""
        )
    assert data["events"]["aggregates"]["groups"] == [
        {"keys": {"eventType": "PROTESTS"}, "count": 3},
        {"keys": {"eventType": "RIOTS"}, "count": 1},
    ]
    assert data["event"]["figures"]["aggregates"]["groups"] == [
        {"keys": {"kind": "ARRESTED"}, "best": 100}
    ]


async def test_bad_groupings_are_errors_that_say_why(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        two_periods = await api.errors(
            "{ events { aggregates { groups(by: [YEAR, MONTH]) { count } } } }"
        )
        too_many = await api.errors(
            "{ events { aggregates { groups(by: [COUNTRY, ADMIN1, ADMIN2, EVENT_TYPE, ROLE]) "
            "{ count } } } }"
        )
        twice = await api.errors(
            "{ events { aggregates { groups(by: [COUNTRY, COUNTRY]) { count } } } }"
        )
        wrong_kind = await api.errors("{ figures { aggregates { groups(by: [ROLE]) { best } } } }")
        unknown = await api.errors("{ events { aggregates { groups(by: [COLOUR]) { count } } } }")
        first = await api.errors(
            "{ events { aggregates { groups(by: [COUNTRY], first: 5000) { count } } } }"
        )
    assert two_periods == ["`by`: group by one period at most (year, quarter, month, week or day)"]
    assert too_many == ["`by`: too many group keys: 5 given, at most 4 can be combined"]
    assert twice == ["`by`: a group key is given twice"]
    assert "ROLE" in wrong_kind[0] and "FigureGroupKey" in wrong_kind[0]
    assert "COLOUR" in unknown[0] and "EventGroupKey" in unknown[0]
    assert "max_list_size" in first[0]


async def test_a_timeline_places_no_range_on_its_first_day(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events { totalCount aggregates {
                 day: timeline(interval: DAY) { start count spanning starting }
                 month: timeline(interval: MONTH) { start end count spanning }
                 quarter: timeline(interval: QUARTER) { start end count spanning }
                 year: timeline(interval: YEAR) { start end count spanning } } } }"""
        )
    aggregates = data["events"]["aggregates"]
    assert aggregates["day"] == [
        {"start": "2021-12-30", "count": 1, "spanning": 0, "starting": 1},
        {"start": "2022-01-04", "count": 0, "spanning": 1, "starting": 1},
        {"start": "2022-01-05", "count": 1, "spanning": 0, "starting": 1},
        {"start": "2022-01-30", "count": 0, "spanning": 1, "starting": 1},
        {"start": "2022-02-10", "count": 1, "spanning": 0, "starting": 1},
    ]
    assert aggregates["month"] == [
        {"start": "2021-12-01", "end": "2021-12-31", "count": 1, "spanning": 0},
        {"start": "2022-01-01", "end": "2022-01-31", "count": 2, "spanning": 1},
        {"start": "2022-02-01", "end": "2022-02-28", "count": 1, "spanning": 0},
    ]
    assert aggregates["quarter"] == [
        {"start": "2021-10-01", "end": "2021-12-31", "count": 1, "spanning": 0},
        {"start": "2022-01-01", "end": "2022-03-31", "count": 4, "spanning": 0},
    ]
    assert aggregates["year"][1] == {
        "start": "2022-01-01",
        "end": "2022-12-31",
        "count": 4,
        "spanning": 0,
    }
    for interval in ("day", "month", "quarter", "year"):  # every event counted exactly once
        buckets = aggregates[interval]
        assert sum(b["count"] + b["spanning"] for b in buckets) == data["events"]["totalCount"]


async def test_the_kazakhstan_timeline_shows_no_invented_spike(database_url: str) -> None:
    load_bundled(database_url)
    query = """{ events { aggregates { umbrellaCount
                 timeline(interval: DAY) { start count spanning } } } }"""
    async with app_client(make_app(database_url)) as client:
        body = (await client.post("/graphql", json={"query": query})).json()
    aggregates = body["data"]["events"]["aggregates"]
    fourth = next(b for b in aggregates["timeline"] if b["start"] == "2022-01-04")
    # The riots, the clashes and the other events dated "4 to ..." are ranges: none is a day
    # the report gave, so none is counted on the 4th; they are reported as spanning.
    assert fourth["count"] == 0 and fourth["spanning"] >= 8
    assert max(b["count"] for b in aggregates["timeline"]) <= 1
