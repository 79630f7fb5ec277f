"""`eventql export csv|geojson|jsonl` over the imported real files, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from eventql.cli import app
from schema.records import SeedFile
from seeds.exporters import COLUMNS
from seeds.exporters.flat import ACLED_COLUMNS
from tests.import_files import (
    GDELT_DATASET,
    GDELT_EVENTS,
    UCDP_BEST,
    UCDP_DATASET,
    UCDP_EVENTS,
    UCDP_FILE,
    UCDP_HIGH,
    UCDP_LOW,
)
from tests.import_files import loaded as loaded  # a module-scoped fixture

runner = CliRunner()

#: Events with coordinates: every UCDP row; GDELT rows with an action point in an ISO country.
EVENTS_WITH_COORDINATES = UCDP_EVENTS + 2072


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _export(engine: Engine, *args: str) -> bytes:
    result = runner.invoke(app, ["export", *args, "--database-url", _url(engine)])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_export_csv_has_acled_columns_and_one_row_per_event(loaded: Engine) -> None:
    data = _export(loaded, "csv")
    header = data.split(b"\r\n", 1)[0].decode().split(",")
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert header == COLUMNS
    assert len(_csv_rows(data)) == UCDP_EVENTS + GDELT_EVENTS


def test_export_csv_figures_add_up_to_the_files_sums(loaded: Engine) -> None:
    rows = _csv_rows(_export(loaded, "csv", "--dataset", UCDP_DATASET))
    sums = [sum(int(row[f"fatalities_{r}"]) for row in rows) for r in ("best", "low", "high")]
    assert sums == [UCDP_BEST, UCDP_LOW, UCDP_HIGH]
    assert all(row["fatalities"] == row["fatalities_best"] for row in rows)


def test_export_csv_leaves_unknown_figures_empty(loaded: Engine) -> None:
    rows = _csv_rows(_export(loaded, "csv", "--dataset", GDELT_DATASET))
    assert {row["fatalities"] for row in rows} == {""}


def test_export_csv_puts_ucdp_side_a_first(loaded: Engine) -> None:
    rows = _csv_rows(
        _export(loaded, "csv", "--filter", '{"externalId": {"equalTo": "ucdp-ged:209980"}}')
    )
    [row] = rows
    assert (row["actor1"], row["actor2"], row["interaction"]) == (
        "Government of Myanmar (Burma)",
        "MNDAA",
        "12",
    )
    assert (row["iso"], row["country"], row["geo_precision"]) == ("104", "Myanmar", "2")


def test_export_filter_selects_the_same_events_as_the_api(loaded: Engine) -> None:
    spec = '{"type": {"in": ["PROTESTS", "RIOTS"]}}'
    rows = _csv_rows(_export(loaded, "csv", "--filter", spec))
    assert len(rows) == 31  # GDELT's CAMEO root 14: 30 protests and one riot
    assert {row["dataset"] for row in rows} == {GDELT_DATASET}


def test_export_geojson_is_a_feature_collection_of_points(loaded: Engine) -> None:
    collection = json.loads(_export(loaded, "geojson"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == EVENTS_WITH_COORDINATES
    for feature in features:
        assert feature["type"] == "Feature"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert (longitude, latitude) == (
            feature["properties"]["longitude"],
            feature["properties"]["latitude"],
        )


def test_export_jsonl_lines_are_seed_files(loaded: Engine) -> None:
    lines = _export(loaded, "jsonl", "--dataset", GDELT_DATASET).splitlines()
    seeds = [SeedFile.model_validate(orjson.loads(line)) for line in lines]
    assert seeds[0].dataset_info.licence is not None
    assert sum(len(seed.events) for seed in seeds) == GDELT_EVENTS


def test_export_filtered_jsonl_holds_what_its_events_need(loaded: Engine, tmp_path: Path) -> None:
    spec = '{"countryCode": {"equalTo": "BD"}, "date": {"greaterThanOrEqualTo": "2016-01-01"}}'
    path = tmp_path / "bangladesh.jsonl"
    _export(loaded, "jsonl", "--dataset", UCDP_DATASET, "--filter", spec, "--output", str(path))
    database = f"sqlite:///{tmp_path / 'bangladesh.sqlite3'}"
    seeded = runner.invoke(app, ["seed", str(path), "--database-url", database])
    assert seeded.exit_code == 0, seeded.output
    expected = len(_csv_rows(_export(loaded, "csv", "--dataset", UCDP_DATASET, "--filter", spec)))
    again = _csv_rows(_export_url(database, "csv"))
    assert len(again) == expected > 0


def _export_url(url: str, *args: str) -> bytes:
    result = runner.invoke(app, ["export", *args, "--database-url", url])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "{not json"], "Bad filter: not JSON"),
        (["--filter", '{"colour": {"equalTo": "red"}}'], "filter.colour: unknown filter key"),
        (["--dataset", "no-such-dataset"], "no dataset named 'no-such-dataset'"),
    ],
    ids=["not-json", "unknown-key", "unknown-dataset"],
)
def test_export_refuses_a_bad_selection(loaded: Engine, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["export", "csv", *args, "--database-url", _url(loaded)])
    assert result.exit_code == 1
    assert message in result.output


def test_export_output_file_is_written_whole(loaded: Engine, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    _export(loaded, "csv", "--dataset", GDELT_DATASET, "--output", str(path))
    assert len(_csv_rows(path.read_bytes())) == GDELT_EVENTS
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


#: What an Excel-friendly CSV starts with.
UTF8_BOM = b"\xef\xbb\xbf"


def test_export_geojson_says_how_many_events_were_left_out_and_why(loaded: Engine) -> None:
    result = runner.invoke(app, ["export", "geojson", "--database-url", _url(loaded)])

    assert result.exit_code == 0, result.output
    total = UCDP_EVENTS + GDELT_EVENTS
    left_out = total - EVENTS_WITH_COORDINATES
    assert result.stderr == (
        f"{left_out:,} of {total:,} events left out of the GeoJSON: they have no coordinates "
        "(the csv and jsonl exports include them).\n"
    )
    assert json.loads(result.stdout)["eventql"] == {
        "events": total,
        "features": EVENTS_WITH_COORDINATES,
        "withoutCoordinates": left_out,
    }


def test_export_geojson_of_located_events_only_says_nothing_on_stderr(loaded: Engine) -> None:
    result = runner.invoke(
        app, ["export", "geojson", "--dataset", UCDP_DATASET, "--database-url", _url(loaded)]
    )

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout)["eventql"]["withoutCoordinates"] == 0


def test_export_csv_bom_starts_with_a_byte_order_mark_for_excel(loaded: Engine) -> None:
    plain = _export(loaded, "csv", "--dataset", UCDP_DATASET)
    excel = _export(loaded, "csv", "--dataset", UCDP_DATASET, "--bom")

    assert not plain.startswith(UTF8_BOM)
    assert excel == UTF8_BOM + plain
    rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig"), newline="")))
    assert rows == _csv_rows(plain)
    assert any(not value.isascii() for row in rows for value in row.values())


def test_export_bom_is_only_for_csv(loaded: Engine) -> None:
    result = runner.invoke(app, ["export", "geojson", "--bom", "--database-url", _url(loaded)])

    assert result.exit_code == 2  # a usage error
    assert "only the csv and totals formats take it" in result.output
    assert "Traceback" not in result.output


def test_export_from_a_database_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite3"
    output = tmp_path / "events.csv"

    result = runner.invoke(
        app, ["export", "csv", "-o", str(output), "--database-url", f"sqlite:///{missing}"]
    )

    assert result.exit_code == 3
    assert result.stderr == f"No database at {missing} (sqlite:///{missing}): nothing exported.\n"
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # neither the output nor a database file


def test_export_to_a_folder_that_does_not_exist_is_refused(loaded: Engine, tmp_path: Path) -> None:
    output = tmp_path / "no-such-folder" / "events.csv"

    result = runner.invoke(
        app, ["export", "csv", "-o", str(output), "--database-url", _url(loaded)]
    )

    assert result.exit_code == 1
    assert result.stderr == f"Cannot write {output}: No such file or directory.\n"
    assert list(tmp_path.iterdir()) == []


def test_export_csv_counted_columns_add_up_to_the_files_sums(loaded: Engine) -> None:
    rows = _csv_rows(_export(loaded, "csv", "--dataset", UCDP_DATASET))
    sums = [
        sum(int(row[f"fatalities_counted_{r}"]) for row in rows) for r in ("best", "low", "high")
    ]
    assert sums == [UCDP_BEST, UCDP_LOW, UCDP_HIGH]
    assert {row["counted_in"] for row in rows} == {""}  # each row's parts are its own


def test_export_csv_gives_ucdps_breakdown_columns_back(loaded: Engine) -> None:
    # every row's deaths_a, deaths_b, deaths_civilians and deaths_unknown as the file has them
    parts = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
    with UCDP_FILE.open(encoding="utf-8", newline="") as stream:
        original = {row["id"]: [row[p] for p in parts] for row in csv.DictReader(stream)}
    rows = _csv_rows(_export(loaded, "csv", "--dataset", UCDP_DATASET))
    exported = {
        row["event_id_cnty"].removeprefix("ucdp-ged:"): [row[p] for p in parts] for row in rows
    }
    assert exported == original
    sums = [sum(int(row[p] or 0) for row in rows) for p in parts]
    assert sums == [sum(int(cells[i] or 0) for cells in original.values()) for i in range(4)]
    assert sum(sums) == UCDP_BEST  # the breakdown of the best estimate
