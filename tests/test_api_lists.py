"""Plain lists (participants, links, parts, grouped counts, totals, timelines) are bounded.

Each returns at most its `first` argument, which defaults to `max_list_size` and may not
exceed it (a timeline may go up to its own, larger maximum); the cut keeps a prefix of the
list's documented order. Every query here is answered by both executors, which must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api_support import bulk_world, open_api, world


def crowded_world() -> dict[str, Any]:
    """`world()` with lists longer than the small `first`s and caps used below: the riots
    have every actor as a participant, the dismissal links to three events, the big arrest
    figure has four parts, and the characterization is about four events and three actors."""
    seed = world()
    events = {event["id"]: event for event in seed["events"]}
    events["almaty-riots"]["participants"] = [
        {"actor": actor["id"], "role": "participant"} for actor in seed["actors"]
    ]
    events["cabinet-dismissal"]["links"] = [
        {"kind": "response_to", "event": "almaty-riots"},
        {"kind": "follows", "event": "almaty-protest"},
        {"kind": "part_of", "event": "january-review"},
    ]
    seed["figures"] += [
        {
            "id": f"arrests-part-{i}",
            "kind": "arrested",
            "value": 10 * i,
            "as_of": {"start": f"2022-01-0{i}"},
            "part_of": "arrests-5100",
            "statement": "fm-terror",
        }
        for i in range(1, 4)
    ]
    statements = {statement["id"]: statement for statement in seed["statements"]}
    statements["fm-terror"]["about_events"] = [
        "almaty-riots",
        "almaty-protest",
        "aktau-protest",
        "border-arrests",
    ]
    statements["fm-terror"]["about_actors"] = ["kz", "mvd", "protesters"]
    return seed


_LISTS = """query($n: Int) {
  event(slug: "almaty-riots") { participants(first: $n) { role actor { slug } } }
  dismissal: event(slug: "cabinet-dismissal") { links(first: $n) { kind target { slug } } }
  figure(slug: "arrests-5100") { parts(first: $n) { slug } }
  statement(slug: "fm-terror") {
    aboutEvents(first: $n) { slug } aboutActors(first: $n) { slug } figures(first: $n) { slug }
  }
}"""


def _lengths(data: dict[str, Any]) -> dict[str, int]:
    return {
        "participants": len(data["event"]["participants"]),
        "links": len(data["dismissal"]["links"]),
        "parts": len(data["figure"]["parts"]),
        "aboutEvents": len(data["statement"]["aboutEvents"]),
        "aboutActors": len(data["statement"]["aboutActors"]),
        "figures": len(data["statement"]["figures"]),
    }


async def test_list_first_returns_the_start_of_the_list(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, crowded_world()) as api:
        whole = await api.data(_LISTS)
        two = await api.data(_LISTS, {"n": 2})
    assert _lengths(whole) == {
        "participants": 7,
        "links": 3,
        "parts": 4,
        "aboutEvents": 4,
        "aboutActors": 3,
        "figures": 3,
    }
    assert set(_lengths(two).values()) == {2}
    for key, fields in (("event", ["participants"]), ("dismissal", ["links"])):
        for name in fields:
            assert two[key][name] == whole[key][name][:2]
    assert two["figure"]["parts"] == whole["figure"]["parts"][:2]
    for name in ("aboutEvents", "aboutActors", "figures"):
        assert two["statement"][name] == whole["statement"][name][:2]


async def test_list_first_written_in_the_query(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, crowded_world()) as api:
        data = await api.data(
            """{ events(first: 10) { nodes { slug participants(first: 1) { actor { name } }
                 links(first: 0) { kind } } } }"""
        )
    for node in data["events"]["nodes"]:
        assert len(node["participants"]) <= 1
        assert node["links"] == []
    riots = next(node for node in data["events"]["nodes"] if node["slug"] == "almaty-riots")
    # By actor name: "Foreign Minister" sorts first of the seven.
    assert riots["participants"] == [{"actor": {"name": "Foreign Minister"}}]


async def test_lists_without_first_return_max_list_size(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, crowded_world(), max_list_size=3) as api:
        capped = await api.data(_LISTS)
        everything = await api.errors(_LISTS, {"n": 4})
    assert _lengths(capped) == {
        "participants": 3,
        "links": 3,
        "parts": 3,
        "aboutEvents": 3,
        "aboutActors": 3,
        "figures": 3,
    }
    assert everything[0] == (
        "list size limit exceeded: `first` is 4, but this list returns at most 3 items "
        "(max_list_size)"
    )


async def test_list_first_over_the_maximum_is_an_error(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        over = await api.errors(
            '{ event(slug: "almaty-riots") { participants(first: 101) { role } } }'
        )
        negative = await api.errors('{ event(slug: "almaty-riots") { links(first: -1) { kind } } }')
        groups = await api.errors("{ events { aggregates { byType(first: 1000) { count } } } }")
    assert over == [
        "list size limit exceeded: `first` is 101, but this list returns at most 100 items "
        "(max_list_size)"
    ]
    assert negative == ["`first` must be 0 or more (got -1)"]
    assert groups[0].startswith("list size limit exceeded: `first` is 1000")


async def test_grouped_counts_first_keeps_the_largest(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events(first: 1) { aggregates {
                 byType(first: 2) { type count }
                 bySubType(first: 1) { subType count }
                 byCountry(first: 2) { countryCode count } } }
               actors(first: 1) { aggregates { byKind(first: 1) { kind count } } }
               statements(first: 1) { aggregates { byKind(first: 0) { kind } } } }"""
        )
    events = data["events"]["aggregates"]
    # Ties are broken by value, empty values first (see test_api_aggregates for the lists).
    assert events["byType"] == [
        {"type": "PROTESTS", "count": 2},
        {"type": "STRATEGIC_DEVELOPMENTS", "count": 2},
    ]
    # Sub-types are grouped with their type: ties go by type, then sub-type.
    assert events["bySubType"] == [{"subType": "PEACEFUL_PROTEST", "count": 1}]
    assert events["byCountry"] == [
        {"countryCode": "KZ", "count": 4},
        {"countryCode": None, "count": 1},
    ]
    assert data["actors"]["aggregates"]["byKind"] == [{"kind": "person", "count": 2}]
    assert data["statements"]["aggregates"]["byKind"] == []


