"""What can be listed and how: per record kind, its table, sort fields and relations.

A `Listing` says how to page through one kind of row (sort fields offered to `orderBy`, the
primary-key tiebreaker always appended). A `Relation` says how rows hang off a parent record —
directly by a foreign key (an event's figures) or through a link table (the statements about
an event) — so one statement can load the rows of many parents at once; `reverse` makes the
first kind from a listing and its foreign key column, `linked` the second from a path of the
relation catalogue (`schema.relations`), where each link table is declared once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, String, Table, func, literal, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from gql.data.cursors import Ordering, SortKey, ValueKind
from gql.errors import PublicError
from schema.core import (
    ACTOR,
    DATASET,
    EVENT,
    EVENT_LINK,
    EVENT_LOCATION,
    FIGURE,
    PARTICIPATION,
    SOURCE,
    STATEMENT,
)
from schema.figure_best import best_sort_key
from schema.relations import Path, back_through, through
from schema.search import relevance
from schema.search_query import parse_search


@dataclass(frozen=True)
class Sort:
    """A sort field: a non-null SQL expression, the kind of its values (for cursors) and, for
    the fields `orderBy` offers, its description (`gql.types.ordering` makes the enums)."""

    expression: ColumnElement[Any]
    kind: ValueKind
    description: str = ""
    #: Sorted by how well each record matches the connection's `search` (`expression` unused).
    relevance: bool = False


@dataclass(frozen=True)
class Listing:
    """How to page through one kind of row."""

    name: str
    table: Table
    keys: tuple[ColumnElement[Any], ...]
    #: The sort fields `orderBy` offers, in the order of its enum.
    orders: Mapping[str, Sort]
    default_order: tuple[tuple[str, bool], ...]
    filter_entity: str
    source: FromClause | None = None
    search_kind: str | None = None

    @property
    def from_clause(self) -> FromClause:
        """The table, or the join that sort fields need."""
        return self.source if self.source is not None else self.table

    def ordering(
        self, requested: Sequence[tuple[str, bool]] | None = None, search: str | None = None
    ) -> Ordering:
        """The sort keys for an `orderBy` (field, descending) list, tiebreakers appended.

        `search` is the connection's search text, which `RELEVANCE` sorts by; sorting by
        relevance without a search (or on a connection that takes none) is a `PublicError`.
        """
        keys: list[SortKey] = []
        seen: set[str] = set()
        for field, descending in requested or self.default_order:
            if field not in seen:
                seen.add(field)
                sort = self.orders[field]
                expression = self._relevance(search) if sort.relevance else sort.expression
                keys.append(SortKey(field, expression, sort.kind, descending))
        # Ties are broken by the primary key, ascending; after a descending field, an
        # integer key is sorted as its negation descending (the same order), so the whole
        # ordering runs one way and an index on (field, -id) serves its pages exactly.
        negated = bool(keys) and keys[-1].descending and len(self.keys) == 1
        for column in self.keys:
            key_kind: ValueKind = "str" if column.name in ("role", "kind") else "int"
            keys.append(
                SortKey(column.name, column, key_kind, negated=negated and key_kind == "int")
            )
        return tuple(keys)

    def _relevance(self, search: str | None) -> ColumnElement[Any]:
        query = parse_search(search) if search is not None else None
        if query is None or self.search_kind is None:
            raise PublicError(
                "`orderBy: RELEVANCE` sorts by how well records match the `search` argument: "
                "give a `search` with words to look for (only root connections take one), or "
                "sort by another field"
            )
        return relevance(self.table.c.id, query, self.search_kind)


def _relevance_sort(kind: str) -> Sort:
    return Sort(
        literal(0.0),
        "float",
        f"How well the {kind} matches `search`, best first (ascending); by bm25 on SQLite, "
        "`ts_rank` on PostgreSQL, so the two may order near-ties differently. Only with a "
        "`search` of at least one word: otherwise an error.",
        relevance=True,
    )


@dataclass(frozen=True)
class Relation:
    """Rows of `listing` that belong to a parent record, found by `parent`."""

    name: str
    listing: Listing
    parent: ColumnElement[Any]
    link: Table | None = None
    link_on: ColumnElement[bool] | None = None

    @property
    def source(self) -> FromClause:
        """The FROM clause: the listing's, joined with the link table if there is one."""
        base = self.listing.from_clause
        if self.link is None or self.link_on is None:
            return base
        return base.join(self.link, self.link_on)


def linked(name: str, listing: Listing, path: Path) -> Relation:
    """The rows of `listing` a parent reaches through a link table, along a path of the
    relation catalogue (`schema.relations.through` or `back_through`): its first hop finds the
    parent's rows of the link table, its second joins them to the listing's rows."""
    (_, parent), (near, far) = path.hops
    if far.table is not listing.table or not isinstance(parent.table, Table):
        raise ValueError(f"{name}: the path does not lead to {listing.table.name} through a table")
    return Relation(name, listing, parent, parent.table, near == far)


