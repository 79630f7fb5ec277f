"""Importers on real-world variants of the files: encodings, line ends, layouts, broken values.

Each variant is built in tmp_path from the real rows of tests/data (see tests/import_files.py).
These tests exercise the mapping (and, for the layouts users download, the command line);
loading is tested in test_import_command.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from eventql.cli import app
from schema.enums import FigureStatus
from schema.records import EventRecord
from seeds.importers import Imported, import_gdelt, import_ucdp
from tests.harness import dataset_hashes
from tests.import_files import (
    GDELT_FILE,
    UCDP_FILE,
    csv_line_of,
    gdelt_imported,
    gdelt_lines,
    ucdp_imported,
    ucdp_records,
    write_csv,
)
from tests.ucdp_layouts import GED_49, HDX_HASHTAGS, HDX_HEADER, hdx_extract, relayout

runner = CliRunner()


def _events(path: Path) -> dict[str, EventRecord]:
    imported = import_ucdp(path)
    assert imported.problems.errors == []
    return {event.id: event for event in imported.seed.events}


def test_ucdp_quoted_fields_with_line_breaks_stay_whole() -> None:
    event = next(e for e in ucdp_imported().seed.events if e.id == "ucdp-ged-209406")
    assert event.codes["source_original"] == (
        " Myanmar's Defense Ministry - statement\n Myawaddy TV\nMNDAA spokesperson Tun Myat Lin"
    )
    assert event.locator == "id 209406"  # the row's UCDP id, whatever line it starts on


def test_ucdp_bom_and_windows_line_ends_read_the_same(tmp_path: Path) -> None:
    header, rows = ucdp_records(40)
    plain = write_csv(tmp_path / "plain.csv", header, rows)
    crlf = write_csv(tmp_path / "crlf.csv", header, rows, crlf=True)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + crlf.read_bytes())
    expected = import_ucdp(plain, dataset="x").seed
    for variant in (crlf, bom):
        seed = import_ucdp(variant, dataset="x").seed
        assert (seed.events, seed.figures, seed.actors) == (
            expected.events,
            expected.figures,
            expected.actors,
        )


def test_ucdp_reordered_columns_map_by_header_name(tmp_path: Path) -> None:
    header, rows = ucdp_records(40)
    order = list(reversed(range(len(header))))
    plain = write_csv(tmp_path / "plain.csv", header, rows)
    reordered = write_csv(
        tmp_path / "reordered.csv",
        [header[i] for i in order],
        [[r[i] for i in order] for r in rows],
    )
    original = import_ucdp(plain, dataset="x").seed
    shuffled = import_ucdp(reordered, dataset="x").seed
    assert [e.model_dump(exclude={"codes"}) for e in shuffled.events] == [
        e.model_dump(exclude={"codes"}) for e in original.events
    ]
    assert shuffled.figures == original.figures


def test_ucdp_extra_columns_are_kept_in_codes(tmp_path: Path) -> None:
    header, rows = ucdp_records(5)
    path = write_csv(
        tmp_path / "extra.csv", [*header, "code_status"], [[*row, "Clear"] for row in rows]
    )
    assert all(event.codes["code_status"] == "Clear" for event in _events(path).values())


def test_ucdp_lines_above_the_header_are_skipped_with_a_warning(tmp_path: Path) -> None:
    header, rows = ucdp_records(5)
    path = write_csv(tmp_path / "titled.csv", header, rows)
    path.write_text(
        "UCDP Georeferenced Event Dataset 19.1\nCC BY 4.0\n" + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    imported = import_ucdp(path)
    assert imported.problems.errors == []
    assert [w.line for w in imported.problems.warnings] == [1, 2]
    assert imported.seed.events[0].id == f"ucdp-ged-{rows[0][header.index('id')]}"


def test_ucdp_repeated_header_rows_are_skipped(tmp_path: Path) -> None:
    header, rows = ucdp_records(6)
    path = write_csv(tmp_path / "concatenated.csv", header, [*rows[:3], header, *rows[3:]])
    assert len(_events(path)) == 6


def test_ucdp_empty_death_counts_are_unknown_not_zero(tmp_path: Path) -> None:
    header, rows = ucdp_records(1)
    row = list(rows[0])
    for column in ("deaths_b", "low", "best", "high"):
        row[header.index(column)] = ""
    path = write_csv(tmp_path / "unknown.csv", header, [row])
    figures = {f.id: f for f in import_ucdp(path).seed.figures}
    slug = f"ucdp-ged-{row[0]}-killed"
    assert figures[slug].status is FigureStatus.UNKNOWN
    assert figures[f"{slug}-side-b"].status is FigureStatus.UNKNOWN
    assert figures[f"{slug}-civilians"].status is FigureStatus.NONE


def test_ucdp_bad_value_is_an_error_naming_line_and_column(tmp_path: Path) -> None:
    header, rows = ucdp_records(30)
    rows[20][header.index("best")] = "many"
    rows[25][header.index("date_start")] = "2015-02-30"
    path = write_csv(tmp_path / "broken.csv", header, rows)
    errors = [str(issue) for issue in import_ucdp(path).problems.errors]
    assert errors == [
        f"{path}:{csv_line_of(path, 20)}: column best: expected a whole number, got 'many'",
        f"{path}:{csv_line_of(path, 25)}: column date_start: expected a date (YYYY-MM-DD or "
        "YYYYMMDD), got '2015-02-30'",
    ]


def test_ucdp_row_with_missing_fields_is_an_error_naming_its_line(tmp_path: Path) -> None:
    header, rows = ucdp_records(10)
    rows[7] = rows[7][:20]
    path = write_csv(tmp_path / "short.csv", header, rows)
    errors = import_ucdp(path).problems.errors
    assert [(e.line, e.message) for e in errors] == [
        (csv_line_of(path, 7), f"row has 20 fields, the header names {len(header)}")
    ]


def test_ucdp_unclosed_quote_is_an_error_naming_its_line(tmp_path: Path) -> None:
    header, rows = ucdp_records(10)
    path = write_csv(tmp_path / "quote.csv", header, rows)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '1,"never closed\n', encoding="utf-8")
    [error] = import_ucdp(path).problems.errors
    assert error.line == text.count("\n") + 1
    assert error.message.startswith("unreadable CSV")


def test_ucdp_file_without_its_columns_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    [error] = import_ucdp(path).problems.errors
    assert "no header row naming the columns date_start, id, type_of_violence" in error.message


def test_gdelt_header_row_is_accepted(tmp_path: Path) -> None:
    from seeds.importers.gdelt_table import COLUMNS_2_0

    path = tmp_path / "20191024143000.export.CSV"
    path.write_text(
        "\t".join(COLUMNS_2_0) + "\n" + "\n".join(gdelt_lines(50)) + "\n", encoding="utf-8"
    )
    imported = import_gdelt(path)
    assert imported.problems.errors == []
    # Located by GLOBALEVENTID, the same records as from the file without a header.
    assert imported.seed.events == gdelt_imported().seed.events[:50]


def test_gdelt_1_0_rows_of_58_fields_are_read(tmp_path: Path) -> None:
    from seeds.importers.gdelt_table import COLUMNS_1_0, COLUMNS_2_0

    keep = [COLUMNS_2_0.index(name) for name in COLUMNS_1_0]
    lines = ["\t".join(line.split("\t")[i] for i in keep) for line in gdelt_lines(20)]
    path = tmp_path / "20191024.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported = import_gdelt(path)
    assert imported.problems.errors == []
    assert imported.seed.dataset_info.name == "gdelt-1.0-events-20191024"
    assert len(imported.seed.events) == 20
    assert "ActionGeo_ADM2Code" not in imported.seed.events[1].codes


def test_gdelt_bom_and_windows_line_ends_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "20191024143000.export.CSV"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(gdelt_lines(30)).encode() + b"\r\n")
    imported = import_gdelt(path)
    assert imported.problems.errors == []
    assert imported.seed.events == gdelt_imported().seed.events[:30]


def test_gdelt_wrong_field_count_is_an_error_naming_its_line(tmp_path: Path) -> None:
    lines = gdelt_lines(10)
    lines[6] = "\t".join(lines[6].split("\t")[:40])
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = import_gdelt(path).problems.errors
    assert error.line == 7
    assert error.message.startswith("row has 40 fields, the file's first event row has 61")


def test_gdelt_bad_coordinate_is_an_error_naming_line_and_column(tmp_path: Path) -> None:
    lines = [line.split("\t") for line in gdelt_lines(10)]
    lines[3][56] = "north"
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text("\n".join("\t".join(line) for line in lines) + "\n", encoding="utf-8")
    [error] = import_gdelt(path).problems.errors
    assert str(error) == f"{path}:4: column ActionGeo_Lat: expected a number, got 'north'"


def test_real_files_import_without_errors() -> None:
    assert ucdp_imported().problems.errors == []
    assert gdelt_imported().problems.errors == []
    assert UCDP_FILE.exists() and GDELT_FILE.exists()


def test_gdelt_lines_before_the_first_event_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text("GDELT 2.0 events\n\n" + "\n".join(gdelt_lines(5)) + "\n", encoding="utf-8")
    imported = import_gdelt(path)
    assert imported.problems.errors == []
    assert [w.line for w in imported.problems.warnings] == [1]
    assert imported.seed.events[0] == gdelt_imported().seed.events[0]


def test_gdelt_comma_separated_re_export_with_a_header_is_read(tmp_path: Path) -> None:
    from seeds.importers.gdelt_table import COLUMNS_2_0

    order = list(reversed(range(len(COLUMNS_2_0))))
    rows = [line.split("\t") for line in gdelt_lines(20)]
    path = write_csv(
        tmp_path / "20191024143000.export.csv",
        [COLUMNS_2_0[i].lower() for i in order],
        [[row[i] for i in order] for row in rows],
    )
    imported = import_gdelt(path)
    assert imported.problems.errors == []
    unplaced = {"locator": None}
    assert [e.model_copy(update=unplaced) for e in imported.seed.events] == [
        e.model_copy(update=unplaced) for e in gdelt_imported().seed.events[:20]
    ]


# --- UCDP as users download it: later releases, Candidate events, HDX extracts -------------


def _comparable(imported: Imported) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Events and figures without what depends on the file's layout: `codes` (every column
    as the file names it). Locators name rows by UCDP's id, so they do not."""
    assert imported.problems.errors == []
    events = [e.model_dump(exclude={"codes"}) for e in imported.seed.events]
    figures = [f.model_dump() for f in imported.seed.figures]
    return events, figures


