"""The keys of record filters: each key of each record kind declared once, with its description.

`entity_fields(kind)` maps each camelCase key to what it compares (`schema.filter_specs`): a
column value, a date range, a relation to another kind's filter (its joins taken from the
relation catalogue, `schema.relations`), or an existence test. `schema.filters` compiles whole
filters from these keys, and `gql.types.filter_inputs` makes the GraphQL filter inputs from
them, so a key added here is filterable in GraphQL and in exports alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from sqlalchemy import Table, select, true

from schema import enums, relations
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
from schema.figure_best import best_expression
from schema.filter_specs import (
    MAX_FILTER_DEPTH,
    MAX_FILTER_INT,
    MAX_FILTER_LIST,
    MIN_FILTER_INT,
    SCALAR_OPERATORS,
    SET_OPERATORS,
    TEXT_OPERATORS,
    Condition,
    Exists,
    FieldSpec,
    FilterError,
    JsonStrings,
    Related,
    Searched,
    Span,
    Test,
    Value,
    Via,
    choice,
    exists,
    id_select,
    number,
    optional_span,
    parse_date,
    parse_float,
    parse_int,
    parse_string,
    related,
    relation_condition,
    show_value,
    text_value,
)

_SLUG = "The record's slug (its ID in the seed file)."
_DATASET = "The name of the dataset the record belongs to."
_SOURCE = "The source the record was read from matches."
_EXTERNAL_ID = "The ID in an imported dataset."
_ATTRIBUTION = "The source's words of attribution."
_PRECISION = "How precisely the date is known."


def _common(table: Table, kind: str) -> dict[str, FieldSpec]:
    """Keys every record kind has: slug, dataset and (except sources) source."""
    fields: dict[str, FieldSpec] = {
        "slug": text_value(table.c.slug, _SLUG),
        "dataset": Via(table.c.dataset_id, DATASET, text_value(DATASET.c.name, ""), _DATASET),
    }
    if kind != "source":
        fields["source"] = related(relations.provenance(kind), _SOURCE)
    return fields


def _event() -> dict[str, FieldSpec]:
    e = EVENT.c
    return {
        **_common(EVENT, "event"),
        "title": text_value(e.title, "The event's title."),
        "description": text_value(e.description, "The event's description."),
        "type": choice(e.type, enums.EventType, "The event type."),
        "subType": choice(e.sub_type, enums.EventSubType, "The event sub-type."),
        "date": Span(
            e.start_date,
            e.end_date,
            description="When it happened, by overlap with the event's first–last day range: use "
            "`{greaterThanOrEqualTo: from, lessThanOrEqualTo: to}` for 'between from and to'.",
        ),
        "startDate": Value(
            e.start_date,
            parse_date,
            operand="Date",
            description="The first possible day, compared as a single date.",
        ),
        "endDate": Value(
            e.end_date,
            parse_date,
            operand="Date",
            description="The last possible day, compared as a single date.",
        ),
        "datePrecision": choice(e.date_precision, enums.DatePrecision, _PRECISION),
        "countryCode": text_value(
            e.country_code, "ISO 3166-1 alpha-2 code of the country, e.g. KZ."
        ),
        "country": text_value(e.country, "The country's name."),
        "admin1": text_value(e.admin1, "First-order division (region, or a city like Almaty)."),
        "admin2": text_value(e.admin2, "Second-order division (district)."),
        "place": text_value(e.place, "The named place (city, town, site)."),
        "otherLocation": related(
            relations.value_rows("event", "other_locations"),
            "Some further location (`otherLocations`) matches; the keys above match `location`. "
            "For an event anywhere in a region: `or: [{admin1: {equalTo: $r}}, "
            "{otherLocation: {admin1: {equalTo: $r}}}]`.",
        ),
        "latitude": number(e.latitude, parse_float, "Float", "Latitude in degrees."),
        "longitude": number(e.longitude, parse_float, "Float", "Longitude in degrees."),
        "coordinatePrecision": choice(
            e.coordinate_precision, enums.CoordinatePrecision, "What the coordinates mean.", True
        ),
        "externalId": text_value(e.external_id, _EXTERNAL_ID),
        "actor": related(
            relations.through("event", "participants"),
            "Some actor taking part in the event (any role) matches.",
        ),
        "participant": related(
            relations.link_rows("event", "participants"),
            "Some participation matches: an actor in a given role, e.g. "
            "`{role: {equalTo: PERPETRATOR}, actor: {...}}`.",
        ),
        "figure": related(
            relations.referred_by("figure", "event"),
            "Some figure reported about the event matches.",
        ),
        "statement": related(
            relations.back_through("statement", "about_events"),
            "Some statement about the event matches.",
        ),
        "link": related(
            relations.link_rows("event", "links"),
            "Some link from this event matches, e.g. `{kind: {equalTo: PART_OF}, target: {...}}`.",
        ),
    }


def _by_alias(test: Test) -> Condition:
    """Actors with an alias that passes `test` (aliases are a JSON list of strings)."""
    alias = JsonStrings(ACTOR.c.aliases).table_valued("value")
    query = select(ACTOR.c.id).select_from(ACTOR.join(alias, true())).where(test(alias.c.value))
    return ACTOR.c.id.in_(id_select(query, hoisted=False))


def _actor() -> dict[str, FieldSpec]:
    a = ACTOR.c
    return {
        **_common(ACTOR, "actor"),
        "name": text_value(
            a.name, "The actor's name only (`nameOrAlias` also matches its aliases)."
        ),
        "nameOrAlias": Value(
            a.name,
            parse_string,
            text=True,
            description="The actor's name or any of its aliases: an operator holds when the name "
            'or some alias passes it (`{includesInsensitive: "csto"}` finds the Collective '
            "Security Treaty Organization by its alias CSTO); `notEqualTo` and `notIn` hold when "
            "neither the name nor any alias does.",
            also=_by_alias,
        ),
        "kind": choice(a.kind, enums.ActorKind, "What sort of actor."),
        "countryCode": text_value(
            a.country_code, "ISO 3166-1 alpha-2 code of the actor's country."
        ),
        "title": text_value(a.title, "The role or title held when the actor appears."),
        "description": text_value(a.description, "The actor's description."),
        "externalId": text_value(a.external_id, _EXTERNAL_ID),
        "parent": related(
            relations.reference("actor", "parent"), "The actor this one belongs to matches."
        ),
        "parentExists": exists(
            a.parent_id, "True: the actor belongs to another; false: it does not."
        ),
        "event": related(
            relations.back_through("event", "participants"),
            "Some event the actor took part in (any role) matches.",
        ),
        "participation": related(
            relations.back_rows("event", "participants"),
            "Some part the actor played matches, e.g. `{role: {equalTo: RESPONDER}}`.",
        ),
    }


def _participation() -> dict[str, FieldSpec]:
    return {
        "role": choice(PARTICIPATION.c.role, enums.ParticipationRole, "The part the actor played."),
        "note": text_value(PARTICIPATION.c.note, "The note on the participation."),
        "actor": related(relations.link_target("event", "participants"), "The actor matches."),
        "event": related(relations.link_owner("event", "participants"), "The event matches."),
    }


def _location() -> dict[str, FieldSpec]:
    place = EVENT_LOCATION.c
    return {
        "countryCode": text_value(place.country_code, "ISO 3166-1 alpha-2 code of the country."),
        "country": text_value(place.country, "The country's name."),
        "admin1": text_value(place.admin1, "First-order division (region, or a city)."),
        "admin2": text_value(place.admin2, "Second-order division (district)."),
        "place": text_value(place.place, "The named place (city, town, site)."),
    }


def _event_link() -> dict[str, FieldSpec]:
    return {
        "kind": choice(EVENT_LINK.c.kind, enums.EventLinkKind, "How the events relate."),
        "target": related(relations.link_target("event", "links"), "The event linked to matches."),
    }


def _statement() -> dict[str, FieldSpec]:
    s = STATEMENT.c
    return {
        **_common(STATEMENT, "statement"),
        "kind": choice(s.kind, enums.StatementKind, "What kind of speech act."),
        "mode": choice(s.mode, enums.StatementMode, "Quote, partial quote or paraphrase."),
        "text": text_value(s.text, "The quoted words or the paraphrase."),
        "speakerTitle": text_value(s.speaker_title, "The speaker's role at the time."),
        "attribution": text_value(s.attribution, _ATTRIBUTION),
        "date": optional_span(
            s.start_date, s.end_date, "When it was said, by overlap with its date range."
        ),
        "datePrecision": choice(s.date_precision, enums.DatePrecision, _PRECISION, True),
        "speaker": related(relations.reference("statement", "speaker"), "The speaker matches."),
        "aboutEvent": related(
            relations.through("statement", "about_events"),
            "Some event the statement is about matches.",
        ),
        "aboutActor": related(
            relations.through("statement", "about_actors"),
            "Some actor the statement is about matches.",
        ),
        "figure": related(
            relations.referred_by("figure", "statement"),
            "Some figure the statement reports matches.",
        ),
    }


def _figure() -> dict[str, FieldSpec]:
    f = FIGURE.c
    return {
        **_common(FIGURE, "figure"),
        "kind": choice(f.kind, enums.FigureKind, "What is counted."),
        "unit": text_value(f.unit, "What one unit of the count is (usually 'people')."),
        "status": choice(f.status, enums.FigureStatus, "Whether the figure has a number."),
        "qualifier": choice(
            f.qualifier, enums.FigureQualifier, "How the source qualifies the number."
        ),
        "value": number(f.value, parse_int, "Int", "The stated number."),
        "lower": number(f.lower, parse_int, "Int", "The lower bound."),
        "upper": number(f.upper, parse_int, "Int", "The upper bound."),
        "best": number(
            best_expression(FIGURE),
            parse_int,
            "Int",
            "The figure's best number (see `Figure.best`): 'value ranges' over one number.",
        ),
        "raw": text_value(f.raw, "The figure's words, verbatim."),
        "note": text_value(f.note, "The note on the figure."),
        "attribution": text_value(f.attribution, _ATTRIBUTION),
        "countedGroup": text_value(f.counted_group, "Who is counted, when not an actor."),
        "asOf": optional_span(
            f.as_of_start, f.as_of_end, "The date the figure is as of, by overlap."
        ),
        "event": related(
            relations.reference("figure", "event"), "The event the figure is about matches."
        ),
        "eventExists": exists(f.event_id, "True: the figure is about an event; false: it is not."),
        "claimant": related(
            relations.reference("figure", "claimant"),
            "The actor who reported the figure matches.",
        ),
        "claimantExists": exists(
            f.claimant_id, "True: the figure has a claimant; false: it has none."
        ),
        "statement": related(
            relations.reference("figure", "statement"),
            "The statement that reported the figure matches.",
        ),
        "countedActor": related(
            relations.reference("figure", "counted_actor"),
            "The actor whose people are counted matches.",
        ),
        "partOf": related(
            relations.reference("figure", "part_of"),
            "The larger figure this one is part of matches.",
        ),
        "partOfExists": exists(
            f.part_of_id, "True: the figure is part of another; false: it is a top-level figure."
        ),
    }


def _source() -> dict[str, FieldSpec]:
    src = SOURCE.c
    return {
        **_common(SOURCE, "source"),
        "headline": text_value(src.headline, "The headline."),
        "outlet": text_value(src.outlet, "The publisher."),
        "published": optional_span(
            src.published_start, src.published_end, "The publication date, by overlap."
        ),
        "language": text_value(src.language, "BCP 47 language tag of the text, e.g. en."),
        "url": text_value(src.url, "The URL."),
        "text": text_value(src.text, "The full text or excerpt (for words, prefer `search`)."),
        "externalId": text_value(src.external_id, _EXTERNAL_ID),
    }


_ENTITIES: dict[str, Callable[[], dict[str, FieldSpec]]] = {
    "event": _event,
    "actor": _actor,
    "participation": _participation,
    "eventLink": _event_link,
    "location": _location,
    "statement": _statement,
    "figure": _figure,
    "source": _source,
}
#: The record kinds (and link-table rows) that filters range over, in the order of the schema.
FILTER_ENTITIES = tuple(_ENTITIES)


_TABLES = {"event": EVENT, "actor": ACTOR, "statement": STATEMENT, "figure": FIGURE}
_TABLES |= {"source": SOURCE}
_SEARCHED = (
    "The record matches this full-text search, as the root field's `search` argument does (the "
    "same syntax and the same words: see `search` on `Query.events` and the others), e.g. "
    '`events(filter: {actor: {search: "CSTO"}})`. A search without any word matches every record.'
)


@cache
def entity_fields(entity: str) -> Mapping[str, FieldSpec]:
    """The filter keys of one record kind (`event`, `actor`, `statement`, `figure`, `source`,
    `participation`, `eventLink`), with what each compares and its description: the one
    declaration of filter keys, for GraphQL's filter inputs and for exports. Every record kind
    (not a link table's rows) can also be searched (`search`)."""
    make = _ENTITIES.get(entity)
    if make is None:
        raise FilterError(f"unknown record kind {entity!r}")
    fields = make()
    if entity in _TABLES:
        fields["search"] = Searched(entity, _TABLES[entity].c.id, _SEARCHED)
    return fields


__all__ = [
    "FILTER_ENTITIES",
    "MAX_FILTER_DEPTH",
    "MAX_FILTER_INT",
    "MAX_FILTER_LIST",
    "MIN_FILTER_INT",
    "SCALAR_OPERATORS",
    "SET_OPERATORS",
    "TEXT_OPERATORS",
    "Condition",
    "Exists",
    "FieldSpec",
    "FilterError",
    "Related",
    "Searched",
    "Span",
    "Test",
    "Value",
    "Via",
    "entity_fields",
    "id_select",
    "parse_date",
    "parse_string",
    "relation_condition",
    "show_value",
]
