"""Aggregates: grouped counts, timelines, and figure totals that never double count a part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api_support import Api, bulk_world, open_api, world


async def _totals(api: Api, filter: dict[str, Any] | None = None, **args: Any) -> list[Any]:
    data = await api.data(
        """query($f: FigureFilter, $byClaimant: Boolean! = false) {
             figures(filter: $f, first: 1) { aggregates { totals(byClaimant: $byClaimant) {
               kind unit low best high figureCount openEndedCount unknownCount
               unquantifiedCount skippedPartCount smallestBest largestBest
               claimant { slug } figures { slug } } } } }""",
        {"f": filter, **args},
    )
    totals: list[Any] = data["figures"]["aggregates"]["totals"]
    return totals


async def test_event_counts_by_type_sub_type_and_country(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events(first: 1) { aggregates {
                 count
                 byType { type count }
                 bySubType { type subType count }
                 byCountry { countryCode count } } } }"""
        )
    aggregates = data["events"]["aggregates"]
    assert aggregates["count"] == 6
    assert aggregates["byType"] == [
        {"type": "PROTESTS", "count": 2},
        {"type": "STRATEGIC_DEVELOPMENTS", "count": 2},
        {"type": "RIOTS", "count": 1},
        {"type": "STATE_ACTS", "count": 1},
    ]
    assert {"type": "PROTESTS", "subType": "PEACEFUL_PROTEST", "count": 1} in aggregates[
        "bySubType"
    ]
    assert len(aggregates["bySubType"]) == 6
    assert aggregates["byCountry"] == [
        {"countryCode": "KZ", "count": 4},
        {"countryCode": None, "count": 1},
        {"countryCode": "UZ", "count": 1},
    ]


async def test_event_counts_by_actor_and_role(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events { aggregates {
                 all: byActor { actor { slug } count }
                 responders: byActor(role: RESPONDER) { actor { slug } count }
                 top: byActor(first: 1) { actor { slug } count } } } }"""
        )
    aggregates = data["events"]["aggregates"]
    assert [(a["actor"]["slug"], a["count"]) for a in aggregates["all"]] == [
        ("protesters", 3),
        ("police", 2),
        ("minister", 1),
    ]
    assert aggregates["responders"] == [{"actor": {"slug": "police"}, "count": 1}]
    assert aggregates["top"] == [{"actor": {"slug": "protesters"}, "count": 3}]


async def test_aggregates_respect_filter_and_ignore_pagination(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events(first: 1, filter: { countryCode: { equalTo: "KZ" } }) {
                 nodes { slug } aggregates { count byType { type count } } } }"""
        )
    assert len(data["events"]["nodes"]) == 1
    assert data["events"]["aggregates"]["count"] == 4
    assert sum(t["count"] for t in data["events"]["aggregates"]["byType"]) == 4


async def test_timeline_by_day_week_and_month(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events { aggregates {
                 day: timeline(interval: DAY) { start end count spanning }
                 week: timeline(interval: WEEK) { start end count spanning }
                 month: timeline(interval: MONTH) { start end count spanning } } }
                 statements { aggregates { timeline(interval: DAY) { start count spanning } } } }"""
        )
    aggregates = data["events"]["aggregates"]
    # A range is counted in a bucket only when it lies wholly inside it: the riots (4-8
    # January), the border arrests (4-9) and the January review (the month) span days.
    assert aggregates["day"] == [
        {"start": "2022-01-01", "end": "2022-01-01", "count": 0, "spanning": 1},
        {"start": "2022-01-02", "end": "2022-01-02", "count": 1, "spanning": 0},
        {"start": "2022-01-04", "end": "2022-01-04", "count": 1, "spanning": 2},
        {"start": "2022-01-05", "end": "2022-01-05", "count": 1, "spanning": 0},
    ]
    # 1 and 2 January 2022 were a Saturday and a Sunday: ISO week of Monday 27 December
    assert aggregates["week"] == [
        {"start": "2021-12-27", "end": "2022-01-02", "count": 1, "spanning": 1},
        {"start": "2022-01-03", "end": "2022-01-09", "count": 4, "spanning": 0},
    ]
    assert aggregates["month"] == [
        {"start": "2022-01-01", "end": "2022-01-31", "count": 6, "spanning": 0}
    ]
    # the undated statement is left out of the timeline; 8-10 January spans days
    assert data["statements"]["aggregates"]["timeline"] == [
        {"start": "2022-01-08", "count": 0, "spanning": 1},
        {"start": "2022-01-09", "count": 1, "spanning": 0},
    ]


async def test_statement_actor_and_source_aggregates(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ statements { aggregates { count byKind { kind count }
                                           bySpeaker { actor { slug } count } } }
                 actors { aggregates { count byKind { kind count }
                                       byCountry { countryCode count } } }
                 sources { aggregates { count timeline(interval: MONTH) { start count } } }
                 figures { aggregates { byKind { kind count } } } }"""
        )
    assert data["statements"]["aggregates"]["count"] == 3
    assert {k["kind"] for k in data["statements"]["aggregates"]["byKind"]} == {
        "announcement",
        "claim",
        "characterization",
    }
    assert len(data["statements"]["aggregates"]["bySpeaker"]) == 3
    assert data["actors"]["aggregates"]["byKind"][0] == {"kind": "person", "count": 2}
    assert data["actors"]["aggregates"]["byCountry"][0] == {"countryCode": "KZ", "count": 4}
    assert data["sources"]["aggregates"] == {
        "count": 1,
        "timeline": [{"start": "2022-01-01", "count": 1}],
    }
    assert data["figures"]["aggregates"]["byKind"] == [
        {"kind": "arrested", "count": 2},
        {"kind": "participants", "count": 2},
        {"kind": "detained", "count": 1},
        {"kind": "killed", "count": 1},
    ]