def test_ucdp_later_release_layout_imports_as_19_1_does(tmp_path: Path) -> None:
    header, rows = ucdp_records()
    path = write_csv(tmp_path / "GEDEvent_v24_1.csv", GED_49, relayout(header, rows, GED_49))
    imported = import_ucdp(path)
    assert imported.seed.dataset_info.name == "ucdp-ged-24.1"
    assert imported.problems.warnings == []
    original = import_ucdp(write_csv(tmp_path / "ged191.csv", header, rows), dataset="x")
    assert _comparable(import_ucdp(path, dataset="x")) == _comparable(original)
    assert {event.codes["code_status"] for event in imported.seed.events} == {"Clear"}


def test_ucdp_layout_without_the_breakdown_gives_totals_only(tmp_path: Path) -> None:
    header, rows = ucdp_records(50)
    columns = [c for c in header if not c.startswith("deaths_")]
    path = write_csv(tmp_path / "ged191.csv", columns, relayout(header, rows, columns))
    figures = import_ucdp(path, dataset="x").seed.figures
    expected = import_ucdp(write_csv(tmp_path / "all.csv", header, rows), dataset="x").seed.figures
    assert figures == [f for f in expected if f.part_of is None]
    assert len(figures) == 50


def test_ucdp_older_estimate_names_and_header_case_are_read(tmp_path: Path) -> None:
    header, rows = ucdp_records(40)
    renamed = {"best": "BEST_EST", "low": "Low_Est", "high": "high est", "date_start": "Date Start"}
    path = write_csv(tmp_path / "old.csv", [renamed.get(c, c.upper()) for c in header], rows)
    plain = write_csv(tmp_path / "plain.csv", header, rows)
    assert _comparable(import_ucdp(path, dataset="x")) == _comparable(
        import_ucdp(plain, dataset="x")
    )