def reverse(listing: Listing, column: str) -> Relation:
    """The rows of `listing` whose foreign key `column` holds the parent's key (an event's
    figures: `reverse(FIGURES, "event_id")`), named after the listing and the column.

    The name keys the request's loaders, so two relations share one exactly when they find the
    same rows.
    """
    foreign_key = listing.table.c.get(column)
    if foreign_key is None or not foreign_key.foreign_keys:
        raise ValueError(f"{listing.table.name}.{column} is not a foreign key column")
    return Relation(f"{listing.name}.{column}", listing, foreign_key)


# The stand-ins for a missing value are written into the SQL, not bound: an index on the
# sort expression (`schema.tables`) is used only for the very same expression, and a bound
# parameter is another one (always on SQLite, in generic plans on PostgreSQL).
_NO_DATE = literal_column(f"'{dt.date(1, 1, 1).isoformat()}'", Date)
_NO_TEXT = literal_column("''", String)


def _text(column: ColumnElement[Any], description: str) -> Sort:
    """An optional text column, sorted with records without one first."""
    return Sort(func.coalesce(column, _NO_TEXT), "str", description)


DATASETS = Listing(
    name="dataset",
    table=DATASET,
    keys=(DATASET.c.id,),
    orders={"NAME": Sort(DATASET.c.name, "str")},
    default_order=(("NAME", False),),
    filter_entity="dataset",
)
EVENTS = Listing(
    name="event",
    table=EVENT,
    keys=(EVENT.c.id,),
    orders={
        "DATE": Sort(EVENT.c.start_date, "date", "The first possible day."),
        "END_DATE": Sort(EVENT.c.end_date, "date", "The last possible day."),
        "TITLE": Sort(EVENT.c.title, "str", "The title."),
        "TYPE": Sort(EVENT.c.type, "str", "The event type (by its stored value)."),
        "SUB_TYPE": Sort(EVENT.c.sub_type, "str", "The sub-type (by stored value)."),
        "COUNTRY": _text(EVENT.c.country_code, "The country code; events without one first."),
        "ADMIN1": _text(EVENT.c.admin1, "The region; events without one first."),
        "PLACE": _text(EVENT.c.place, "The place; events without one first."),
        "SLUG": Sort(EVENT.c.slug, "str", "The slug."),
        "RELEVANCE": _relevance_sort("event"),
    },
    default_order=(("DATE", False),),
    filter_entity="event",
    search_kind="event",
)
ACTORS = Listing(
    name="actor",
    table=ACTOR,
    keys=(ACTOR.c.id,),
    orders={
        "NAME": Sort(ACTOR.c.name, "str", "The name."),
        "KIND": Sort(ACTOR.c.kind, "str", "The kind (by stored value)."),
        "COUNTRY": _text(ACTOR.c.country_code, "The country code; actors without one first."),
        "SLUG": Sort(ACTOR.c.slug, "str", "The slug."),
        "RELEVANCE": _relevance_sort("actor"),
    },
    default_order=(("NAME", False),),
    filter_entity="actor",
    search_kind="actor",
)
STATEMENTS = Listing(
    name="statement",
    table=STATEMENT,
    keys=(STATEMENT.c.id,),
    orders={
        "DATE": Sort(
            func.coalesce(STATEMENT.c.start_date, _NO_DATE, type_=Date),
            "date",
            "The first possible day it was said; undated statements first.",
        ),
        "KIND": Sort(STATEMENT.c.kind, "str", "The kind (by stored value)."),
        "SLUG": Sort(STATEMENT.c.slug, "str", "The slug."),
        "RELEVANCE": _relevance_sort("statement"),
    },
    default_order=(("DATE", False),),
    filter_entity="statement",
    search_kind="statement",
)
FIGURES = Listing(
    name="figure",
    table=FIGURE,
    keys=(FIGURE.c.id,),
    orders={
        "AS_OF": Sort(
            func.coalesce(FIGURE.c.as_of_start, _NO_DATE, type_=Date),
            "date",
            "The first day the figure is as of; figures without one first.",
        ),
        "BEST": Sort(
            best_sort_key(FIGURE),
            "int",
            "The best number (`Figure.best`); figures without one first.",
        ),
        "KIND": Sort(FIGURE.c.kind, "str", "What is counted (by stored value)."),
        "SLUG": Sort(FIGURE.c.slug, "str", "The slug."),
        "RELEVANCE": _relevance_sort("figure"),
    },
    default_order=(("AS_OF", False),),
    filter_entity="figure",
    search_kind="figure",
)
SOURCES = Listing(
    name="source",
    table=SOURCE,
    keys=(SOURCE.c.id,),
    orders={
        "PUBLISHED": Sort(
            func.coalesce(SOURCE.c.published_start, _NO_DATE, type_=Date),
            "date",
            "The first possible publication day; undated sources first.",
        ),
        "HEADLINE": Sort(SOURCE.c.headline, "str", "The headline."),
        "SLUG": Sort(SOURCE.c.slug, "str", "The slug."),
        "RELEVANCE": _relevance_sort("source"),
    },
    default_order=(("PUBLISHED", False),),
    filter_entity="source",
    search_kind="source",
)
#: An actor's parts in events, in the order of the events.
PARTICIPATIONS = Listing(
    name="participation",
    table=PARTICIPATION,
    source=PARTICIPATION.join(EVENT, EVENT.c.id == PARTICIPATION.c.event_id),
    keys=(PARTICIPATION.c.event_id, PARTICIPATION.c.actor_id, PARTICIPATION.c.role),
    orders={"EVENT_DATE": Sort(EVENT.c.start_date, "date")},
    default_order=(("EVENT_DATE", False),),
    filter_entity="participation",
)
#: An event's participants, by actor name.
PARTICIPANTS = Listing(
    name="participant",
    table=PARTICIPATION,
    source=PARTICIPATION.join(ACTOR, ACTOR.c.id == PARTICIPATION.c.actor_id),
    keys=(PARTICIPATION.c.event_id, PARTICIPATION.c.actor_id, PARTICIPATION.c.role),
    orders={"ACTOR_NAME": Sort(ACTOR.c.name, "str")},
    default_order=(("ACTOR_NAME", False),),
    filter_entity="participation",
)
#: Links between events, in the order of the linking event.
EVENT_LINKS = Listing(
    name="eventLink",
    table=EVENT_LINK,
    source=EVENT_LINK.join(EVENT, EVENT.c.id == EVENT_LINK.c.event_id),
    keys=(EVENT_LINK.c.event_id, EVENT_LINK.c.target_id, EVENT_LINK.c.kind),
    orders={"EVENT_DATE": Sort(EVENT.c.start_date, "date")},
    default_order=(("EVENT_DATE", False),),
    filter_entity="eventLink",
)
#: An event's further locations, in the source's order.
OTHER_LOCATIONS = Listing(
    name="otherLocation",
    table=EVENT_LOCATION,
    keys=(EVENT_LOCATION.c.event_id, EVENT_LOCATION.c.position),
    orders={"POSITION": Sort(EVENT_LOCATION.c.position, "int")},
    default_order=(("POSITION", False),),
    filter_entity="location",
)
#: Links from an event, in the order of their target events.
EVENT_LINKS_OUT = Listing(
    name="eventLinkOut",
    table=EVENT_LINK,
    keys=(EVENT_LINK.c.event_id, EVENT_LINK.c.target_id, EVENT_LINK.c.kind),
    orders={"KIND": Sort(EVENT_LINK.c.kind, "str")},
    default_order=(("KIND", False),),
    filter_entity="eventLink",
)

