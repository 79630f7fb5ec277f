"""The `filter:` inputs of each record kind: the keys of `schema.filters`, documented.

All keys given in one object must hold; `and`, `or` and `not` combine whole filters. A relation
key (`actor`, `claimant`, `aboutEvent`, ...) holds when some related record matches its filter.
"""

from __future__ import annotations

from typing import Any

import strawberry

from gql.types.operator_inputs import (
    ActorKindFilter,
    CoordinatePrecisionFilter,
    DateFilter,
    DatePrecisionFilter,
    DateRangeFilter,
    EventLinkKindFilter,
    EventSubTypeFilter,
    EventTypeFilter,
    FigureKindFilter,
    FigureQualifierFilter,
    FigureStatusFilter,
    FloatFilter,
    IntFilter,
    ParticipationRoleFilter,
    StatementKindFilter,
    StatementModeFilter,
    StringFilter,
)


def _key(description: str) -> Any:
    return strawberry.field(default=None, description=description)


_AND = "All of these filters hold."
_OR = "At least one of these filters holds."
_NOT = "This filter does not hold."
_SLUG = "The record's slug (its ID in the seed file)."
_DATASET = "The name of the dataset the record belongs to."
_SOURCE = "The source the record was read from matches."


@strawberry.input(description="Which events to return. All given keys must hold.")
class EventFilter:
    """Event filter."""

    slug: StringFilter | None = _key(_SLUG)
    dataset: StringFilter | None = _key(_DATASET)
    source: SourceFilter | None = _key(_SOURCE)
    title: StringFilter | None = _key("The event's title.")
    description: StringFilter | None = _key("The event's description.")
    type: EventTypeFilter | None = _key("The event type.")
    sub_type: EventSubTypeFilter | None = _key("The event sub-type.")
    date: DateRangeFilter | None = _key(
        "When it happened, by overlap with the event's first–last day range: use "
        "`{greaterThanOrEqualTo: from, lessThanOrEqualTo: to}` for 'between from and to'."
    )
    start_date: DateFilter | None = _key("The first possible day, compared as a single date.")
    end_date: DateFilter | None = _key("The last possible day, compared as a single date.")
    date_precision: DatePrecisionFilter | None = _key("How precisely the date is known.")
    country_code: StringFilter | None = _key("ISO 3166-1 alpha-2 code of the country, e.g. KZ.")
    country: StringFilter | None = _key("The country's name.")
    admin1: StringFilter | None = _key("First-order division (region, or a city like Almaty).")
    admin2: StringFilter | None = _key("Second-order division (district).")
    place: StringFilter | None = _key("The named place (city, town, site).")
    latitude: FloatFilter | None = _key("Latitude in degrees.")
    longitude: FloatFilter | None = _key("Longitude in degrees.")
    coordinate_precision: CoordinatePrecisionFilter | None = _key("What the coordinates mean.")
    external_id: StringFilter | None = _key("The ID in an imported dataset.")
    actor: ActorFilter | None = _key("Some actor taking part in the event (any role) matches.")
    participant: ParticipationFilter | None = _key(
        "Some participation matches: an actor in a given role, e.g. "
        "`{role: {equalTo: PERPETRATOR}, actor: {...}}`."
    )
    figure: FigureFilter | None = _key("Some figure reported about the event matches.")
    statement: StatementFilter | None = _key("Some statement about the event matches.")
    link: EventLinkFilter | None = _key(
        "Some link from this event matches, e.g. `{kind: {equalTo: PART_OF}, target: {...}}`."
    )
    and_: list[EventFilter] | None = strawberry.field(name="and", default=None, description=_AND)
    or_: list[EventFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: EventFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which actors to return. All given keys must hold.")
class ActorFilter:
    """Actor filter."""

    slug: StringFilter | None = _key(_SLUG)
    dataset: StringFilter | None = _key(_DATASET)
    source: SourceFilter | None = _key(_SOURCE)
    name: StringFilter | None = _key("The actor's name (aliases are found by `search`).")
    kind: ActorKindFilter | None = _key("What sort of actor.")
    country_code: StringFilter | None = _key("ISO 3166-1 alpha-2 code of the actor's country.")
    title: StringFilter | None = _key("The role or title held when the actor appears.")
    description: StringFilter | None = _key("The actor's description.")
    external_id: StringFilter | None = _key("The ID in an imported dataset.")
    parent: ActorFilter | None = _key("The actor this one belongs to matches.")
    parent_exists: bool | None = _key("True: the actor belongs to another; false: it does not.")
    event: EventFilter | None = _key("Some event the actor took part in (any role) matches.")
    participation: ParticipationFilter | None = _key(
        "Some part the actor played matches, e.g. `{role: {equalTo: RESPONDER}}`."
    )
    and_: list[ActorFilter] | None = strawberry.field(name="and", default=None, description=_AND)
    or_: list[ActorFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: ActorFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which parts of actors in events to match.")
class ParticipationFilter:
    """Participation filter."""

    role: ParticipationRoleFilter | None = _key("The part the actor played.")
    note: StringFilter | None = _key("The note on the participation.")
    actor: ActorFilter | None = _key("The actor matches.")
    event: EventFilter | None = _key("The event matches.")
    and_: list[ParticipationFilter] | None = strawberry.field(
        name="and", default=None, description=_AND
    )
    or_: list[ParticipationFilter] | None = strawberry.field(
        name="or", default=None, description=_OR
    )
    not_: ParticipationFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which links between events to match.")
class EventLinkFilter:
    """Event link filter."""

    kind: EventLinkKindFilter | None = _key("How the events relate.")
    target: EventFilter | None = _key("The event linked to matches.")
    and_: list[EventLinkFilter] | None = strawberry.field(
        name="and", default=None, description=_AND
    )
    or_: list[EventLinkFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: EventLinkFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which statements to return. All given keys must hold.")
class StatementFilter:
    """Statement filter."""

    slug: StringFilter | None = _key(_SLUG)
    dataset: StringFilter | None = _key(_DATASET)
    source: SourceFilter | None = _key(_SOURCE)
    kind: StatementKindFilter | None = _key("What kind of speech act.")
    mode: StatementModeFilter | None = _key("Quote, partial quote or paraphrase.")
    text: StringFilter | None = _key("The quoted words or the paraphrase.")
    speaker_title: StringFilter | None = _key("The speaker's role at the time.")
    attribution: StringFilter | None = _key("The source's words of attribution.")
    date: DateRangeFilter | None = _key("When it was said, by overlap with its date range.")
    date_precision: DatePrecisionFilter | None = _key("How precisely the date is known.")
    speaker: ActorFilter | None = _key("The speaker matches.")
    about_event: EventFilter | None = _key("Some event the statement is about matches.")
    about_actor: ActorFilter | None = _key("Some actor the statement is about matches.")
    figure: FigureFilter | None = _key("Some figure the statement reports matches.")
    and_: list[StatementFilter] | None = strawberry.field(
        name="and", default=None, description=_AND
    )
    or_: list[StatementFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: StatementFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which figures to return. All given keys must hold.")
class FigureFilter:
    """Figure filter."""

    slug: StringFilter | None = _key(_SLUG)
    dataset: StringFilter | None = _key(_DATASET)
    source: SourceFilter | None = _key(_SOURCE)
    kind: FigureKindFilter | None = _key("What is counted.")
    unit: StringFilter | None = _key("What one unit of the count is (usually 'people').")
    status: FigureStatusFilter | None = _key("Whether the figure has a number.")
    qualifier: FigureQualifierFilter | None = _key("How the source qualifies the number.")
    value: IntFilter | None = _key("The stated number.")
    lower: IntFilter | None = _key("The lower bound.")
    upper: IntFilter | None = _key("The upper bound.")
    best: IntFilter | None = _key(
        "The figure's best number (see `Figure.best`): 'value ranges' over one number."
    )
    raw: StringFilter | None = _key("The figure's words, verbatim.")
    note: StringFilter | None = _key("The note on the figure.")
    attribution: StringFilter | None = _key("The source's words of attribution.")
    counted_group: StringFilter | None = _key("Who is counted, when not an actor.")
    as_of: DateRangeFilter | None = _key("The date the figure is as of, by overlap.")
    event: EventFilter | None = _key("The event the figure is about matches.")
    event_exists: bool | None = _key("True: the figure is about an event; false: it is not.")
    claimant: ActorFilter | None = _key("The actor who reported the figure matches.")
    claimant_exists: bool | None = _key("True: the figure has a claimant; false: it has none.")
    statement: StatementFilter | None = _key("The statement that reported the figure matches.")
    counted_actor: ActorFilter | None = _key("The actor whose people are counted matches.")
    part_of: FigureFilter | None = _key("The larger figure this one is part of matches.")
    part_of_exists: bool | None = _key(
        "True: the figure is part of another; false: it is a top-level figure."
    )
    and_: list[FigureFilter] | None = strawberry.field(name="and", default=None, description=_AND)
    or_: list[FigureFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: FigureFilter | None = strawberry.field(name="not", default=None, description=_NOT)


@strawberry.input(description="Which sources to return. All given keys must hold.")
class SourceFilter:
    """Source filter."""

    slug: StringFilter | None = _key(_SLUG)
    dataset: StringFilter | None = _key(_DATASET)
    headline: StringFilter | None = _key("The headline.")
    outlet: StringFilter | None = _key("The publisher.")
    published: DateRangeFilter | None = _key("The publication date, by overlap.")
    language: StringFilter | None = _key("BCP 47 language tag of the text, e.g. en.")
    url: StringFilter | None = _key("The URL.")
    text: StringFilter | None = _key("The full text or excerpt (for words, prefer `search`).")
    external_id: StringFilter | None = _key("The ID in an imported dataset.")
    and_: list[SourceFilter] | None = strawberry.field(name="and", default=None, description=_AND)
    or_: list[SourceFilter] | None = strawberry.field(name="or", default=None, description=_OR)
    not_: SourceFilter | None = strawberry.field(name="not", default=None, description=_NOT)