def test_ucdp_candidate_events_keep_their_status_and_unknown_estimates(tmp_path: Path) -> None:
    header, rows = ucdp_records(20)
    layout = relayout(header, rows, GED_49)
    status, best, low, high, side_b = (
        GED_49.index(c) for c in ("code_status", "best", "low", "high", "deaths_b")
    )
    layout[3][status] = "Check deaths"
    for column in (best, low, high, side_b):
        layout[5][column] = "NA"
    path = write_csv(tmp_path / "GEDEvent_v24_0_1.csv", GED_49, layout)
    imported = import_ucdp(path)
    assert imported.problems.errors == []
    info = imported.seed.dataset_info
    assert (info.name, info.title) == (
        "ucdp-candidate-24.0.1",
        "UCDP Candidate Events Dataset 24.0.1",
    )
    assert "Candidate Events Dataset" in (info.citation or "")
    events = imported.seed.events
    assert "UCDP code status: Check deaths" in (events[3].description or "")
    assert all("code status" not in (e.description or "") for e in events[:3])
    figures = {f.id: f for f in imported.seed.figures}
    total = f"ucdp-ged-{layout[5][0]}-killed"
    assert figures[total].status is FigureStatus.UNKNOWN
    assert (figures[total].value, figures[total].lower, figures[total].upper) == (None,) * 3
    assert figures[f"{total}-side-b"].status is FigureStatus.UNKNOWN
    side_a = int(layout[5][GED_49.index("deaths_a")])
    assert (figures[f"{total}-side-a"].value, figures[f"{total}-side-a"].part_of) == (side_a, total)


