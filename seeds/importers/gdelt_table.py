"""Reading GDELT event files: headerless tab-separated rows, named by the codebook's columns.

GDELT publishes event files without a header. GDELT 2.0 rows have 61 fields; GDELT 1.0 daily
files have 58 (no `ADM2Code` for the three geographies), its historical backfiles 57 (no
`SOURCEURL` either). A file that does carry a header row (one naming `GLOBALEVENTID`, as re-exports
often do) is read by the header's names instead, in any order and with any extra columns.
Tab-separated files are read without quote handling (GDELT does not quote, and URLs contain
`"`); a comma-separated re-export is read as ordinary CSV.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator

from seeds.importers.reading import Problems, TableRow, physical_records

_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = (
    "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code Type1Code "
    "Type2Code Type3Code"
).split()

#: The 61 columns of a GDELT 2.0 event row (GDELT 2.0 Event Codebook).
COLUMNS_2_0: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{name}" for name in _ACTOR)
    + tuple(f"Actor2{name}" for name in _ACTOR)
    + tuple(
        (
            "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
            "NumMentions NumSources NumArticles AvgTone"
        ).split()
    )
    + tuple(f"{who}Geo_{name}" for who in ("Actor1", "Actor2", "Action") for name in _GEO)
    + ("DATEADDED", "SOURCEURL")
)
#: GDELT 1.0 daily files: no ADM2 codes.
COLUMNS_1_0 = tuple(name for name in COLUMNS_2_0 if not name.endswith("ADM2Code"))
#: GDELT 1.0 historical backfiles: no source URL either.
COLUMNS_1_0_BACKFILE = COLUMNS_1_0[:-1]

LAYOUTS = {
    len(COLUMNS_2_0): ("2.0", COLUMNS_2_0),
    len(COLUMNS_1_0): ("1.0", COLUMNS_1_0),
    len(COLUMNS_1_0_BACKFILE): ("1.0", COLUMNS_1_0_BACKFILE),
}
_CANONICAL = {name.lower(): name for name in COLUMNS_2_0}


def read_gdelt_rows(stream: io.TextIOWrapper, problems: Problems) -> Iterator[TableRow]:
    """The event rows of a GDELT file, cells by codebook column name (see the module docstring).

    Lines before the first event row that are neither a header nor an event (a title, a
    note) are skipped with a warning; after it, a row with the wrong number of fields is an
    error naming its line.
    """
    first = stream.readline()
    delimiter = "\t" if "\t" in first or "," not in first else ","
    lines = itertools.chain([first], stream)
    if delimiter == "\t":
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    layout: tuple[str, ...] | None = None
    for line, cells in physical_records(reader, lambda: reader.line_num, problems):
        if not any(cell.strip() for cell in cells):
            continue
        lead = cells[0].strip()
        if any(cell.strip().upper() == "GLOBALEVENTID" for cell in cells):
            names = [_CANONICAL.get(c.strip().lower(), c.strip()) for c in cells]
            if header is None and layout is None:
                header = names
            elif names != header:
                problems.error(line, None, "a second, different header row")
            continue
        if header is not None:
            if len(cells) != len(header):
                problems.error(
                    line, None, f"row has {len(cells)} fields, the header names {len(header)}"
                )
                continue
            yield TableRow(line, dict(zip(header, cells, strict=True)))
            continue
        names_for_row = _layout(cells)
        if names_for_row is None or not lead.isdigit():
            if layout is None:
                problems.warn(line, None, "skipped a line before the first event row")
            else:
                problems.error(line, None, _wrong_count(len(cells), len(layout)))
            continue
        if layout is None:
            layout = names_for_row
        elif len(names_for_row) != len(layout):
            problems.error(line, None, _wrong_count(len(cells), len(layout)))
            continue
        yield TableRow(line, dict(zip(names_for_row, cells, strict=True)))


def _layout(cells: list[str]) -> tuple[str, ...] | None:
    known = LAYOUTS.get(len(cells))
    if known is not None:
        return known[1]
    if len(cells) > len(COLUMNS_2_0):
        # Columns appended by a re-export are kept (in `codes`) under their position.
        extra = range(len(COLUMNS_2_0) + 1, len(cells) + 1)
        return COLUMNS_2_0 + tuple(f"column_{i}" for i in extra)
    return None


def _wrong_count(found: int, expected: int) -> str:
    return (
        f"row has {found} fields, the file's first event row has {expected} "
        "(GDELT event rows have 61 fields in 2.0, 58 in 1.0)"
    )