async def test_grouped_counts_default_to_max_list_size(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world(), max_list_size=2) as api:
        data = await api.data(
            """{ events(first: 1) { aggregates { bySubType { count } byCountry { count } } }
                 figures(first: 1) { aggregates { byKind { kind } totals { kind } } } }"""
        )
    assert len(data["events"]["aggregates"]["bySubType"]) == 2
    assert len(data["events"]["aggregates"]["byCountry"]) == 2
    assert len(data["figures"]["aggregates"]["byKind"]) == 2
    assert len(data["figures"]["aggregates"]["totals"]) == 2


async def test_nested_grouped_counts_are_cut_per_parent(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ events(first: 10, orderBy: [{field: SLUG}]) { nodes { slug
                 figures { aggregates { byKind(first: 1) { kind count } } } } } }"""
        )
    by_event = {
        node["slug"]: node["figures"]["aggregates"]["byKind"] for node in data["events"]["nodes"]
    }
    # The riots have one arrest and one death figure: the tie goes to the first kind by value.
    assert by_event["almaty-riots"] == [{"kind": "arrested", "count": 1}]
    assert by_event["almaty-protest"] == [{"kind": "participants", "count": 2}]
    assert by_event["cabinet-dismissal"] == []


async def test_totals_by_claimant_first_keeps_the_largest_claims(
    database_url: str, tmp_path: Path
) -> None:
    query = """query($n: Int) { figures(first: 1) { aggregates {
        totals(byClaimant: true, first: $n) { best claimant { slug } figures(first: 100) { slug }
        } } } }"""
    async with open_api(database_url, tmp_path, bulk_world(30)) as api:
        whole = (await api.data(query))["figures"]["aggregates"]["totals"]
        top = (await api.data(query, {"n": 3}))["figures"]["aggregates"]["totals"]
    # Ten claimants, and the parts without a claimant: one kind and unit, largest first.
    assert len(whole) == 11
    assert [total["best"] for total in whole] == sorted(
        (total["best"] for total in whole), reverse=True
    )
    assert top == whole[:3]


async def test_timeline_first_and_its_own_maximum(database_url: str, tmp_path: Path) -> None:
    query = """query($n: Int) { events(first: 1) { aggregates {
        timeline(interval: DAY, first: $n) { start count } } } }"""
    async with open_api(database_url, tmp_path, bulk_world(40), max_list_size=5) as api:
        capped = (await api.data(query))["events"]["aggregates"]["timeline"]
        longer = (await api.data(query, {"n": 40}))["events"]["aggregates"]["timeline"]
        widest = await api.data(query, {"n": 3660})
        over = await api.errors(query, {"n": 3661})
    assert len(capped) == 5
    assert len(longer) == 40
    assert capped == longer[:5]  # earliest first
    assert [bucket["start"] for bucket in longer] == sorted(b["start"] for b in longer)
    assert len(widest["events"]["aggregates"]["timeline"]) == 40
    assert over == [
        "list size limit exceeded: `first` is 3661, but this list returns at most 3660 items "
        "(3660 buckets)"
    ]
