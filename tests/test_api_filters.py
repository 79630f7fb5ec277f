"""Filters: every operator, and/or/not, date overlap, relations, on both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api_support import Api, open_api, world


async def _events(api: Api, filter: dict[str, Any]) -> list[str]:
    data = await api.data(
        "query($f: EventFilter) {"
        " events(filter: $f, orderBy: [{ field: SLUG }]) { nodes { slug } } }",
        {"f": filter},
    )
    return [node["slug"] for node in data["events"]["nodes"]]


async def _figures(api: Api, filter: dict[str, Any]) -> list[str]:
    data = await api.data(
        "query($f: FigureFilter) {"
        " figures(filter: $f, orderBy: [{ field: SLUG }]) { nodes { slug } } }",
        {"f": filter},
    )
    return [node["slug"] for node in data["figures"]["nodes"]]


EVENT_CASES = [
    ({"type": {"equalTo": "PROTESTS"}}, ["aktau-protest", "almaty-protest"]),
    (
        {"type": {"notEqualTo": "PROTESTS"}},
        ["almaty-riots", "border-arrests", "cabinet-dismissal", "january-review"],
    ),
    (
        {"subType": {"in": ["ARRESTS", "GOVERNMENT_DISMISSAL"]}},
        ["border-arrests", "cabinet-dismissal"],
    ),
    (
        {"type": {"notIn": ["PROTESTS", "RIOTS", "STATE_ACTS"]}},
        ["border-arrests", "january-review"],
    ),
    ({"admin1": {"isNull": True}}, ["border-arrests", "cabinet-dismissal", "january-review"]),
    ({"place": {"isNull": False}}, ["aktau-protest", "almaty-protest", "almaty-riots"]),
    ({"place": {"includesInsensitive": "ALMA"}}, ["almaty-protest", "almaty-riots"]),
    ({"title": {"startsWith": "Riots"}}, ["almaty-riots"]),
    ({"title": {"startsWith": "riots"}}, []),
    ({"startDate": {"lessThan": "2022-01-04"}}, ["aktau-protest", "january-review"]),
    ({"startDate": {"lessThanOrEqualTo": "2022-01-02"}}, ["aktau-protest", "january-review"]),
    ({"endDate": {"greaterThan": "2022-01-08"}}, ["border-arrests", "january-review"]),
    ({"endDate": {"greaterThanOrEqualTo": "2022-01-31"}}, ["january-review"]),
    ({"countryCode": {"equalTo": "UZ"}}, ["january-review"]),
    ({"latitude": {"greaterThan": 40.0}}, ["almaty-riots"]),
    ({"slug": {"lessThan": "almaty-riots"}}, ["aktau-protest", "almaty-protest"]),
    ({"title": {"greaterThanOrEqualTo": "Riots"}}, ["almaty-protest", "almaty-riots"]),
    (
        {"dataset": {"equalTo": "testland"}, "datePrecision": {"equalTo": "MONTH"}},
        ["january-review"],
    ),
]


@pytest.mark.parametrize(("filter", "expected"), EVENT_CASES, ids=[str(c[0]) for c in EVENT_CASES])
async def test_event_filter_operator(
    database_url: str, tmp_path: Path, filter: dict[str, Any], expected: list[str]
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        assert await _events(api, filter) == expected


async def test_not_equal_and_not_in_include_empty_fields(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        not_equal = await _events(api, {"admin1": {"notEqualTo": "Almaty"}})
        not_in = await _events(api, {"admin1": {"notIn": ["Almaty"]}})
    expected = ["aktau-protest", "border-arrests", "cabinet-dismissal", "january-review"]
    assert not_equal == expected and not_in == expected


async def test_and_or_not_combine_filters(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        either = await _events(
            api,
            {"or": [{"type": {"equalTo": "RIOTS"}}, {"place": {"equalTo": "Aktau"}}]},
        )
        both = await _events(
            api,
            {"and": [{"type": {"equalTo": "PROTESTS"}}, {"place": {"equalTo": "Aktau"}}]},
        )
        negated = await _events(api, {"not": {"countryCode": {"equalTo": "KZ"}}})
        nested = await _events(
            api,
            {"not": {"or": [{"type": {"equalTo": "PROTESTS"}}, {"type": {"equalTo": "RIOTS"}}]}},
        )
        empty_or = await _events(api, {"or": []})
    assert either == ["aktau-protest", "almaty-riots"]
    assert both == ["aktau-protest"]
    # `not` is an exact complement: events without a country are "not in KZ"
    assert negated == ["cabinet-dismissal", "january-review"]
    assert nested == ["border-arrests", "cabinet-dismissal", "january-review"]
    assert empty_or == []


async def test_date_range_filters_by_overlap(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        window = await _events(
            api, {"date": {"greaterThanOrEqualTo": "2022-01-06", "lessThanOrEqualTo": "2022-01-07"}}
        )
        on_day = await _events(api, {"date": {"equalTo": "2022-01-02"}})
        not_on_day = await _events(api, {"date": {"notEqualTo": "2022-01-04"}})
        strictly = await _events(api, {"date": {"greaterThan": "2022-01-08"}})
        days = await _events(api, {"date": {"in": ["2022-01-02", "2022-01-05"]}})
    # the riots (4-8), the border arrests (4-9) and the month review overlap 6-7 January
    assert window == ["almaty-riots", "border-arrests", "january-review"]
    assert on_day == ["aktau-protest", "january-review"]
    assert not_on_day == ["aktau-protest", "cabinet-dismissal"]
    assert strictly == ["border-arrests", "january-review"]
    assert days == [
        "aktau-protest",
        "almaty-riots",
        "border-arrests",
        "cabinet-dismissal",
        "january-review",
    ]


async def test_relation_filters_on_events(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        by_actor = await _events(api, {"actor": {"name": {"equalTo": "Police"}}})
        by_role = await _events(
            api,
            {
                "participant": {
                    "role": {"equalTo": "RESPONDER"},
                    "actor": {"kind": {"equalTo": "SECURITY_FORCE"}},
                }
            },
        )
        by_parent = await _events(api, {"actor": {"parent": {"slug": {"equalTo": "mvd"}}}})
        by_figure = await _events(api, {"figure": {"kind": {"equalTo": "ARRESTED"}}})
        by_statement = await _events(api, {"statement": {"speaker": {"slug": {"equalTo": "fm"}}}})
        by_link = await _events(
            api,
            {"link": {"kind": {"equalTo": "PART_OF"}, "target": {"type": {"equalTo": "RIOTS"}}}},
        )
        by_source = await _events(
            api, {"source": {"outlet": {"equalTo": "Test Wire"}}, "place": {"equalTo": "Aktau"}}
        )
    assert by_actor == ["almaty-riots", "border-arrests"]
    assert by_role == ["almaty-riots"]
    assert by_parent == ["border-arrests"]
    assert by_figure == ["almaty-riots", "border-arrests"]
    assert by_statement == ["almaty-protest", "almaty-riots"]
    assert by_link == ["almaty-protest"]
    assert by_source == ["aktau-protest"]


async def test_figure_filters_claimant_kind_and_value_ranges(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        claimed_by_ministry = await _figures(
            api,
            {
                "claimant": {
                    "or": [{"slug": {"equalTo": "mvd"}}, {"parent": {"slug": {"equalTo": "mvd"}}}]
                }
            },
        )
        no_claimant = await _figures(api, {"claimantExists": False})
        best_range = await _figures(api, {"best": {"greaterThanOrEqualTo": 200, "lessThan": 5100}})
        value_null = await _figures(
            api, {"value": {"isNull": True}, "status": {"equalTo": "VALUE"}}
        )
        top_level_arrests = await _figures(
            api, {"kind": {"equalTo": "ARRESTED"}, "partOfExists": False}
        )
        qualifier = await _figures(api, {"qualifier": {"in": ["MORE_THAN", "AT_LEAST"]}})
        counted = await _figures(api, {"countedActor": {"kind": {"equalTo": "CROWD"}}})
        in_event = await _figures(api, {"event": {"place": {"equalTo": "Almaty"}}})
        as_of = await _figures(api, {"asOf": {"lessThanOrEqualTo": "2022-01-31"}})
    assert claimed_by_ministry == ["arrests-300", "arrests-5100"]
    assert no_claimant == ["demonstrators-5000", "demonstrators-thousands", "killed-unknown"]
    assert best_range == ["arrests-300", "demonstrators-5000"]
    assert value_null == [
        "arrests-5100",
        "demonstrators-5000",
        "demonstrators-thousands",
        "detained-range",
    ]
    assert top_level_arrests == ["arrests-5100"]
    assert qualifier == ["arrests-5100", "demonstrators-5000"]
    assert counted == ["demonstrators-5000"]
    assert in_event == [
        "arrests-5100",
        "demonstrators-5000",
        "demonstrators-thousands",
        "killed-unknown",
    ]
    assert as_of == ["arrests-5100"]


async def test_statement_and_actor_filters(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ government: statements(
                     filter: { speaker: { parent: { kind: { in: [STATE, STATE_BODY] } } } }) {
                   nodes { slug } }
                 about: statements(
                   filter: { aboutActor: { slug: { equalTo: "kz" } }, mode: { equalTo: QUOTE } }) {
                   nodes { slug } }
                 dated: statements(filter: { date: { isNull: false, lessThan: "2022-01-09" } }) {
                   nodes { slug } }
                 withFigures: statements(filter: { figure: { kind: { equalTo: ARRESTED } } }) {
                   totalCount }
                 inAlmaty: actors(filter: { event: { place: { equalTo: "Almaty" } } }) {
                   nodes { slug } }
                 topLevel: actors(filter: { parentExists: false }) { nodes { slug } } }"""
        )
    assert [n["slug"] for n in data["government"]["nodes"]] == [
        "minister-borders",
        "fm-terror",
        "mvd-arrests",
    ]
    assert data["about"]["nodes"] == [{"slug": "fm-terror"}]
    assert data["dated"]["nodes"] == [{"slug": "fm-terror"}]
    assert data["withFigures"]["totalCount"] == 2
    assert [n["slug"] for n in data["inAlmaty"]["nodes"]] == ["police", "protesters"]
    assert [n["slug"] for n in data["topLevel"]["nodes"]] == ["kz", "nsc", "protesters"]


