"""How each kind of seed record is stored: the one catalogue of fields, references and links.

For every record kind it says which table holds it, which fields are plain columns, which
fields name another record (a slug in the file, that record's key in the table), which date
spans and value objects are spread over several columns, and which lists are rows of a link
table. Everything that moves records between files and tables is derived from it:

- `seeds.rows` builds a record's rows from it;
- `seeds.exporters.records` rebuilds the record from those rows;
- `seeds.references` checks every reference it lists (dangling, repeated, circular).

So a field declared here is loaded, exported and checked with no further code; a test
(`tests/test_record_coverage.py`) fails when a field of a record model is not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from schema.records import (
    ActorRecord,
    EventLinkRecord,
    EventRecord,
    FigureRecord,
    ParticipationRecord,
    SourceRecord,
    StatementRecord,
)


@dataclass(frozen=True)
class Reference:
    """A field naming another record by slug, stored as that record's key in `column`.

    In a link list's items, `field` is the item's field; "" means the item is the slug itself.
    """

    field: str
    column: str
    kind: str


@dataclass(frozen=True)
class Span:
    """A `DateSpan` field spread over four columns: start, last day, precision, note."""

    field: str
    start: str
    end: str
    precision: str
    note: str

    @property
    def columns(self) -> tuple[str, str, str, str]:
        """The four columns, in that order."""
        return (self.start, self.end, self.precision, self.note)


@dataclass(frozen=True)
class Embedded:
    """A value object (`Location`) stored in columns of its record's row.

    `columns` maps the object's fields to columns; the object is absent exactly when the
    column of its first field (a required one) is null.
    """

    field: str
    columns: Mapping[str, str]


@dataclass(frozen=True)
class LinkList:
    """A list field whose items are rows of a link table `table`, keyed by `owner`.

    Each item names one record (`target`) and may carry `columns` of its own (a role, a note);
    `key` is the table's primary key (no two items may share it), and `order` the item fields
    an export sorts by (the database keeps no order of its own).
    """

    field: str
    table: str
    owner: str
    target: Reference
    key: tuple[str, ...]
    order: tuple[str, ...]
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)
    model: type[BaseModel] | None = None


@dataclass(frozen=True)
class RecordKind:
    """One kind of seed record and how it is stored."""

    name: str
    table: str
    model: type[BaseModel]
    #: Fields stored as they are (an enum as its value), by field: column.
    columns: Mapping[str, str]
    references: tuple[Reference, ...] = ()
    spans: tuple[Span, ...] = ()
    embedded: tuple[Embedded, ...] = ()
    links: tuple[LinkList, ...] = ()
    #: Whether the record carries `source`, `evidence` and `locator` (every kind but sources).
    provenance: bool = True
    #: The words full-text search finds the record by.
    search_text: Callable[[Any], tuple[str | None, ...]] = lambda record: ()


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def _dates(name: str, prefix: str) -> Span:
    return Span(name, f"{prefix}start", f"{prefix}end", f"{prefix}precision", f"{prefix}note")


_RECORD_DATE = Span("date", "start_date", "end_date", "date_precision", "date_note")

SOURCE = RecordKind(
    name="source",
    table="source",
    model=SourceRecord,
    columns=_same("headline", "outlet", "url", "language", "text", "licence", "external_id"),
    spans=(_dates("published", "published_"),),
    provenance=False,
    search_text=lambda record: (record.headline, record.text),
)
ACTOR = RecordKind(
    name="actor",
    table="actor",
    model=ActorRecord,
    columns={
        **_same("name", "aliases", "kind"),
        "country": "country_code",
        **_same("title", "description", "external_id", "codes"),
    },
    references=(Reference("parent", "parent_id", "actor"),),
    search_text=lambda record: (record.name, *record.aliases, record.title),
)
EVENT = RecordKind(
    name="event",
    table="event",
    model=EventRecord,
    columns=_same("title", "type", "sub_type", "description", "external_id", "codes"),
    spans=(_RECORD_DATE,),
    embedded=(
        Embedded(
            "location",
            {
                "country": "country_code",
                **_same("admin1", "admin2", "place", "latitude", "longitude"),
                "precision": "coordinate_precision",
                "geonames_id": "geonames_id",
            },
        ),
    ),
    links=(
        LinkList(
            field="links",
            table="eventlink",
            owner="event_id",
            target=Reference("event", "target_id", "event"),
            key=("event_id", "target_id", "kind"),
            order=("kind", "event"),
            columns=_same("kind", "evidence"),
            model=EventLinkRecord,
        ),
        LinkList(
            field="participants",
            table="participation",
            owner="event_id",
            target=Reference("actor", "actor_id", "actor"),
            key=("event_id", "actor_id", "role"),
            order=("actor", "role"),
            columns=_same("role", "note", "evidence"),
            model=ParticipationRecord,
        ),
    ),
    search_text=lambda record: (
        record.title,
        record.description,
        record.location.place if record.location else None,
    ),
)
STATEMENT = RecordKind(
    name="statement",
    table="statement",
    model=StatementRecord,
    columns=_same("speaker_title", "kind", "mode", "text", "attribution"),
    references=(Reference("speaker", "speaker_id", "actor"),),
    spans=(_RECORD_DATE,),
    links=(
        LinkList(
            field="about_events",
            table="statementevent",
            owner="statement_id",
            target=Reference("", "event_id", "event"),
            key=("statement_id", "event_id"),
            order=("",),
        ),
        LinkList(
            field="about_actors",
            table="statementactor",
            owner="statement_id",
            target=Reference("", "actor_id", "actor"),
            key=("statement_id", "actor_id"),
            order=("",),
        ),
    ),
    search_text=lambda record: (record.text, record.attribution),
)
FIGURE = RecordKind(
    name="figure",
    table="figure",
    model=FigureRecord,
    columns=_same(
        "kind",
        "unit",
        "status",
        "value",
        "lower",
        "upper",
        "qualifier",
        "raw",
        "attribution",
        "counted_group",
        "note",
    ),
    references=(
        Reference("event", "event_id", "event"),
        Reference("claimant", "claimant_id", "actor"),
        Reference("statement", "statement_id", "statement"),
        Reference("part_of", "part_of_id", "figure"),
        Reference("counted_actor", "counted_actor_id", "actor"),
    ),
    spans=(_dates("as_of", "as_of_"),),
    search_text=lambda record: (record.raw, record.note),
)

#: Every record kind, in the order rows are written (a record's references come first).
RECORD_KINDS: Mapping[str, RecordKind] = {
    kind.name: kind for kind in (SOURCE, ACTOR, EVENT, STATEMENT, FIGURE)
}

#: The dataset's own row: `DatasetInfo` fields stored as they are.
DATASET_COLUMNS = _same("name", "title", "description", "licence", "citation", "url")
