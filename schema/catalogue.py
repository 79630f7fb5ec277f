"""How each kind of seed record is stored: the one catalogue of fields, references and links.

For every record kind it says which table holds it, which fields are plain columns, which
fields name another record (a slug in the file, that record's key in the table), which date
spans and value objects are spread over several columns, and which lists are rows of a link
table. Plain columns and references are read off the record model: a field annotated
`Refers(kind)` (`ActorRef`, `EventRef`, ...) is a reference stored in `<field>_id`, any other
field a column of its own name unless renamed here (and each such column must exist: a model
field without one fails at import); spans, value objects and link lists are declared here.
Everything that moves records between files and tables is derived from it:

- `seeds.rows` builds a record's rows from it;
- `seeds.exporters.records` rebuilds the record from those rows;
- `seeds.references` checks every reference it lists (dangling, repeated, circular).

So a field of a record model (or declared here) is loaded, exported and checked with no
further code; a test (`tests/test_record_coverage.py`) fails when a field of a record model
is not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel

from schema import tables  # noqa: F401  (registers the tables whose columns are checked)
from schema.records import (
    ActorRecord,
    DatasetInfo,
    EventLinkRecord,
    EventRecord,
    FigureRecord,
    ParticipationRecord,
    Refers,
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
    """A `DateSpan` field spread over columns: start, last day, precision, note, and the
    source's words for the date with what they are relative to and the time of day."""

    field: str
    start: str
    end: str
    precision: str
    note: str
    expression: str
    relative_to: str
    time_of_day: str

    @property
    def columns(self) -> dict[str, str]:
        """The span's columns by `DateSpan` field."""
        return {
            "start": self.start,
            "end": self.end,
            "precision": self.precision,
            "note": self.note,
            "expression": self.expression,
            "relative_to": self.relative_to,
            "time_of_day": self.time_of_day,
        }


@dataclass(frozen=True)
class Embedded:
    """A value object (`Location`) stored in columns of its record's row.

    `columns` maps the object's fields to columns; the object is absent exactly when the
    column of its first field (a required one) is null.
    """

    field: str
    columns: Mapping[str, str]


@dataclass(frozen=True)
class ValueList:
    """A list of value objects (`Location`s), each a row of table `table` keyed by `owner` and
    its `position` in the list; `columns` maps the object's fields to columns as `Embedded`
    does. The items name no record: nothing to resolve or check but the values themselves."""

    field: str
    table: str
    owner: str
    position: str
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
    #: References an item makes besides its target (who claims it: `claimant`, `statement`),
    #: read off `model` like a record's: each `Refers` field, stored in `<field>_id`.
    references: tuple[Reference, ...] = ()
    #: A relation that holds both ways (A may be B, so B may be A): stored in both directions,
    #: whichever record lists it, and exported once, on the record whose slug sorts first.
    symmetric: bool = False


#: The texts a record is found by (see `RecordKind.search_text`).
SearchText = Callable[[Any, Any], tuple[str | None, ...]]


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
    values: tuple[ValueList, ...] = ()
    #: Whether the record carries `source`, `evidence` and `locator` (every kind but sources).
    provenance: bool = True
    #: The words full-text search finds the record by, from the record and the source it was
    #: read from (None for sources, and records without one).
    search_text: SearchText = lambda record, source: ()


def _text_code(codes: Mapping[str, Any], name: str) -> str | None:
    """An imported dataset's code that holds text, if the record has it."""
    value = codes.get(name)
    return value if isinstance(value, str) else None


#: The plain columns of a claimed link item (`schema.records.Claimed`); its claimant and
#: statement are references.
_CLAIM = ("basis", "reason")


def _item_references(model: type[BaseModel]) -> tuple[Reference, ...]:
    """The `Refers` fields of a link item's model, as references stored in `<field>_id`."""
    return tuple(
        Reference(name, f"{name}_id", kind)
        for name, info in model.model_fields.items()
        if (kind := _refers(info)) is not None
    )


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def _dates(name: str, prefix: str) -> Span:
    return Span(name, *(f"{prefix}{part}" for part in _SPAN_PARTS))


_SPAN_PARTS = ("start", "end", "precision", "note", "expression", "relative_to", "time_of_day")


_RECORD_DATE = Span(
    "date",
    "start_date",
    "end_date",
    *(f"date_{part}" for part in _SPAN_PARTS[2:]),
)
_PROVENANCE = ("source", "evidence", "locator")


def _refers(field: FieldInfo) -> str | None:
    """The kind a field names when it is annotated `Refers(kind)` (optional or not)."""
    metadata = list(field.metadata)
    for argument in (field.annotation, *get_args(field.annotation)):
        metadata.extend(getattr(argument, "__metadata__", ()))
    kinds = [item.kind for item in metadata if isinstance(item, Refers)]
    return kinds[0] if kinds else None


def _check_columns(model: type[BaseModel], table: str, columns: Iterable[str]) -> None:
    """Fail at import when a field's column is not in the table: never drop a field silently."""
    missing = sorted(set(columns) - set(SQLModel.metadata.tables[table].columns.keys()))
    if missing:
        raise TypeError(
            f"{model.__name__}: no column {', '.join(missing)} in table {table!r} "
            "(add it to schema/tables.py, or map the field in schema/catalogue.py)"
        )