async def test_figure_totals_never_double_count_a_part(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        totals = await _totals(api, {"kind": {"equalTo": "ARRESTED"}})
    assert len(totals) == 1
    arrested = totals[0]
    # "about 300 arrested at the borders" is part of "more than 5,100 arrested": 5,100, not 5,400
    assert (arrested["low"], arrested["best"], arrested["high"]) == (5100, 5100, None)
    assert arrested["figureCount"] == 1 and arrested["skippedPartCount"] == 1
    assert arrested["figures"] == [{"slug": "arrests-5100"}]
    assert (arrested["smallestBest"], arrested["largestBest"]) == (300, 5100)


async def test_figure_totals_count_a_part_whose_whole_is_filtered_out(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        totals = await _totals(
            api, {"kind": {"equalTo": "ARRESTED"}, "event": {"slug": {"equalTo": "border-arrests"}}}
        )
    assert [(t["best"], t["figureCount"], t["skippedPartCount"]) for t in totals] == [(300, 1, 0)]
    assert totals[0]["high"] == 300


async def test_figure_totals_report_unknowns_and_open_ends(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        totals = {t["kind"]: t for t in await _totals(api)}
    killed = totals["KILLED"]
    # unknown is never 0: nothing is added, and the unknown figure is reported as such
    assert (killed["low"], killed["best"], killed["high"]) == (0, 0, 0)
    assert (killed["figureCount"], killed["unknownCount"]) == (0, 1)
    participants = totals["PARTICIPANTS"]
    assert (participants["best"], participants["high"], participants["openEndedCount"]) == (
        5000,
        None,
        1,
    )
    assert participants["unquantifiedCount"] == 1  # "thousands-strong" has no number
    detained = totals["DETAINED"]
    assert (detained["low"], detained["best"], detained["high"]) == (100, 100, 200)


async def test_figure_totals_by_claimant(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        totals = await _totals(api, {"kind": {"equalTo": "ARRESTED"}}, byClaimant=True)
    # one claim per claimant, largest first: they are compared, not added up
    assert [(t["claimant"]["slug"], t["best"]) for t in totals] == [
        ("mvd", 5100),
        ("minister", 300),
    ]


async def test_figure_totals_follow_chains_through_unselected_figures(
    database_url: str, tmp_path: Path
) -> None:
    seed = world()
    seed["figures"] += [
        {"id": "chain-a", "kind": "injured", "value": 100},
        {"id": "chain-b", "kind": "injured", "value": 40, "part_of": "chain-a", "claimant": "nsc"},
        {"id": "chain-c", "kind": "injured", "value": 10, "part_of": "chain-b"},
    ]
    async with open_api(database_url, tmp_path, seed) as api:
        # chain-b is filtered out, but chain-c is inside chain-a through it
        totals = await _totals(api, {"kind": {"equalTo": "INJURED"}, "claimantExists": False})
    assert [(t["best"], t["figureCount"], t["skippedPartCount"]) for t in totals] == [(100, 1, 1)]


async def test_figure_totals_count_a_part_of_an_unknown_or_vague_whole(
    database_url: str, tmp_path: Path
) -> None:
    seed = world()
    seed["figures"] += [
        # "killed-unknown" has no number and "thousands-strong" is vague: nothing of theirs is
        # counted, so their parts must be — skipping them would count nothing at all.
        {"id": "killed-20", "kind": "killed", "value": 20, "part_of": "killed-unknown"},
        {
            "id": "demonstrators-700",
            "kind": "participants",
            "value": 700,
            "part_of": "demonstrators-thousands",
        },
    ]
    async with open_api(database_url, tmp_path, seed) as api:
        totals = {t["kind"]: t for t in await _totals(api)}
    killed = totals["KILLED"]
    assert (killed["low"], killed["best"], killed["high"]) == (20, 20, 20)
    assert (killed["figureCount"], killed["skippedPartCount"], killed["unknownCount"]) == (1, 0, 1)
    assert killed["figures"] == [{"slug": "killed-20"}]
    participants = totals["PARTICIPANTS"]
    assert (participants["low"], participants["best"]) == (5700, 5700)
    assert (participants["figureCount"], participants["skippedPartCount"]) == (2, 0)
    assert participants["unquantifiedCount"] == 1


#: One figure per reading rule (schema/figures.py): (seed fields, expected low, best, high).
READINGS: dict[str, tuple[dict[str, Any], tuple[int | None, int | None, int | None]]] = {
    "injured-none": ({"status": "none"}, (0, 0, 0)),
    "injured-up-to": ({"value": 40, "qualifier": "up_to", "raw": "up to 40"}, (0, 40, 40)),
    "injured-fewer": ({"upper": 60, "qualifier": "less_than", "raw": "fewer than 60"}, (0, 60, 60)),
    "injured-at-least": ({"value": 7, "qualifier": "at_least", "raw": "at least 7"}, (7, 7, None)),
    "injured-about": (
        {"value": 50, "lower": 45, "upper": 55, "qualifier": "about", "raw": "about 50"},
        (45, 50, 55),
    ),
    "injured-exact": ({"value": 3, "raw": "3 injured"}, (3, 3, 3)),
    "injured-unknown": ({"status": "unknown"}, (None, None, None)),
}


def _reading_world() -> dict[str, Any]:
    seed = world()
    seed["figures"] += [
        {"id": slug, "kind": "injured", **fields} for slug, (fields, _) in READINGS.items()
    ]
    return seed


async def test_figure_readings_follow_the_documented_rules(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, _reading_world()) as api:
        data = await api.data(
            """{ figures(first: 20, filter: {kind: {equalTo: INJURED}},
                         orderBy: [{field: BEST, direction: DESC}]) {
                   nodes { slug low best high } } }"""
        )
        totals = await _totals(api, {"kind": {"equalTo": "INJURED"}})
    nodes = data["figures"]["nodes"]
    assert {n["slug"]: (n["low"], n["best"], n["high"]) for n in nodes} == {
        slug: reading for slug, (_, reading) in READINGS.items()
    }
    # by `best`, largest first; a figure without a number (unknown) last
    assert [n["slug"] for n in nodes] == [
        "injured-fewer",
        "injured-about",
        "injured-up-to",
        "injured-at-least",
        "injured-exact",
        "injured-none",
        "injured-unknown",
    ]
    [injured] = totals
    # "at least 7" has no upper bound, so neither has the total; "none" counts as a real 0
    assert (injured["low"], injured["best"], injured["high"]) == (55, 160, None)
    assert (injured["figureCount"], injured["unknownCount"], injured["openEndedCount"]) == (
        6,
        1,
        1,
    )
    assert (injured["smallestBest"], injured["largestBest"]) == (0, 60)


async def test_nested_aggregates_per_parent(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, bulk_world(6)) as api:
        data = await api.data(
            """{ events(first: 3) { nodes { slug
                 figures { aggregates { count totals { best figureCount skippedPartCount } } }
                 statements { aggregates { count } } } } }"""
        )
    for i, node in enumerate(data["events"]["nodes"]):
        figures = node["figures"]["aggregates"]
        assert figures["count"] == 2
        assert figures["totals"] == [{"best": 100 + i, "figureCount": 1, "skippedPartCount": 1}]
        assert node["statements"]["aggregates"] == {"count": 1}
