"""Reading the delimited files big datasets publish, as they really come.

Real files are messier than their codebooks: a BOM, Windows line endings, quoted fields that
span lines (79 of them in UCDP GED 19.1), columns added, renamed or reordered between versions,
a title or licence line above the header, an HXL hashtag row below it, no header at all, a
header repeated where two files were concatenated, a zip archive as downloaded. This
module turns any of those into `TableRow`s — cells by column name, with the line each record
starts on — and collects every problem as an `Issue` that names the file, the line and the
column, so a whole file's errors are reported together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from seeds.importers.columns import ColumnNames, is_hashtag_row, name_columns
from seeds.issues import Issue

#: Called with the bytes read so far (for a progress bar).
BytesRead = Callable[[int], None]
#: Something to close along with a stream, or None.
Closable = zipfile.ZipFile | None

# Fields longer than csv's default limit (128 KiB) occur in free-text columns.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class TableRow:
    """One record of a table: its cells by column name, and the line it starts on (1-based)."""

    line: int
    cells: dict[str, str]
    #: The file's own header of each column read under another name (`Date Start` for
    #: `date_start`), so that messages name the column as the file does.
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Problems:
    """The issues found while reading and mapping one file; `warnings` do not stop an import."""

    path: str
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, line: int | None, column: str | None, message: str) -> None:
        """Record an error at `line`, in `column` (a column name) when known."""
        self.errors.append(_issue(self.path, line, column, message))

    def warn(self, line: int | None, column: str | None, message: str) -> None:
        """Record something the import handled but the user should know."""
        self.warnings.append(_issue(self.path, line, column, message))


def _issue(path: str, line: int | None, column: str | None, message: str) -> Issue:
    return Issue(path, line, None, None if column is None else f"column {column}", message)


class _CountingReader(io.RawIOBase):
    """A binary stream that reports how many bytes have been read from it."""

    def __init__(
        self,
        raw: BinaryIO | IO[bytes] | io.RawIOBase,
        on_bytes: BytesRead | None,
        owner: Closable = None,
    ) -> None:
        self._raw = raw
        self._done = 0
        self._on_bytes = on_bytes
        self._owner = owner  # what `raw` was opened from (a zip archive), closed with it

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
            if self._owner is not None:
                self._owner.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._done += len(data)
        if self._on_bytes is not None:
            self._on_bytes(self._done)
        return len(data)


def open_text(path: Path, on_bytes: BytesRead | None = None) -> io.TextIOWrapper:
    """`path` as text for the csv module: UTF-8 with or without a BOM, newlines untranslated.

    A zip archive holding one file, or one CSV file among others, is read as that file, as
    datasets are downloaded (UCDP's `ged241-csv.zip`, GDELT's `….export.CSV.zip`); `on_bytes`
    then counts the archive's bytes in proportion, so a progress bar over the archive's size
    ends at its end.
    """
    member = _zip_member(path)
    if member is None:
        raw = _CountingReader(path.open("rb"), on_bytes)
    elif isinstance(member, str):
        raw = _CountingReader(_Unreadable(member), None)
    else:
        archive, info = member
        ratio = info.compress_size / info.file_size if info.file_size else 1.0
        scaled = None if on_bytes is None else _scaled(on_bytes, ratio)
        raw = _CountingReader(archive.open(info), scaled, archive)
    return io.TextIOWrapper(
        io.BufferedReader(raw), encoding="utf-8-sig", errors="strict", newline=""
    )


def _zip_member(path: Path) -> tuple[zipfile.ZipFile, zipfile.ZipInfo] | str | None:
    """The archive and the one data file in it, when `path` is such a zip archive; what is
    wrong, when it is a zip archive without one; None when it is not a zip archive."""
    if not zipfile.is_zipfile(path):
        return None
    archive = zipfile.ZipFile(path)
    files = [info for info in archive.infolist() if not info.is_dir()]
    csvs = [info for info in files if info.filename.lower().endswith(".csv")]
    chosen = files if len(files) == 1 else csvs
    if len(chosen) == 1:
        return archive, chosen[0]
    archive.close()
    names = ", ".join(info.filename for info in (csvs or files)[:5])
    return (
        f"the zip archive holds {len(csvs)} CSV files among {len(files)} ({names}): "
        "unzip the one to import"
    )


class _Unreadable(io.RawIOBase):
    """A stream whose first read fails with `message`, as a CSV error (reported with line 1)."""

    def __init__(self, message: str) -> None:
        self._message = message

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        raise csv.Error(self._message)


def _scaled(on_bytes: BytesRead, ratio: float) -> BytesRead:
    return lambda done: on_bytes(round(done * ratio))


def physical_records(
    reader: Iterator[list[str]], line_of: Callable[[], int], problems: Problems
) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) for each record of a csv reader; a broken file ends with an error."""
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.error(start, None, f"unreadable CSV: {error}")
            return
        except UnicodeDecodeError as error:
            problems.error(None, None, f"not UTF-8 text ({error.reason} at byte {error.start})")
            return
        yield start, cells
        start = line_of() + 1


