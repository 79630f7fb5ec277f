"""SQLModel tables: where validated records are stored.

Primary keys are derived from (dataset, kind, slug) by `schema.ids.record_id`, so a reseed
of the same files gives the same rows with the same keys, and clients' cached IDs stay
valid. Enum columns hold the lower-case enum values as plain strings, so adding an enum
value never needs a database migration. Every record row carries its provenance: the
source it came from and the evidence span (text plus character offsets in the source).
"""

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    literal_column,
)
from sqlmodel import Field, Relationship, SQLModel

from schema.figure_best import best_sort_key

#: On SQLite a key must be declared INTEGER to be the table's rowid: a BIGINT key is a second
#: index beside the rowid, so every lookup by ID read two b-trees and no other index carried the
#: ID for free. The loader assigns IDs either way (no autoincrement).
_ID = BigInteger().with_variant(Integer(), "sqlite")


def _pk() -> Any:
    return Field(sa_column=Column(_ID, primary_key=True, autoincrement=False))


class Dataset(SQLModel, table=True):
    """A named set of records, replaced as a whole by `seed` or `import`."""

    id: int = _pk()
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    title: str | None = None
    description: str | None = Field(default=None, sa_column=Column(Text))
    licence: str | None = Field(default=None, sa_column=Column(Text))
    citation: str | None = Field(default=None, sa_column=Column(Text))
    url: str | None = None
    content_hash: str = Field(
        sa_column=Column(String(64), nullable=False),
        description="Hash of the dataset's records; changes exactly when its data changes.",
    )

    sources: list["Source"] = Relationship(back_populates="dataset")
    events: list["Event"] = Relationship(back_populates="dataset")


class Provenanced(SQLModel):
    """Columns shared by every record: dataset, slug, source and evidence span."""

    dataset_id: int = Field(
        sa_column_kwargs={"nullable": False},
        foreign_key="dataset.id",
        ondelete="CASCADE",
        sa_type=BigInteger,
        index=True,
    )
    slug: str = Field(max_length=200, index=True)
    source_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    evidence: str | None = Field(default=None, sa_type=Text)
    evidence_start: int | None = None
    evidence_end: int | None = None
    locator: str | None = None


class Source(SQLModel, table=True):
    """A report or dataset row that records were read from."""

    id: int = _pk()
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    slug: str = Field(max_length=200, index=True)
    headline: str = Field(sa_type=Text)
    outlet: str | None = None
    published_start: dt.date | None = None
    published_end: dt.date | None = None
    published_precision: str | None = Field(default=None, max_length=20)
    published_note: str | None = Field(default=None, sa_type=Text)
    published_expression: str | None = Field(default=None, sa_type=Text)
    published_relative_to: str | None = Field(default=None, max_length=20)
    published_time_of_day: str | None = Field(default=None, max_length=20)
    url: str | None = Field(default=None, sa_type=Text)
    language: str = Field(default="en", max_length=35)
    text: str | None = Field(default=None, sa_type=Text)
    licence: str | None = Field(default=None, sa_type=Text)
    external_id: str | None = Field(default=None, index=True)

    dataset: Optional["Dataset"] = Relationship(back_populates="sources")


class Actor(Provenanced, table=True):
    """A person, body, force, organisation, group or crowd."""

    id: int = _pk()
    name: str = Field(sa_type=Text)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = Field(max_length=40, index=True)
    country_code: str | None = Field(default=None, max_length=2, index=True)
    parent_id: int | None = Field(
        default=None, foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    title: str | None = Field(default=None, sa_type=Text)
    title_held_start: dt.date | None = Field(default=None)
    title_held_end: dt.date | None = Field(default=None)
    title_held_precision: str | None = Field(default=None, max_length=20)
    title_held_note: str | None = Field(default=None, sa_type=Text)
    title_held_expression: str | None = Field(default=None, sa_type=Text)
    title_held_relative_to: str | None = Field(default=None, max_length=20)
    title_held_time_of_day: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None, sa_type=Text)
    external_id: str | None = Field(default=None, index=True)
    codes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

    participations: list["Participation"] = Relationship(back_populates="actor")