# Relations, by (parent kind)_(field): by a foreign key (`reverse`), or through a link table.
# A new reverse connection needs no constant here: `connection(reverse(EVENTS, "organiser_id"),
# ...)` in the parent's type is enough.
EVENT_FIGURES = reverse(FIGURES, "event_id")
EVENT_STATEMENTS = linked("event.statements", STATEMENTS, back_through("statement", "about_events"))
EVENT_PARTICIPANTS = reverse(PARTICIPANTS, "event_id")
EVENT_OTHER_LOCATIONS = reverse(OTHER_LOCATIONS, "event_id")
EVENT_LINKS_FROM = reverse(EVENT_LINKS_OUT, "event_id")
EVENT_LINKED_FROM = reverse(EVENT_LINKS, "target_id")
ACTOR_CHILDREN = reverse(ACTORS, "parent_id")
ACTOR_PARTICIPATIONS = reverse(PARTICIPATIONS, "actor_id")
ACTOR_STATEMENTS = reverse(STATEMENTS, "speaker_id")
ACTOR_STATEMENTS_ABOUT = linked(
    "actor.statementsAbout", STATEMENTS, back_through("statement", "about_actors")
)
ACTOR_REPORTED_FIGURES = reverse(FIGURES, "claimant_id")
ACTOR_COUNTED_IN = reverse(FIGURES, "counted_actor_id")
STATEMENT_ABOUT_EVENTS = linked(
    "statement.aboutEvents", EVENTS, through("statement", "about_events")
)
ACTOR_POSSIBLY_SAME_AS = linked(
    "actor.possiblySameAs", ACTORS, through("actor", "possibly_same_as")
)
STATEMENT_ABOUT_ACTORS = linked(
    "statement.aboutActors", ACTORS, through("statement", "about_actors")
)
STATEMENT_FIGURES = reverse(FIGURES, "statement_id")
FIGURE_PARTS = reverse(FIGURES, "part_of_id")
FIGURE_ESTIMATES = reverse(FIGURES, "estimate_of_id")
SOURCE_EVENTS = reverse(EVENTS, "source_id")
SOURCE_ACTORS = reverse(ACTORS, "source_id")
SOURCE_STATEMENTS = reverse(STATEMENTS, "source_id")
STATEMENT_SPEECH_ACT_PARTS = reverse(STATEMENTS, "speech_act_id")
STATEMENT_REPORTS = reverse(STATEMENTS, "reported_by_id")
SOURCE_FIGURES = reverse(FIGURES, "source_id")
DATASET_EVENTS = reverse(EVENTS, "dataset_id")
DATASET_SOURCES = reverse(SOURCES, "dataset_id")