def _kind(
    name: str,
    model: type[BaseModel],
    *,
    renames: Mapping[str, str] | None = None,
    spans: tuple[Span, ...] = (),
    embedded: tuple[Embedded, ...] = (),
    links: tuple[LinkList, ...] = (),
    values: tuple[ValueList, ...] = (),
    provenance: bool = True,
    search_text: SearchText = lambda record, source: (),
) -> RecordKind:
    """A kind stored in table `name`, its columns and references read off `model`.

    A field annotated `Refers(kind)` is a reference stored in `<field>_id`; every other field
    that is not the ID, provenance, a span, a value object or a link list is a column of the
    same name (or its name in `renames`). Each such column must exist in the table, so a model
    field without one fails at import instead of being dropped silently.
    """
    renames = renames or {}
    skip = {"id", *(_PROVENANCE if provenance else ())}
    skip |= {span.field for span in spans} | {value.field for value in embedded}
    skip |= {link.field for link in links} | {value.field for value in values}
    columns: dict[str, str] = {}
    references: list[Reference] = []
    for field, info in model.model_fields.items():
        if field in skip:
            continue
        kind = _refers(info)
        if kind is not None:
            references.append(Reference(field, f"{field}_id", kind))
        else:
            columns[field] = renames.get(field, field)
    _check_columns(model, name, [*columns.values(), *(ref.column for ref in references)])
    for value in values:
        _check_columns(model, value.table, [value.owner, value.position, *value.columns.values()])
    return RecordKind(
        name=name,
        table=name,
        model=model,
        columns=columns,
        references=tuple(references),
        spans=spans,
        embedded=embedded,
        links=links,
        values=values,
        provenance=provenance,
        search_text=search_text,
    )


SOURCE = _kind(
    "source",
    SourceRecord,
    spans=(_dates("published", "published_"),),
    provenance=False,
    search_text=lambda record, source: (record.headline, record.text),
)
ACTOR = _kind(
    "actor",
    ActorRecord,
    renames={"country": "country_code"},
    spans=(_dates("title_held", "title_held_"),),
    links=(
        LinkList(
            field="possibly_same_as",
            table="actorsameas",
            owner="actor_id",
            target=Reference("", "other_id", "actor"),
            key=("actor_id", "other_id"),
            order=("",),
            symmetric=True,
        ),
    ),
    # Not the evidence: it is the sentence the actor appears in, so every actor beside an event
    # would be found by the event's words.
    search_text=lambda record, source: (record.name, *record.aliases, record.title),
)
#: A `Location`'s fields by column (the same names in an event's row and in its further
#: locations' rows, but for the description, which an event's row names as the location's).
_LOCATION = {
    "country": "country_code",
    **_same("admin1", "admin2", "place", "latitude", "longitude"),
    "precision": "coordinate_precision",
    "geonames_id": "geonames_id",
    "description": "description",
}
EVENT = _kind(
    "event",
    EventRecord,
    spans=(_RECORD_DATE,),
    embedded=(Embedded("location", {**_LOCATION, "description": "location_description"}),),
    values=(ValueList("other_locations", "eventlocation", "event_id", "position", _LOCATION),),
    links=(
        LinkList(
            field="links",
            table="eventlink",
            owner="event_id",
            target=Reference("event", "target_id", "event"),
            key=("event_id", "target_id", "kind"),
            order=("kind", "event"),
            columns=_same("kind", "evidence", *_CLAIM),
            model=EventLinkRecord,
            references=_item_references(EventLinkRecord),
        ),
        LinkList(
            field="participants",
            table="participation",
            owner="event_id",
            target=Reference("actor", "actor_id", "actor"),
            key=("event_id", "actor_id", "role"),
            order=("actor", "role"),
            columns=_same("role", "note", "evidence", *_CLAIM),
            model=ParticipationRecord,
            references=_item_references(ParticipationRecord),
        ),
    ),
    # And the words the event was read from: its evidence sentence and, for an event coded from
    # an article known only by its headline (a UCDP import: the source has no text), that
    # headline. Not the headline of a report with a text: its events were read from sentences
    # of it, and its headline's words would find every one of them.
    search_text=lambda record, source: (
        record.title,
        record.description,
        *(place.place for place in (record.location, *record.other_locations) if place),
        record.evidence,
        source.headline if source is not None and not source.text else None,
        # UCDP cites several articles per event, of which the source is the first: the full
        # list ("Outlet,YYYY-MM-DD,Headline;...") is kept as the import's code.
        _text_code(record.codes, "source_article"),
    ),
)
STATEMENT = _kind(
    "statement",
    StatementRecord,
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
    search_text=lambda record, source: (record.text, record.attribution, record.evidence),
)
FIGURE = _kind(
    "figure",
    FigureRecord,
    spans=(_dates("as_of", "as_of_"),),
    # The source's words (raw, attribution, evidence), not the coder's note: a note on the 300
    # arrested that mentions the 5,100 must not make `search: "5,100"` find the 300.
    search_text=lambda record, source: (record.raw, record.attribution, record.evidence),
)

#: Every record kind, in the order rows are written (a record's references come first).
RECORD_KINDS: Mapping[str, RecordKind] = {
    kind.name: kind for kind in (SOURCE, ACTOR, EVENT, STATEMENT, FIGURE)
}

#: The dataset's own row: `DatasetInfo` fields stored as they are.
DATASET_COLUMNS = _same(*DatasetInfo.model_fields)
_check_columns(DatasetInfo, "dataset", DATASET_COLUMNS.values())
