"""UCDP's country-year death sums, computed straight from the CSV, against the API's totals.

The sums come from tests/data/ged191.csv through the csv module alone (no eventql code): per
country and year, `best`, `low` and `high`, and each part of the best estimate (`deaths_a`,
`deaths_b`, `deaths_civilians`, `deaths_unknown`). The API answers with figure totals over the
imported file, filtered by the event's country and start date (UCDP's `year` is the year of
`date_start` in every row of this file), one aliased `figures` connection per sum, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine

from tests.harness import app_client, make_app
from tests.import_files import UCDP_DATASET, UCDP_FILE
from tests.import_files import loaded as loaded  # a module-scoped fixture

#: ISO codes of the file's two countries, as UCDP names them.
_ISO = {"Myanmar (Burma)": "MM", "Bangladesh": "BD"}
_PARTS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
#: Which part figures each sum selects (the importer's figure slugs; civilians and persons of
#: unknown status are also the figures' counted groups).
_PART_FILTERS = {
    "deaths_a": '{slug: {includesInsensitive: "-killed-side-a"}}',
    "deaths_b": '{slug: {includesInsensitive: "-killed-side-b"}}',
    "deaths_civilians": '{countedGroup: {equalTo: "civilians"}}',
    "deaths_unknown": '{countedGroup: {equalTo: "persons of unknown status"}}',
}
#: Country-years per request: five aliases each, within the API's 50 aliases.
_PER_REQUEST = 10


def _file_sums() -> dict[tuple[str, int], dict[str, int]]:
    """Per (ISO country, year): the sums of the estimates and the parts, and the row count."""
    sums: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with UCDP_FILE.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            cell = sums[(_ISO[row["country"]], int(row["year"]))]
            cell["rows"] += 1
            for column in ("low", "best", "high", *_PARTS):
                cell[column] += int(row[column] or 0)
    return sums


def _query(keys: list[tuple[str, int]]) -> str:
    fields = []
    for index, (country, year) in enumerate(keys):
        event = (
            f'event: {{countryCode: {{equalTo: "{country}"}}, startDate: '
            f'{{greaterThanOrEqualTo: "{year}-01-01", lessThanOrEqualTo: "{year}-12-31"}}}}'
        )
        scope = f"dataset: {{equalTo: $d}}, {event}"
        fields.append(
            f"t{index}: figures(filter: {{{scope}, partOfExists: false}}) "
            "{ aggregates { totals { low best high figureCount } } }"
        )
        for part, condition in _PART_FILTERS.items():
            fields.append(
                f"{part}_{index}: figures(filter: {{and: [{{{scope}}}, {condition}]}}) "
                "{ aggregates { totals { best } } }"
            )
    return "query($d: String!) {\n" + "\n".join(fields) + "\n}"


def _total(data: dict[str, Any], alias: str) -> dict[str, int]:
    [total] = data[alias]["aggregates"]["totals"]
    return dict(total)


async def test_ucdp_country_year_sums_from_the_csv_equal_the_apis_totals(loaded: Engine) -> None:
    expected = _file_sums()
    assert len(expected) == 60  # every country-year of the file
    keys = sorted(expected)
    url = loaded.url.render_as_string(hide_password=False)
    answered: dict[tuple[str, int], dict[str, int]] = {}
    async with app_client(make_app(url)) as client:
        for start in range(0, len(keys), _PER_REQUEST):
            chunk = keys[start : start + _PER_REQUEST]
            response = await client.post(
                "/graphql", json={"query": _query(chunk), "variables": {"d": UCDP_DATASET}}
            )
            body = response.json()
            assert "errors" not in body, body["errors"]
            for index, key in enumerate(chunk):
                total = _total(body["data"], f"t{index}")
                answered[key] = {
                    "rows": total["figureCount"],
                    "low": total["low"],
                    "best": total["best"],
                    "high": total["high"],
                    **{part: _total(body["data"], f"{part}_{index}")["best"] for part in _PARTS},
                }
    assert answered == {key: dict(value) for key, value in expected.items()}
