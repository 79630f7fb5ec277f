"""How a file's header cells become the column names an importer reads.

The same data comes under more than one header, or none. Names differ in case and spacing
(`Date Start`, `date_start`); releases rename columns (`best_est` in older UCDP files is `best`
in newer ones); and humanitarian data portals such as HDX add a row of HXL hashtags under the
header (`#date+start`, `#country+name`, `#affected+killed`: https://hxlstandard.org), which names
what a column holds whatever its header says. A `ColumnNames` says which names an importer
knows and the other names and hashtags it accepts for them; `name_columns` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

_SPACING = re.compile(r"[\s\-]+")
# An HXL hashtag with its attributes: `#affected+killed`, `#group +name +first`.
_HASHTAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$", re.I)


@dataclass(frozen=True)
class ColumnNames:
    """The columns an importer reads: those a header must name, every name it knows, and the
    other names (`aliases`) and HXL hashtags (`hashtags`, normalised) it reads them under."""

    required: Sequence[str]
    known: Collection[str] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    hashtags: Mapping[str, str] = field(default_factory=dict)
    #: Layouts a file may come in without a header row, told apart by their number of fields.
    headerless: Sequence[Sequence[str]] = ()

    def headerless_layout(self, cells: Sequence[str]) -> Sequence[str] | None:
        """The headerless layout a first row of `cells` fits, if any."""
        return next((layout for layout in self.headerless if len(layout) == len(cells)), None)


@dataclass(frozen=True)
class Renamed:
    """A column read under another name because of its HXL hashtag."""

    header: str
    hashtag: str
    column: str


def normalise(cell: str) -> str:
    """A header cell as a column name: lower case, runs of spaces and hyphens as one `_`."""
    return _SPACING.sub("_", cell.strip().lower()).strip("_")


def is_hashtag_row(cells: Sequence[str]) -> bool:
    """Whether `cells` is an HXL hashtag row: some cells, and every non-empty one, a hashtag."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(_HASHTAG.match(cell) for cell in filled)


def hashtag_key(tag: str) -> str:
    """An HXL hashtag in one spelling: lower case, no spaces, attributes sorted
    (`#Group +name +first` and `#group+first+name` are the same)."""
    name, *attributes = tag.replace(" ", "").lower().split("+")
    return "+".join([name, *sorted(attributes)])


def name_columns(
    header: Sequence[str], names: ColumnNames, hashtags: Sequence[str] | None = None
) -> tuple[list[str], list[Renamed]]:
    """The column names of `header` (with the hashtag row under it, if any) and the columns
    read under another name because of their hashtag.

    A known name or alias wins over a hashtag: a hashtag names a column only when its header is
    not one the importer knows and no other header names that column already.
    """
    columns = [names.aliases.get(name, name) for name in map(normalise, header)]
    renamed: list[Renamed] = []
    if hashtags is None:
        return columns, renamed
    taken = set(columns)
    for index, tag in enumerate(hashtags[: len(columns)]):
        if not tag.strip() or columns[index] in names.known:
            continue
        column = names.hashtags.get(hashtag_key(tag))
        if column is not None and column not in taken:
            renamed.append(Renamed(header[index].strip(), tag.strip(), column))
            taken.add(column)
            columns[index] = column
    return columns, renamed