def test_ucdp_hdx_extract_with_its_hashtag_row_imports_as_ucdps_file(tmp_path: Path) -> None:
    header, rows = ucdp_records()
    bangladesh = [row for row in rows if row[header.index("country")] == "Bangladesh"]
    (hdx_header, hashtags), hdx_rows = hdx_extract(header, bangladesh)
    path = write_csv(tmp_path / "conflict_data_BGD.csv", hdx_header, [hashtags, *hdx_rows])
    imported = import_ucdp(path)
    assert imported.seed.dataset_info.name == "ucdp-ged-conflict-data-bgd"
    assert imported.problems.warnings == []
    original = import_ucdp(write_csv(tmp_path / "ucdp.csv", header, bangladesh), dataset="x")
    assert _comparable(import_ucdp(path, dataset="x")) == _comparable(original)
    first_id = bangladesh[0][header.index("id")]
    assert imported.seed.events[0].locator == f"id {first_id}"  # not the line: tag row
    assert {event.codes["iso3"] for event in imported.seed.events} == {"BGD"}


def test_ucdp_hdx_columns_renamed_and_reordered_are_read_by_their_hashtags(
    tmp_path: Path,
) -> None:
    header, rows = ucdp_records(60)
    (hdx_header, hashtags), hdx_rows = hdx_extract(header, rows)
    renamed = {"date_start": "Start", "best": "Fatalities", "country": "Country Name"}
    order = list(reversed(range(len(hdx_header))))
    path = write_csv(
        tmp_path / "conflict_data.csv",
        [renamed.get(hdx_header[i], hdx_header[i]) for i in order] + ["Notes"],
        [[hashtags[i] for i in order] + ["#meta+notes"]]
        + [[row[i] for i in order] + ["re-distributed"] for row in hdx_rows],
    )
    imported = import_ucdp(path, dataset="x")
    original = import_ucdp(write_csv(tmp_path / "ucdp.csv", header, rows), dataset="x")
    assert _comparable(imported) == _comparable(original)
    assert sorted(str(w) for w in imported.problems.warnings) == sorted(
        f"{path}:1: column {name}: read as {column}, the column its HXL hashtag {tag} names"
        for column, name, tag in (
            ("date_start", "Start", "#date+start"),
            ("best", "Fatalities", "#affected+killed"),
            ("country", "Country Name", "#country+name"),
        )
    )
    assert imported.seed.events[0].codes["notes"] == "re-distributed"


