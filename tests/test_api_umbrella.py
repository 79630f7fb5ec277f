"""Umbrella events stand for their parts: grouped counts and timelines count the parts, not the
umbrella as well; and two events (or actors) that may be one are linked, not merged or added
up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api_support import open_api


def _event(slug: str, type: str, sub_type: str, day: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": slug,
        "title": slug.replace("-", " ").title(),
        "type": type,
        "sub_type": sub_type,
        "date": {"start": day},
        "location": {"country": "KZ"},
        **fields,
    }


def umbrella_world() -> dict[str, Any]:
    part_of = [{"kind": "part_of", "event": "riots"}]
    return {
        "dataset": "umbrella",
        "source": {"id": "wire", "headline": "Unrest", "published": {"start": "2022-01-10"}},
        "events": [
            _event("riots", "riots", "violent_demonstration", "2022-01-04", umbrella=True),
            _event("clashes", "riots", "violent_demonstration", "2022-01-05", links=part_of),
            _event("protest", "protests", "peaceful_protest", "2022-01-04", links=part_of),
            _event(
                "march",
                "protests",
                "peaceful_protest",
                "2022-01-04",
                links=[
                    {
                        "kind": "possibly_same_as",
                        "event": "protest",
                        "basis": "inferred",
                        "reason": "same place and day",
                    }
                ],
            ),
        ],
    }


async def test_grouped_counts_count_the_parts_not_the_umbrella(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, umbrella_world()) as api:
        data = await api.data(
            """{ events { totalCount aggregates {
                 count umbrellaCount
                 byType { type count } byCountry { countryCode count }
                 timeline(interval: DAY) { start count } } } }"""
        )
        riots = await api.data(
            """{ event(slug: "riots") {
                 umbrella parts: linkedFrom { nodes { kind event { slug } } } } }"""
        )

    aggregates = data["events"]["aggregates"]
    assert (data["events"]["totalCount"], aggregates["count"], aggregates["umbrellaCount"]) == (
        4,
        4,
        1,
    )
    assert aggregates["byType"] == [
        {"type": "PROTESTS", "count": 2},
        {"type": "RIOTS", "count": 1},
    ]
    assert aggregates["byCountry"] == [{"countryCode": "KZ", "count": 3}]
    assert aggregates["timeline"] == [
        {"start": "2022-01-04", "count": 2},
        {"start": "2022-01-05", "count": 1},
    ]
    assert riots["event"]["umbrella"] is True
    assert sorted(p["event"]["slug"] for p in riots["event"]["parts"]["nodes"]) == [
        "clashes",
        "protest",
    ]


async def test_events_that_may_be_one_are_linked(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, umbrella_world()) as api:
        data = await api.data(
            """{ event(slug: "march") { umbrella links { kind basis reason target { slug } } } }"""
        )

    assert data["event"] == {
        "umbrella": False,
        "links": [
            {
                "kind": "POSSIBLY_SAME_AS",
                "basis": "INFERRED",
                "reason": "same place and day",
                "target": {"slug": "protest"},
            }
        ],
    }


def _actors_world(*actors: dict[str, Any]) -> dict[str, Any]:
    return {
        "dataset": "actors",
        "source": {"id": "wire", "headline": "Unrest", "published": {"start": "2022-01-10"}},
        "actors": list(actors),
    }


async def test_actors_that_may_be_one_are_linked_both_ways(
    database_url: str, tmp_path: Path
) -> None:
    police = {"id": "police", "name": "Police", "kind": "security_force"}
    force = {
        "id": "law-enforcement",
        "name": "Law enforcement",
        "kind": "security_force",
        "possibly_same_as": ["police"],
    }
    # Listed on both records, it is still one link each way.
    both = {**police, "possibly_same_as": ["law-enforcement"]}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    query = """{ actors(orderBy: [{field: NAME}]) {
                 nodes { slug possiblySameAs { slug } } } }"""
    async with open_api(database_url, tmp_path / "one", _actors_world(police, force)) as api:
        one_way = await api.data(query)
    async with open_api(database_url, tmp_path / "two", _actors_world(both, force)) as api:
        two_ways = await api.data(query)

    expected = [
        {"slug": "law-enforcement", "possiblySameAs": [{"slug": "police"}]},
        {"slug": "police", "possiblySameAs": [{"slug": "law-enforcement"}]},
    ]
    assert one_way["actors"]["nodes"] == expected
    assert two_ways["actors"]["nodes"] == expected


async def test_counts_by_type_and_sub_type_leave_umbrellas_out_in_one_pass(
    database_url: str, tmp_path: Path
) -> None:
    sub_types = "{ events { aggregates { bySubType { type subType count } } } }"
    everything = """{ events { aggregates {
        count umbrellaCount byType { type count } bySubType { type subType count }
        top: bySubType(first: 1) { subType count } } } }"""
    countries = "{ events { aggregates { byCountry { countryCode count } } } }"
    with_countries = """{ events { aggregates {
        count umbrellaCount byType { type count } byCountry { countryCode count } } } }"""
    async with open_api(database_url, tmp_path, umbrella_world()) as api:
        data = await api.data(everything)
        alone = await api.count_statements(sub_types)
        together = await api.count_statements(everything)
        by_country = await api.data(with_countries)
        countries_alone = await api.count_statements(countries)
        countries_together = await api.count_statements(with_countries)
        # Sub-types and countries together: each grouping on its own, the same answers.
        both = await api.data(
            sub_types.replace("count }", "count } byCountry { countryCode count }")
        )

    aggregates = data["events"]["aggregates"]
    assert (aggregates["count"], aggregates["umbrellaCount"]) == (4, 1)
    assert aggregates["byType"] == [
        {"type": "PROTESTS", "count": 2},
        {"type": "RIOTS", "count": 1},
    ]
    assert aggregates["bySubType"] == [
        {"type": "PROTESTS", "subType": "PEACEFUL_PROTEST", "count": 2},
        {"type": "RIOTS", "subType": "VIOLENT_DEMONSTRATION", "count": 1},
    ]
    assert aggregates["top"] == [{"subType": "PEACEFUL_PROTEST", "count": 2}]
    # count, byType and umbrellaCount are read off bySubType's statement, or off byCountry's:
    # none of their own.
    assert together == alone
    assert countries_together == countries_alone
    in_kazakhstan = [{"countryCode": "KZ", "count": 3}]
    assert by_country["events"]["aggregates"] == {
        "count": 4,
        "umbrellaCount": 1,
        "byType": aggregates["byType"],
        "byCountry": in_kazakhstan,
    }
    assert both["events"]["aggregates"] == {
        "bySubType": aggregates["bySubType"],
        "byCountry": in_kazakhstan,
    }
