"""UCDP's country-year table in one query: `groups(by: [COUNTRY, YEAR])` over the imported GED
file equals the sums computed straight from the CSV with the csv module (no eventql code),
and so does the per-side breakdown by counted group, in one more."""

from __future__ import annotations

import csv
from collections import defaultdict

from sqlalchemy import Engine

from tests.harness import app_client, make_app
from tests.import_files import UCDP_DATASET, UCDP_FILE
from tests.import_files import loaded as loaded  # a module-scoped fixture

_ISO = {"Myanmar (Burma)": "MM", "Bangladesh": "BD"}
_GROUPS = {"civilians": "deaths_civilians", "persons of unknown status": "deaths_unknown"}

QUERY = """query ($d: String!) {
  figures(filter: {dataset: {equalTo: $d}, kind: {equalTo: KILLED}}) { aggregates {
    table: groups(by: [COUNTRY, YEAR], first: 100) {
      keys { countryCode periodStart spansPeriods } low best high figureCount } } }
  mm: figures(filter: {dataset: {equalTo: $d}, event: {countryCode: {equalTo: "MM"}}}) {
    ...Sides }
  bd: figures(filter: {dataset: {equalTo: $d}, event: {countryCode: {equalTo: "BD"}}}) {
    ...Sides } }
fragment Sides on FigureConnection { aggregates {
  sides: groups(by: [COUNTRY, YEAR, COUNTED_GROUP], first: 100) {
    keys { countryCode periodStart countedGroup } best } } }"""


def _file_sums() -> dict[tuple[str, str], dict[str, int]]:
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with UCDP_FILE.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            cell = sums[(_ISO[row["country"]], f"{row['year']}-01-01")]
            cell["rows"] += 1
            for column in ("low", "best", "high", *_GROUPS.values()):
                cell[column] += int(row[column] or 0)
    return sums


async def test_the_country_year_table_equals_the_files_own_sums(loaded: Engine) -> None:
    expected = _file_sums()
    url = loaded.url.render_as_string(hide_password=False)
    async with app_client(make_app(url)) as client:
        body = (
            await client.post("/graphql", json={"query": QUERY, "variables": {"d": UCDP_DATASET}})
        ).json()
    assert "errors" not in body, body["errors"]
    aggregates = body["data"]["figures"]["aggregates"]
    table = {
        (g["keys"]["countryCode"], g["keys"]["periodStart"]): {
            "rows": g["figureCount"],
            "low": g["low"],
            "best": g["best"],
            "high": g["high"],
        }
        for g in aggregates["table"]
    }
    assert not any(g["keys"]["spansPeriods"] for g in aggregates["table"])  # no row crosses a year
    assert len(table) == 60
    assert table == {
        key: {name: sums[name] for name in ("rows", "low", "best", "high")}
        for key, sums in expected.items()
    }
    data = body["data"]
    sides = {
        (g["keys"]["countryCode"], g["keys"]["periodStart"], g["keys"]["countedGroup"]): g["best"]
        for country in ("mm", "bd")
        for g in data[country]["aggregates"]["sides"]
    }
    for key, sums in expected.items():
        for group, column in _GROUPS.items():
            assert sides.get((*key, group), 0) == sums[column], (key, group)
        # the whole and the sides it counts (parts of it in its own group) add up to `best`
        assert sides[(*key, None)] == sums["best"], key