class Event(Provenanced, table=True):
    """Something that happened, where and when."""

    __table_args__ = (
        # Pages by date (a keyset range on (start_date, id)), and — with the columns after
        # them — counts, timelines and groups of events in a date range read this index
        # alone, not every event's wide row.
        Index(
            "ix_event_date_id",
            "start_date",
            "id",
            "end_date",
            "date_precision",
            "umbrella",
            "type",
            "sub_type",
            "country_code",
            "admin1",
        ),
        # "Events of a type by date" (the commonest list) reads its page straight off this;
        # a timeline of one type reads nothing else.
        Index(
            "ix_event_type_date_id",
            "type",
            "start_date",
            "id",
            "end_date",
            "date_precision",
            "umbrella",
        ),
        # Counts by type and sub-type (umbrellas left out) read this index alone, not every
        # event's row: 100,000 events on SQLite, 0.5 s → a few ms.
        Index("ix_event_umbrella_type", "umbrella", "type", "sub_type"),
        # Events in a few places over a period, counted: read off this index alone (the
        # ordering indexes are on `coalesce(place, '')`, which `place IN (...)` cannot use).
        Index("ix_event_place_date", "place", "start_date", "end_date"),
        # A region's dashboard (its events since a date, counted by type or by country, its
        # responders) and events grouped by region and period read this index alone (SQLite
        # walks it for a grouping by region: without the date columns, it read each event's
        # row, 100 → 390 ms). PostgreSQL also keeps the key in it (SQLite's entries hold the
        # rowid anyway): joining a region's events to their participants read 3,800 pages of
        # rows for their keys alone at 100,000 events.
        Index(
            "ix_event_admin1_date",
            "admin1",
            "start_date",
            "umbrella",
            "type",
            "country_code",
            "end_date",
            "date_precision",
            postgresql_include=["id"],
        ),
    )

    id: int = _pk()
    title: str = Field(sa_type=Text)
    type: str = Field(max_length=40, index=True)
    sub_type: str = Field(max_length=60, index=True)
    start_date: dt.date = Field(index=True)
    end_date: dt.date = Field(index=True)
    date_precision: str = Field(max_length=20)
    date_note: str | None = Field(default=None, sa_type=Text)
    date_expression: str | None = Field(default=None, sa_type=Text)
    date_relative_to: str | None = Field(default=None, max_length=20)
    date_time_of_day: str | None = Field(default=None, max_length=20)
    country_code: str | None = Field(default=None, max_length=2, index=True)
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    coordinate_precision: str | None = Field(default=None, max_length=20)
    geonames_id: int | None = None
    location_description: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    umbrella: bool = Field(default=False)
    external_id: str | None = Field(default=None, index=True)
    codes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

    dataset: Optional["Dataset"] = Relationship(back_populates="events")
    participations: list["Participation"] = Relationship(back_populates="event")