def read_with_header(
    stream: io.TextIOWrapper,
    *,
    delimiter: str,
    required: Sequence[str] | ColumnNames,
    problems: Problems,
) -> Iterator[TableRow]:
    """Rows of a table whose header names its columns (in any order, with any extras).

    Lines above the header (titles, licence notes) are skipped with a warning; the header is
    the first row naming every required column (case, spacing, and the aliases and HXL
    hashtags of `required` when it is a `ColumnNames`, taken into account). A file without
    a header row is read in a headerless layout of `required` when its first row has that
    layout's number of fields (with a warning saying so). An HXL hashtag row
    is skipped wherever it is: the one under the header names the columns whose header is not
    known (a warning says which). A repeated header is skipped; blank rows are skipped; a row
    with another number of cells than the header is an error.
    """
    names = required if isinstance(required, ColumnNames) else ColumnNames(required)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    records = physical_records(reader, lambda: reader.line_num, problems)
    wanted = set(names.required)
    header: list[str] | None = None
    header_cells: list[str] = []
    header_line = 0
    tags: list[str] | None = None
    checked = False
    headers: dict[str, str] = {}
    # The row above a hashtag row may be a header whose required columns only the hashtags
    # name, so a row that is not (yet) a header waits one row before it is warned about.
    pending: tuple[int, list[str]] | None = None
    for line, cells in records:
        if header is None:
            if pending is not None and is_hashtag_row(cells):
                columns, _ = name_columns(pending[1], names, cells)
                if wanted <= set(columns):
                    header_line, header_cells = pending
                    header, tags, pending = columns, cells, None
                    continue
            if pending is not None:
                problems.warn(pending[0], None, "skipped a line above the header row")
                pending = None
            columns, _ = name_columns(cells, names)
            layout = names.headerless_layout(cells)
            if wanted <= set(columns):
                header, header_cells, header_line = columns, cells, line
                continue
            if layout is None:
                if any(cell.strip() for cell in cells) and not is_hashtag_row(cells):
                    pending = (line, cells)
                continue
            # A file published without its header row: this row is the first of the data.
            header = header_cells = list(layout)
            header_line, checked = line, True
            problems.warn(
                line,
                None,
                f"no header row: each row's {len(layout)} fields read as the columns "
                f"{', '.join(layout[:3])} … {layout[-1]}",
            )
        if not any(cell.strip() for cell in cells):
            continue
        if is_hashtag_row(cells):
            if tags is None and not checked:
                tags = cells  # the hashtag row under the header
                header, _ = name_columns(header_cells, names, tags)
            continue
        if not checked:
            _check_header(header_cells, header_line, names, tags, problems)
            checked = True
            headers = {
                column: cell.strip()
                for column, cell in zip(header, header_cells, strict=True)
                if column != cell.strip()
            }
        if len(cells) == len(header) and name_columns(cells, names, tags)[0] == header:
            continue  # a repeated header
        if len(cells) != len(header):
            problems.error(
                line, None, f"row has {len(cells)} fields, the header names {len(header)}"
            )
            continue
        yield TableRow(line, dict(zip(header, cells, strict=True)), headers)
    if pending is not None:
        problems.warn(pending[0], None, "skipped a line above the header row")
    if header is None:
        if not problems.errors:
            problems.error(
                None, None, f"no header row naming the columns {', '.join(sorted(wanted))}"
            )
    elif not checked:
        _check_header(header_cells, header_line, names, tags, problems)