async def test_nested_connection_filters(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ event(slug: "almaty-riots") {
                 figures(filter: { status: { equalTo: UNKNOWN } }) { nodes { slug } }
                 statements(filter: { kind: { equalTo: ANNOUNCEMENT } }) { nodes { slug } } } }"""
        )
    assert data["event"]["figures"]["nodes"] == [{"slug": "killed-unknown"}]
    assert data["event"]["statements"]["nodes"] == [{"slug": "mvd-arrests"}]


async def test_like_wildcards_in_text_are_literal(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        percent = await _events(api, {"title": {"includesInsensitive": "%"}})
        underscore = await _events(api, {"slug": {"startsWith": "_"}})
    assert percent == [] and underscore == []


def _chain(hops: list[str], leaf: dict[str, Any]) -> dict[str, Any]:
    """`{hops[0]: {hops[1]: ... leaf}}`: a filter nested one level per hop."""
    for hop in reversed(hops):
        leaf = {hop: leaf}
    return leaf


#: Event filters nested to the depth limit (the top object is level 1), through link tables.
DEEPEST = {
    "actor-event": _chain(["actor", "event"] * 3 + ["actor"], {"name": {"equalTo": "Police"}}),
    "statement-about": _chain(
        ["statement", "aboutEvent", "statement", "speaker", "parent", "parent"],
        {"not": {"kind": {"equalTo": "STATE_BODY"}}},
    ),
    "and-or-not": _chain(
        ["participant", "actor"],
        {"and": [{"or": [{"not": {"event": {"link": {"kind": {"equalTo": "PART_OF"}}}}}]}]},
    ),
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("actor-event", ["aktau-protest", "almaty-protest", "almaty-riots", "border-arrests"]),
        ("statement-about", ["border-arrests"]),
        ("and-or-not", ["almaty-riots", "border-arrests"]),
    ],
)
async def test_filter_at_the_depth_limit_runs(
    database_url: str, tmp_path: Path, name: str, expected: list[str]
) -> None:
    deepest = DEEPEST[name]
    async with open_api(database_url, tmp_path, world()) as api:
        found = await _events(api, deepest)
        data = await api.data(
            """query($f: EventFilter) {
                 events(filter: $f, first: 2) { totalCount aggregates { count } }
                 source(slug: "report") { events(filter: $f) { totalCount nodes { slug } } } }""",
            {"f": deepest},
        )
        deeper = await api.errors(
            "query($f: EventFilter) { events(filter: $f) { totalCount } }", {"f": {"not": deepest}}
        )
    assert found == expected
    assert data["events"]["totalCount"] == data["events"]["aggregates"]["count"] == len(expected)
    assert data["source"]["events"]["totalCount"] == len(expected)
    assert "filter depth limit exceeded" in deeper[0]


@pytest.mark.parametrize(
    "filter",
    [
        {"title": {"equalTo": "Riots\x00"}},
        {"place": {"includesInsensitive": "\x00"}},
        {"slug": {"in": ["almaty-riots", "a\x00b"]}},
        {"dataset": {"startsWith": "test\x00"}},
        {"actor": {"name": {"notEqualTo": "\x00"}}},
    ],
)
async def test_filter_text_with_nul_is_refused(
    database_url: str, tmp_path: Path, filter: dict[str, Any]
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors(
            "query($f: EventFilter) { events(filter: $f) { totalCount } }", {"f": filter}
        )
    assert len(errors) == 1 and errors[0].endswith(
        "text must not contain the NUL character (\\u0000)"
    ), errors


async def test_filter_at_the_depth_limit_runs_in_nested_connections(
    database_url: str, tmp_path: Path
) -> None:
    deepest = _chain(
        ["event", "actor", "event", "actor"],
        {"or": [{"parent": {"not": {"kind": {"equalTo": "STATE"}}}}]},
    )
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """query($f: FigureFilter) {
                 figures(filter: $f, orderBy: [{ field: SLUG }]) { nodes { slug } }
                 actors(orderBy: [{ field: SLUG }]) { nodes { slug
                   reportedFigures(first: 3, filter: $f) { totalCount nodes { slug } } } } }""",
            {"f": deepest},
        )
    assert [n["slug"] for n in data["figures"]["nodes"]] == [
        "arrests-300",
        "arrests-5100",
        "killed-unknown",
    ]
    reported = {
        actor["slug"]: [n["slug"] for n in actor["reportedFigures"]["nodes"]]
        for actor in data["actors"]["nodes"]
        if actor["reportedFigures"]["totalCount"]
    }
    assert reported == {"minister": ["arrests-300"], "mvd": ["arrests-5100"]}