class EventLocation(SQLModel, table=True):
    """One of an event's further locations (`other_locations`), at `position` in its list."""

    event_id: int = Field(
        foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    position: int = Field(primary_key=True)
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    country_code: str = Field(max_length=2, index=True)
    country: str | None = None
    admin1: str | None = Field(default=None, index=True)
    admin2: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    coordinate_precision: str | None = Field(default=None, max_length=20)
    geonames_id: int | None = None
    description: str | None = Field(default=None, sa_type=Text)


class EventLink(SQLModel, table=True):
    """A typed link: event `event_id` is part of / responds to / follows event `target_id`."""

    event_id: int = Field(
        foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    target_id: int = Field(
        foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True, index=True
    )
    kind: str = Field(max_length=20, primary_key=True)
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    evidence: str | None = Field(default=None, sa_type=Text)
    basis: str = Field(default="stated", max_length=20)
    reason: str | None = Field(default=None, sa_type=Text)
    claimant_id: int | None = Field(
        default=None, foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    statement_id: int | None = Field(
        default=None, foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )


class Participation(SQLModel, table=True):
    """An actor's role in an event (an explicit link table with its own columns)."""

    # "Events in which an actor of some kind took some role" reads the event IDs off the
    # first (it also serves lookups by actor alone); "events with (or without) an organiser"
    # and "the responders in a region" off the second, not each participation's row.
    __table_args__ = (
        Index("ix_participation_actor_role_event", "actor_id", "role", "event_id"),
        Index("ix_participation_role_event", "role", "event_id", "actor_id"),
    )

    event_id: int = Field(
        foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    actor_id: int = Field(
        foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    role: str = Field(max_length=20, primary_key=True)
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    note: str | None = Field(default=None, sa_type=Text)
    evidence: str | None = Field(default=None, sa_type=Text)
    basis: str = Field(default="stated", max_length=20)
    reason: str | None = Field(default=None, sa_type=Text)
    claimant_id: int | None = Field(
        default=None, foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    statement_id: int | None = Field(
        default=None, foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )

    event: Optional["Event"] = Relationship(back_populates="participations")
    actor: Optional["Actor"] = Relationship(back_populates="participations")


class Statement(Provenanced, table=True):
    """A speech act by an actor."""

    id: int = _pk()
    speaker_id: int = Field(
        foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    speaker_title: str | None = Field(default=None, sa_type=Text)
    start_date: dt.date | None = Field(default=None, index=True)
    end_date: dt.date | None = None
    date_precision: str | None = Field(default=None, max_length=20)
    date_note: str | None = Field(default=None, sa_type=Text)
    date_expression: str | None = Field(default=None, sa_type=Text)
    date_relative_to: str | None = Field(default=None, max_length=20)
    date_time_of_day: str | None = Field(default=None, max_length=20)
    kind: str = Field(max_length=30, index=True)
    mode: str = Field(max_length=20)
    text: str = Field(sa_type=Text)
    attribution: str | None = Field(default=None, sa_type=Text)
    attribution_covers: str | None = Field(default=None, sa_type=Text)
    speech_act_id: int | None = Field(
        default=None, foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    reported_by_id: int | None = Field(
        default=None, foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )


class StatementEvent(SQLModel, table=True):
    """A statement is about an event."""

    statement_id: int = Field(
        foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    event_id: int = Field(
        foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True, index=True
    )
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )


class ActorSameAs(SQLModel, table=True):
    """Two actors that may be one (stored both ways: `actor_id` may be `other_id`)."""

    actor_id: int = Field(
        foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    other_id: int = Field(
        foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True, index=True
    )
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )


class StatementActor(SQLModel, table=True):
    """A statement is about an actor."""

    statement_id: int = Field(
        foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True
    )
    actor_id: int = Field(
        foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, primary_key=True, index=True
    )
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )


class Figure(Provenanced, table=True):
    """A reported quantity as a claim: kind, number or bounds, qualifier, claimant."""

    id: int = _pk()
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    kind: str = Field(max_length=40, index=True)
    unit: str = Field(default="people", max_length=60)
    status: str = Field(max_length=20)
    value: int | None = Field(default=None, sa_type=BigInteger)
    lower: int | None = Field(default=None, sa_type=BigInteger)
    upper: int | None = Field(default=None, sa_type=BigInteger)
    qualifier: str = Field(max_length=20)
    raw: str | None = Field(default=None, sa_type=Text)
    as_of_start: dt.date | None = None
    as_of_end: dt.date | None = None
    as_of_precision: str | None = Field(default=None, max_length=20)
    as_of_note: str | None = Field(default=None, sa_type=Text)
    as_of_expression: str | None = Field(default=None, sa_type=Text)
    as_of_relative_to: str | None = Field(default=None, max_length=20)
    as_of_time_of_day: str | None = Field(default=None, max_length=20)
    claimant_id: int | None = Field(
        default=None, foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    statement_id: int | None = Field(
        default=None, foreign_key="statement.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    attribution: str | None = Field(default=None, sa_type=Text)
    part_of_id: int | None = Field(
        default=None, foreign_key="figure.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    part_of_basis: str = Field(default="stated", max_length=20)
    part_of_reason: str | None = Field(default=None, sa_type=Text)
    estimate_of_id: int | None = Field(
        default=None, foreign_key="figure.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    estimate_relation: str | None = Field(default=None, max_length=20)
    counted_actor_id: int | None = Field(
        default=None, foreign_key="actor.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    counted_group: str | None = None
    note: str | None = Field(default=None, sa_type=Text)


class SearchEntry(SQLModel, table=True):
    """One searchable text per record (title, description, quote, source text).

    The database-specific index over `body` (SQLite FTS5, PostgreSQL tsvector) is created by
    `schema.search`. On PostgreSQL the table is partitioned by `kind`, one partition per record
    kind (also created by `schema.search`): the planner then estimates a search over one kind
    from that kind's own statistics, where a shared table made it multiply the kind's share
    and the words' share as if they were independent. A partitioned table's key must hold the
    column it is partitioned by, hence `(id, kind)` (IDs alone are unique across kinds).
    """

    __table_args__ = {"postgresql_partition_by": "LIST (kind)"}

    id: int = _pk()  # the record's own ID
    dataset_id: int = Field(
        foreign_key="dataset.id", ondelete="CASCADE", sa_type=BigInteger, index=True
    )
    kind: str = Field(max_length=20, primary_key=True, index=True)
    body: str = Field(sa_type=Text)


# Keyset pages (`gql.data.cursors`): each sort field `orderBy` offers (`gql.data.listing`)
# has an index per direction, (field, id) for ASC and (field, -id) for DESC (ties go by the
# primary key ascending either way, which after a descending field the SQL writes as `-id`
# descending), so a page after or before a cursor is a range of an index read in order: a
# deep page costs what the first one does. Fields that may be missing are indexed as the
# very expression the listing sorts by (`coalesce(field, '')`), a figure's BEST too (the
# expression of `schema.figure_best`). Not indexed: a source's HEADLINE (long text; a
# PostgreSQL index entry holds about 2.7 kB at most).
def _sort_indexes(table: Table, sorts: dict[str, Any]) -> None:
    for name, field in sorts.items():
        if name != "date" or table.name != "event":  # (start_date, id): ix_event_date_id
            Index(f"ix_{table.name}_by_{name}", field, table.c.id)
        Index(f"ix_{table.name}_by_{name}_desc", field, -table.c.id)


def _or_empty(column: Any) -> Any:
    return func.coalesce(column, literal_column("''"))


def _or_day_one(column: Any) -> Any:
    return func.coalesce(column, literal_column("'0001-01-01'"))


_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_ACTOR: Table = Actor.__table__  # type: ignore[attr-defined]
_STATEMENT: Table = Statement.__table__  # type: ignore[attr-defined]
_FIGURE: Table = Figure.__table__  # type: ignore[attr-defined]
_SOURCE: Table = Source.__table__  # type: ignore[attr-defined]
_sort_indexes(
    _EVENT,
    {
        "date": _EVENT.c.start_date,
        "end_date": _EVENT.c.end_date,
        "title": _EVENT.c.title,
        "type": _EVENT.c.type,
        "sub_type": _EVENT.c.sub_type,
        "country": _or_empty(_EVENT.c.country_code),
        "admin1": _or_empty(_EVENT.c.admin1),
        "place": _or_empty(_EVENT.c.place),
        "slug": _EVENT.c.slug,
    },
)
_sort_indexes(
    _ACTOR,
    {
        "name": _ACTOR.c.name,
        "kind": _ACTOR.c.kind,
        "country": _or_empty(_ACTOR.c.country_code),
        "slug": _ACTOR.c.slug,
    },
)
_sort_indexes(
    _STATEMENT,
    {
        "date": _or_day_one(_STATEMENT.c.start_date),
        "kind": _STATEMENT.c.kind,
        "slug": _STATEMENT.c.slug,
    },
)
_sort_indexes(
    _FIGURE,
    {
        "as_of": _or_day_one(_FIGURE.c.as_of_start),
        "kind": _FIGURE.c.kind,
        "slug": _FIGURE.c.slug,
        "best": best_sort_key(_FIGURE),
    },
)
_sort_indexes(
    _SOURCE, {"published": _or_day_one(_SOURCE.c.published_start), "slug": _SOURCE.c.slug}
)
# A dataset's events by date (`Dataset.events`, and events filtered by dataset).
Index("ix_event_dataset_date_id", _EVENT.c.dataset_id, _EVENT.c.start_date, _EVENT.c.id)
# Actors of one kind in their default order, by name (the most common actor list: a
# dashboard's security forces, the explorer's state bodies); by name alone, a list of one
# kind read the names of every other kind first (66,666 of them at 1,000,000 events).
Index("ix_actor_kind_name_id", _ACTOR.c.kind, _ACTOR.c.name, _ACTOR.c.id)


__all__ = [
    "Actor",
    "Dataset",
    "Event",
    "EventLink",
    "Figure",
    "Participation",
    "SearchEntry",
    "Source",
    "Statement",
    "StatementActor",
    "StatementEvent",
]