def _check_header(
    cells: list[str],
    line: int,
    names: ColumnNames,
    tags: list[str] | None,
    problems: Problems,
) -> None:
    header, renamed = name_columns(cells, names, tags)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.error(line, name, "the header names this column twice")
        seen.add(name)
    for column in renamed:
        problems.warn(
            line,
            column.header,
            f"read as {column.column}, the column its HXL hashtag {column.hashtag} names",
        )


class Cells:
    """Typed access to one row's cells; a bad value becomes an error naming line and column."""

    def __init__(
        self, row: TableRow, problems: Problems, *, missing: frozenset[str] = frozenset()
    ) -> None:
        self.row = row
        self.line = row.line
        self._problems = problems
        # Cells that mean "no value" in this file family besides an empty one (R writes NA).
        self._missing = missing

    def error(self, column: str | None, message: str) -> None:
        """Record an error about this row, naming the column as the file's header does."""
        self._problems.error(self.line, self._label(column), message)

    def warn(self, column: str | None, message: str) -> None:
        """Record a warning about this row."""
        self._problems.warn(self.line, self._label(column), message)

    def _label(self, column: str | None) -> str | None:
        header = None if column is None else self.row.headers.get(column)
        return column if header is None else f"{header} (read as {column})"

    def text(self, column: str) -> str | None:
        """The cell with surrounding space removed; None when empty or absent."""
        value = self.row.cells.get(column)
        if value is None:
            return None
        value = value.strip()
        return value if value and value not in self._missing else None

    def raw(self, column: str) -> str | None:
        """The cell exactly as written (None when absent or empty)."""
        value = self.row.cells.get(column)
        return value if value and value.strip() not in self._missing else None

    def integer(self, column: str, *, required: bool = False) -> int | None:
        """The cell as a whole number ("12", "12.0"); None when empty."""
        value = self._value(column, required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            pass
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if number.is_integer():
            return int(number)
        self.error(column, f"expected a whole number, got {value!r}")
        return None

    def number(
        self, column: str, *, low: float | None = None, high: float | None = None
    ) -> float | None:
        """The cell as a decimal number within [low, high]; None when empty."""
        value = self._value(column, False)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.error(column, f"expected a number, got {value!r}")
            return None
        if (
            number != number
            or (low is not None and number < low)
            or (high is not None and number > high)
        ):
            self.error(column, f"{value} is outside {low}..{high}")
            return None
        return number

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        """The cell as a date: YYYY-MM-DD (a time part is ignored) or YYYYMMDD."""
        value = self._value(column, required)
        if value is None:
            return None
        return self.parse_date(column, value)

    def parse_date(self, column: str, value: str) -> dt.date | None:
        """`value` read as a date, or None with an error naming `column`."""
        text = value.strip()
        try:
            if len(text) == 8 and text.isdigit():
                return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            self.error(column, f"expected a date (YYYY-MM-DD or YYYYMMDD), got {value!r}")
            return None

    def _value(self, column: str, required: bool) -> str | None:
        value = self.text(column)
        if value is None and required:
            self.error(column, "required value is missing")
        return value
