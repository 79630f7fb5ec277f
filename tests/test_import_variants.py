"""Importers on real-world variants of the files: encodings, line ends, layouts, broken values.

Each variant is built in tmp_path from the real rows of tests/data (see tests/import_files.py).
These tests exercise the mapping only; loading is tested in test_import_command.py.
"""

from __future__ import annotations

from pathlib import Path

from schema.enums import FigureStatus
from schema.records import EventRecord
from seeds.importers import import_gdelt, import_ucdp
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


def _events(path: Path) -> dict[str, EventRecord]:
    imported = import_ucdp(path)
    assert imported.problems.errors == []
    return {event.id: event for event in imported.seed.events}


def test_ucdp_quoted_fields_with_line_breaks_stay_whole() -> None:
    event = next(e for e in ucdp_imported().seed.events if e.id == "ucdp-ged-209406")
    assert event.codes["source_original"] == (
        " Myanmar's Defense Ministry - statement\n Myawaddy TV\nMNDAA spokesperson Tun Myat Lin"
    )
    assert event.locator == "line 3"


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
    assert imported.seed.events[0].locator == "line 4"


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
    expected = gdelt_imported().seed.events[:50]
    assert [e.locator for e in imported.seed.events] == [f"line {i}" for i in range(2, 52)]
    unplaced = {"locator": None}
    assert [e.model_copy(update=unplaced) for e in imported.seed.events] == [
        e.model_copy(update=unplaced) for e in expected
    ]


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
    assert imported.seed.events[0].locator == "line 3"


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
