"""An event in several places: `location` is the first the source names, `otherLocations` the
rest, in the source's order — loaded, served by both executors, checked, exported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from eventql.cli import app
from tests.api_support import open_api
from tests.seed_helpers import write_json

runner = CliRunner()

ALMATY = {
    "country": "KZ",
    "admin1": "Almaty",
    "place": "Almaty",
    "latitude": 43.25249,
    "longitude": 76.9115,
    "precision": "settlement",
    "geonames_id": 1526384,
}
WEST = {"country": "KZ", "description": "the west of the country"}


def decree_world(**decree: Any) -> dict[str, Any]:
    return {
        "dataset": "decree",
        "source": {"id": "wire", "headline": "Emergency", "published": {"start": "2022-01-10"}},
        "events": [
            {
                "id": "decree",
                "title": "State of emergency decreed",
                "type": "state_acts",
                "sub_type": "state_of_emergency",
                "date": {"start": "2022-01-05"},
                "location": WEST,
                "other_locations": [ALMATY, {"country": "UZ", "place": "Tashkent"}],
                **decree,
            },
            {
                "id": "protest",
                "title": "Protest",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": {"start": "2022-01-04"},
                "location": {"country": "KZ", "admin1": "Mangystau"},
            },
        ],
    }


QUERY = """{ events(orderBy: {field: DATE}) { nodes { slug
  location { countryCode country admin1 place description }
  otherLocations { countryCode country admin1 place latitude longitude
                   coordinatePrecision geonamesId description __typename }
  firstOnly: otherLocations(first: 1) { place } } } }"""


async def test_other_locations_come_in_the_sources_order(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, decree_world()) as api:
        protest, decree = (await api.data(QUERY))["events"]["nodes"]
    assert protest["otherLocations"] == [] and protest["firstOnly"] == []
    assert decree["location"] == {
        "countryCode": "KZ",
        "country": "Kazakhstan",
        "admin1": None,
        "place": None,
        "description": "the west of the country",
    }
    assert decree["otherLocations"] == [
        {
            "countryCode": "KZ",
            "country": "Kazakhstan",
            "admin1": "Almaty",
            "place": "Almaty",
            "latitude": 43.25249,
            "longitude": 76.9115,
            "coordinatePrecision": "SETTLEMENT",
            "geonamesId": 1526384,
            "description": None,
            "__typename": "Location",
        },
        {
            "countryCode": "UZ",
            "country": "Uzbekistan",
            "admin1": None,
            "place": "Tashkent",
            "latitude": None,
            "longitude": None,
            "coordinatePrecision": None,
            "geonamesId": None,
            "description": None,
            "__typename": "Location",
        },
    ]
    assert decree["firstOnly"] == [{"place": "Almaty"}]


async def test_a_place_among_the_other_locations_is_searchable(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, decree_world()) as api:
        data = await api.data('{ events(search: "Tashkent") { nodes { slug } } }')
    assert data["events"]["nodes"] == [{"slug": "decree"}]


def _seed(database_url: str, path: Path) -> Any:
    return runner.invoke(app, ["seed", str(path), "--database-url", database_url])


def test_a_bad_other_location_names_its_place_in_the_list(
    database_url: str, tmp_path: Path
) -> None:
    bad = decree_world(other_locations=[ALMATY, {"country": "KZ", "latitude": 43.0}])
    result = _seed(database_url, write_json(tmp_path / "bad.json", bad))
    assert result.exit_code == 1
    assert "events[decree].other_locations[1]" in result.output
    assert "latitude and longitude must be given together" in result.output


def test_other_locations_round_trip_through_the_jsonl_export(
    database_url: str, tmp_path: Path
) -> None:
    seeded = _seed(database_url, write_json(tmp_path / "decree.json", decree_world()))
    assert seeded.exit_code == 0, seeded.output
    exported = runner.invoke(app, ["export", "jsonl", "--database-url", database_url])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    events = [event for line in lines for event in line.get("events", [])]
    (decree,) = [event for event in events if event["id"] == "decree"]
    assert [place.get("place") for place in decree["other_locations"]] == ["Almaty", "Tashkent"]
    assert decree["location"]["description"] == "the west of the country"


async def test_events_are_found_by_a_further_location(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, decree_world()) as api:
        data = await api.data(
            """query ($region: String!) {
                 main: events(filter: {admin1: {equalTo: $region}}) { nodes { slug } }
                 other: events(filter: {otherLocation: {admin1: {equalTo: $region}}}) {
                   nodes { slug } }
                 anywhere: events(filter: {or: [{admin1: {equalTo: "Mangystau"}},
                   {otherLocation: {admin1: {equalTo: $region}}}]}, orderBy: {field: DATE}) {
                   nodes { slug } }
                 none: events(filter: {otherLocation: {countryCode: {equalTo: "RU"}}}) {
                   totalCount } }""",
            {"region": "Almaty"},
        )
    assert data["main"]["nodes"] == []
    assert data["other"]["nodes"] == [{"slug": "decree"}]
    assert data["anywhere"]["nodes"] == [{"slug": "protest"}, {"slug": "decree"}]
    assert data["none"]["totalCount"] == 0