def test_ucdp_hdx_bad_value_names_its_line_and_the_files_column(tmp_path: Path) -> None:
    header, rows = ucdp_records(30)
    (hdx_header, hashtags), hdx_rows = hdx_extract(header, rows)
    hdx_header = ["Fatalities" if name == "best" else name for name in hdx_header]
    hdx_rows[20][hdx_header.index("Fatalities")] = "many"
    hdx_rows[25][hdx_header.index("latitude")] = "north"
    path = write_csv(tmp_path / "conflict_data_MMR.csv", hdx_header, [hashtags, *hdx_rows])
    errors = [str(issue) for issue in import_ucdp(path).problems.errors]
    assert errors == [
        f"{path}:{csv_line_of(path, 21)}: column Fatalities (read as best): expected a whole "
        "number, got 'many'",
        f"{path}:{csv_line_of(path, 26)}: column latitude: expected a number, got 'north'",
    ]


def test_ucdp_hashtag_row_without_a_header_is_not_a_header(tmp_path: Path) -> None:
    header, rows = ucdp_records(3)
    path = write_csv(tmp_path / "tags-only.csv", HDX_HASHTAGS, relayout(header, rows, HDX_HEADER))
    [error] = import_ucdp(path).problems.errors
    assert "no header row naming the columns date_start, id, type_of_violence" in error.message


def test_ucdp_hdx_extract_through_the_cli_names_a_bad_cell_and_writes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    header, rows = ucdp_records(200)
    (hdx_header, hashtags), hdx_rows = hdx_extract(header, rows)
    hdx_header = ["Fatalities" if name == "best" else name for name in hdx_header]
    path = write_csv(tmp_path / "conflict_data.csv", hdx_header, [hashtags, *hdx_rows])
    args = ["import", "ucdp", str(path), "--database-url", database_url]
    loaded = runner.invoke(app, args)
    assert loaded.exit_code == 0, loaded.output
    assert "200 rows read" in loaded.output
    before = dataset_hashes(database_url)
    assert list(before) == ["ucdp-ged-conflict-data"]

    hdx_rows[150][hdx_header.index("Fatalities")] = "12 or 13"
    write_csv(path, hdx_header, [hashtags, *hdx_rows])
    result = runner.invoke(app, args)

    assert result.exit_code == 1
    line = csv_line_of(path, 151)  # record 0 is the hashtag row
    assert (
        f"{path}:{line}: column Fatalities (read as best): expected a whole number, got '12 or 13'"
    ) in " ".join(result.output.split())
    assert "nothing was written" in result.output
    assert dataset_hashes(database_url) == before


def test_ucdp_candidate_file_without_its_header_row_is_read_in_the_49_columns(
    tmp_path: Path,
) -> None:
    header, rows = ucdp_records(30)
    with_header = write_csv(tmp_path / "with.csv", GED_49, relayout(header, rows, GED_49))
    path = tmp_path / "GEDEvent_v24_0_1.csv"
    path.write_text(with_header.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    imported = import_ucdp(path, dataset="x")
    assert [str(w) for w in imported.problems.warnings] == [
        f"{path}:1: no header row: each row's 49 fields read as the columns id, relid, year … gwnob"
    ]
    assert _comparable(imported) == _comparable(import_ucdp(with_header, dataset="x"))
    assert imported.seed.events[0].id == f"ucdp-ged-{rows[0][header.index('id')]}"


def test_ucdp_zip_as_downloaded_is_read_as_the_csv_in_it(tmp_path: Path) -> None:
    header, rows = ucdp_records(300)
    csv_file = write_csv(tmp_path / "GEDEvent_v24_1.csv", GED_49, relayout(header, rows, GED_49))
    archive = tmp_path / "ged241-csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.write(csv_file, csv_file.name)
    read: list[int] = []
    imported = import_ucdp(archive, on_bytes=read.append)
    assert imported.seed.dataset_info.name == "ucdp-ged-24.1"
    assert _comparable(imported) == _comparable(import_ucdp(csv_file))
    # progress is counted in the archive's bytes, so a bar over its size ends at its end
    assert abs(read[-1] - archive.stat().st_size) < 0.05 * archive.stat().st_size


def test_ucdp_zip_without_one_csv_in_it_is_an_error(tmp_path: Path) -> None:
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("a.csv", "id\n1\n")
        writer.writestr("b.csv", "id\n2\n")
    [error] = import_ucdp(archive).problems.errors
    assert str(error) == (
        f"{archive}:1: unreadable CSV: the zip archive holds 2 CSV files among 2 (a.csv, b.csv): "
        "unzip the one to import"
    )
