"""The CSV export's columns that sum correctly, against the API's totals, on SQLite and PostgreSQL.

A spreadsheet user sums a column; the sum must be what the API's figure totals say for the same
events. Each test exports through `eventql export csv`, sums the `<kind>_counted_*` columns
with the csv module, and asks the API for `figures(filter: {event: <the export's filter>})`
totals over HTTP. The export streams a batch of events at a time, so every test runs with the
usual batch size and with one event per batch (figures counted on another batch's rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from eventql.cli import app
from seeds import bundled_seed_paths
from seeds.exporters import flat
from seeds.exporters.scope import BATCH_SIZE
from tests.api_support import world
from tests.harness import app_client, make_app

runner = CliRunner()

_PREFIX = {"KILLED": "fatalities"}


@pytest.fixture(params=[BATCH_SIZE, 1], ids=["batches", "one-event-batches"])
def batch_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The export's batch size: the usual one, and one event at a time."""
    monkeypatch.setattr(flat, "BATCH_SIZE", request.param)
    yield request.param


def _seed(database_url: str, *paths: Path) -> None:
    result = runner.invoke(app, ["seed", *map(str, paths), "--database-url", database_url])
    assert result.exit_code == 0, result.output


def _export(database_url: str, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "csv", *args, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout, newline="")))


def _column_sums(rows: list[dict[str, str]], prefix: str) -> tuple[int, int, int | None]:
    """The sums of a kind's counted columns, as a spreadsheet takes them (empty adds nothing);
    high is None when a counted row has no upper bound."""
    low = sum(int(row[f"{prefix}_counted_low"] or 0) for row in rows)
    best = sum(int(row[f"{prefix}_counted_best"] or 0) for row in rows)
    open_ended = any(
        row[f"{prefix}_counted_best"] and not row[f"{prefix}_counted_high"] for row in rows
    )
    high = sum(int(row[f"{prefix}_counted_high"] or 0) for row in rows)
    return low, best, None if open_ended else high


async def _api_totals(database_url: str, event_filter: dict[str, Any]) -> list[dict[str, Any]]:
    query = """query($f: FigureFilter) { figures(filter: $f) {
                 aggregates { totals { kind unit low best high } } } }"""
    variables = {"f": {"event": event_filter}}
    async with app_client(make_app(database_url)) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert "errors" not in body, body
    return list(body["data"]["figures"]["aggregates"]["totals"])


async def _assert_columns_sum_to_the_api_totals(
    database_url: str, rows: list[dict[str, str]], event_filter: dict[str, Any]
) -> None:
    totals = await _api_totals(database_url, event_filter)
    assert totals, "the API counts something"
    for total in totals:
        prefix = _PREFIX.get(total["kind"], total["kind"].lower())
        expected = (total["low"], total["best"], total["high"])
        assert _column_sums(rows, prefix) == expected, total["kind"]


async def test_export_counted_columns_sum_to_the_apis_totals_for_the_kazakhstan_report(
    database_url: str, batch_size: int
) -> None:
    _seed(database_url, *bundled_seed_paths())
    rows = _export(database_url)
    await _assert_columns_sum_to_the_api_totals(database_url, rows, {})
    assert _column_sums(rows, "arrested") == (5100, 5100, None)
    # The per-row column counts the ~300 border arrests again: that is what misled.
    assert sum(int(row["arrested_best"] or 0) for row in rows) == 5400
    by_slug = {row["event_slug"]: row for row in rows}
    border = by_slug["border-arrests"]
    assert (border["arrested_best"], border["arrested_counted_best"]) == ("300", "")
    assert border["counted_in"] == "arrested: riot-arrests"
    assert by_slug["riot-arrests"]["arrested_counted_best"] == "5100"
    assert by_slug["riot-arrests"]["counted_in"] == ""


async def test_export_filtered_csv_counts_a_part_whose_whole_is_left_out(
    database_url: str, batch_size: int
) -> None:
    _seed(database_url, *bundled_seed_paths())
    event_filter = {"slug": {"notEqualTo": "riot-arrests"}}
    rows = _export(database_url, "--filter", orjson.dumps(event_filter).decode())
    await _assert_columns_sum_to_the_api_totals(database_url, rows, event_filter)
    assert _column_sums(rows, "arrested") == (300, 300, 300)
    assert {row["counted_in"] for row in rows} == {""}


def _estimates_world() -> dict[str, Any]:
    """The API tests' small world, with estimates of one quantity on different events: a
    revision of the 5,100 arrests (on the border arrests' event) and an alternative estimate
    of the demonstrators (on the riots')."""
    seed = world()
    seed["figures"] += [
        {
            "id": "arrests-revised",
            "event": "border-arrests",
            "kind": "arrested",
            "value": 5800,
            "qualifier": "exact",
            "as_of": {"start": "2022-01-12"},
            "claimant": "mvd",
            "estimate_of": "arrests-5100",
            "estimate_relation": "revision",
        },
        {
            "id": "demonstrators-7000",
            "event": "almaty-riots",
            "kind": "participants",
            "lower": 4000,
            "upper": 7000,
            "qualifier": "between",
            "counted_actor": "protesters",
            "estimate_of": "demonstrators-5000",
            "estimate_relation": "alternative",
        },
    ]
    return seed


async def test_export_estimates_on_different_rows_are_counted_once(
    database_url: str, batch_size: int, tmp_path: Path
) -> None:
    path = tmp_path / "estimates.json"
    path.write_bytes(orjson.dumps(_estimates_world()))
    _seed(database_url, path)
    rows = _export(database_url)
    await _assert_columns_sum_to_the_api_totals(database_url, rows, {})
    by_slug = {row["event_slug"]: row for row in rows}
    # the latest revision alone, on its own row; the revised figure's row points there
    assert _column_sums(rows, "arrested") == (5800, 5800, 5800)
    assert by_slug["border-arrests"]["arrested_counted_best"] == "5800"
    assert by_slug["almaty-riots"]["counted_in"] == (
        "arrested: border-arrests; participants: almaty-protest"
    )
    # alternatives as one range, on the row of the quantity's first estimate
    assert _column_sums(rows, "participants") == (4000, 5000, None)
    protest = by_slug["almaty-protest"]
    assert (protest["participants_counted_low"], protest["participants_counted_best"]) == (
        "4000",
        "5000",
    )
