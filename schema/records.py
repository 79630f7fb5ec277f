"""Pydantic models of seed-file records: what an analyst writes, and what the loader validates.

A seed file names its dataset, holds one source (or a list of sources), and lists actors,
events, statements and figures. Records have human-readable IDs (slugs), unique per kind
within a dataset; every reference between records uses them. Every record carries
`evidence`, the exact sentence or span of its source that it was read from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schema.enums import (
    SUB_TYPES,
    ActorKind,
    ClaimBasis,
    CoordinatePrecision,
    DateAnchor,
    DatePrecision,
    EstimateRelation,
    EventLinkKind,
    EventSubType,
    EventType,
    FigureKind,
    FigureQualifier,
    FigureStatus,
    ParticipationRole,
    StatementKind,
    StatementMode,
    TimeOfDay,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=200),
    Field(description="A stable, human-readable ID: lower-case letters, digits, '.', '_', '-'."),
]


@dataclass(frozen=True)
class Refers:
    """Marks a slug field as naming a record of `kind`: `schema.catalogue` stores it as that
    record's key in column `<field>_id`, and the loader checks it (dangling, circular)."""

    kind: str


ActorRef = Annotated[Slug, Refers("actor")]
EventRef = Annotated[Slug, Refers("event")]
StatementRef = Annotated[Slug, Refers("statement")]
FigureRef = Annotated[Slug, Refers("figure")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    Field(description="ISO 3166-1 alpha-2 country code, e.g. KZ."),
]
CodeValue = str | int | float | bool | None


#: The largest integer GraphQL's `Int` can carry (32 bits, signed).
INT32_MAX = 2**31 - 1


class Record(BaseModel):
    """Base of every seed model: unknown fields are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)


class DateSpan(Record):
    """A date or date range, with how precisely it is known and how it was derived."""

    start: dt.date | None = Field(
        default=None,
        description="First possible day. Left out when the source gives none (precision "
        "`before`, with `end`), or when `relative_to` is given: the loader derives it (and "
        "`end`, `precision`) from `expression`.",
    )
    end: dt.date | None = Field(default=None, description="Last possible day; defaults to `start`.")
    precision: DatePrecision = Field(
        default=DatePrecision.DAY, description="How precisely the date is known."
    )
    note: str | None = Field(
        default=None,
        description="How the date was derived, e.g. 'on Sunday' resolved against the "
        "publication date.",
    )
    expression: str | None = Field(
        default=None,
        description="The source's words for the date, verbatim ('on Sunday', 'Tuesday night').",
    )
    relative_to: DateAnchor | None = Field(
        default=None,
        description="What `expression` is relative to: `publication` (the source's "
        "publication date). The loader derives the date from it, or checks the given one.",
    )
    time_of_day: TimeOfDay | None = Field(
        default=None, description="The part of the day, when the source gives it ('night')."
    )

    @model_validator(mode="before")
    @classmethod
    def _open_start(cls, data: Any) -> Any:
        """An open start ('some time before X') is kept as `start` = `end`, so the date has a
        day to sort and filter by; its precision says it is not a first day."""
        if isinstance(data, dict) and data.get("precision") == DatePrecision.BEFORE.value:
            if data.get("end") is None:
                raise ValueError("precision 'before' needs `end`: the day it happened by")
            if data.get("start") not in (None, data["end"]):
                raise ValueError("precision 'before' means the start is not known: give only `end`")
            return {**data, "start": data["end"]}
        return data

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Self:
        if self.start is None:
            if self.relative_to is None or self.expression is None:
                raise ValueError(
                    "a date needs `start`, or an `expression` with `relative_to` to derive it from"
                )
        elif self.end is not None and self.end < self.start:
            raise ValueError(f"end date {self.end} is before start date {self.start}")
        if self.relative_to is not None and self.expression is None:
            raise ValueError("`relative_to` needs the `expression` it applies to")
        return self

    @property
    def first(self) -> dt.date:
        """The first possible day (after loading, every date has one: derived if not given)."""
        if self.start is None:
            raise ValueError("the date has not been derived from its expression yet")
        return self.start

    @property
    def last(self) -> dt.date:
        """The last possible day (`end`, or `start` when no end is given)."""
        return self.end or self.first


class Location(Record):
    """Where something happened: country, admin1, place and optional coordinates."""

    country: CountryCode
    admin1: str | None = Field(default=None, description="First-order division (region, city).")
    admin2: str | None = Field(default=None, description="Second-order division (district).")
    place: str | None = Field(default=None, description="Named place: city, town, site.")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    precision: CoordinatePrecision | None = Field(
        default=None, description="What the coordinates stand for; required with coordinates."
    )
    geonames_id: int | None = Field(
        default=None,
        ge=0,
        le=INT32_MAX,
        description="GeoNames ID of the place the coordinates were taken from.",
    )
    description: str | None = Field(
        default=None,
        description="The source's words for a place it names only loosely, with no region or "
        "town to code it by: 'the west of the country'.",
    )

    @model_validator(mode="after")
    def _coordinates_complete(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude must be given together")
        if self.latitude is not None and self.precision is None:
            raise ValueError("coordinates need a precision")
        return self


class Provenance(Record):
    """Fields every record shares: which source it came from and the words it was read from."""

    source: Slug | None = Field(
        default=None,
        description="The source's ID; may be omitted when the file holds exactly one source.",
    )
    evidence: Text | None = Field(
        default=None,
        description="The exact sentence or span of the source text this record was read from. "
        "When the source has text, the loader checks that the span occurs in it verbatim.",
    )
    locator: str | None = Field(
        default=None,
        description="Where in a source without text the record comes from (e.g. 'row 1234').",
    )


class DatasetInfo(Record):
    """The dataset a file's records belong to. Seeding a file replaces its whole dataset."""

    name: Slug
    title: str | None = None
    description: str | None = None
    licence: str | None = Field(default=None, description="Terms the records are published under.")
    citation: str | None = None
    url: str | None = None


class SourceRecord(Record):
    """A report the records come from."""

    id: Slug
    headline: Text
    outlet: str | None = Field(default=None, description="Publisher, if known.")
    published: DateSpan | None = Field(
        default=None, description="Publication date, with how it is known when not stated."
    )
    url: str | None = None
    language: str = Field(default="en", description="BCP 47 language tag of the text.")
    text: str | None = Field(default=None, description="Full text, or the excerpts used.")
    licence: str | None = Field(default=None, description="Licence or copyright note.")
    external_id: str | None = None


class ActorRecord(Provenance):
    """A person, state body, force, organisation, group or crowd."""

    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    kind: ActorKind
    country: CountryCode | None = None
    parent: ActorRef | None = Field(
        default=None, description="The actor this one belongs to (a minister's ministry)."
    )
    title: str | None = Field(
        default=None, description="Role or title held when the actor appears in the source."
    )
    possibly_same_as: list[Slug] = Field(
        default_factory=list,
        description="Actors that may be this one under another name (the report never says "
        "they are one): recorded both ways, never merged.",
    )
    title_held: DateSpan | None = Field(
        default=None,
        description="When the actor held `title`, as far as the source says (a minister "
        "dismissed on 5 January held the title until then).",
    )
    description: str | None = None
    external_id: str | None = None
    codes: dict[str, CodeValue] = Field(
        default_factory=dict, description="Original codes from an imported dataset."
    )


class Claimed(Record):
    """Who says that a link or a participation holds: the source, or the coder's reading."""

    basis: ClaimBasis = Field(
        default=ClaimBasis.STATED,
        description="`stated` (the source says so) or `inferred` (the coder's reading).",
    )
    reason: str | None = Field(
        default=None, description="Why the coder reads it so; required when `inferred`."
    )
    claimant: ActorRef | None = Field(
        default=None, description="The actor who says so, when the source attributes it."
    )
    statement: StatementRef | None = Field(
        default=None, description="The statement that says so, if one is recorded."
    )

    @model_validator(mode="after")
    def _inferred_has_a_reason(self) -> Self:
        if self.basis is ClaimBasis.INFERRED and not self.reason:
            raise ValueError("basis 'inferred' needs a `reason`: why the coder reads it so")
        return self


class EventLinkRecord(Claimed):
    """A typed link from this event to another."""

    kind: EventLinkKind
    event: Slug
    evidence: Text | None = None


class ParticipationRecord(Claimed):
    """An actor's part in an event."""

    actor: Slug
    role: ParticipationRole
    note: str | None = None
    evidence: Text | None = None


class EventRecord(Provenance):
    """Something that happened."""

    id: Slug
    title: Text
    type: EventType
    sub_type: EventSubType
    date: DateSpan
    location: Location | None = None
    other_locations: list[Location] = Field(
        default_factory=list,
        description="Further places the event happened in or covers, besides `location` (a "
        "decree declaring a state of emergency in two regions), in the source's order.",
    )
    description: str | None = None
    umbrella: bool = Field(
        default=False,
        description="An aggregate event that stands for its parts (events `part_of` it, "
        "recorded too), such as riots across a country: grouped counts count the parts, "
        "not the umbrella.",
    )
    links: list[EventLinkRecord] = Field(default_factory=list)
    participants: list[ParticipationRecord] = Field(default_factory=list)
    external_id: str | None = None
    codes: dict[str, CodeValue] = Field(
        default_factory=dict, description="Original type codes and fields from an import."
    )

    @model_validator(mode="after")
    def _sub_type_belongs_to_type(self) -> Self:
        if self.sub_type not in SUB_TYPES[self.type]:
            allowed = ", ".join(sorted(s.value for s in SUB_TYPES[self.type]))
            raise ValueError(
                f"sub_type '{self.sub_type.value}' is not a sub-type of '{self.type.value}' "
                f"(allowed: {allowed})"
            )
        return self


class StatementRecord(Provenance):
    """A speech act: who said what, when, about which events and actors."""

    id: Slug
    speaker: ActorRef
    speaker_title: str | None = Field(default=None, description="The speaker's role at the time.")
    date: DateSpan | None = None
    kind: StatementKind
    mode: StatementMode
    text: Text = Field(description="The quoted words or the paraphrase, as the source gives it.")
    about_events: list[Slug] = Field(default_factory=list)
    about_actors: list[Slug] = Field(default_factory=list)
    attribution: str | None = Field(
        default=None, description="The source's words of attribution ('the Minister stated')."
    )
    attribution_covers: Text | None = Field(
        default=None,
        description="The part of the evidence the attribution applies to, verbatim, when it "
        "covers only some clauses of the sentence ('according to the ministry' covers the "
        "drills, not the outlet's 'protest-torn Kazakhstan').",
    )
    speech_act: StatementRef | None = Field(
        default=None,
        description="The first statement of the same speech act (one press release, one "
        "speech), when this one is another part of it.",
    )
    reported_by: StatementRef | None = Field(
        default=None,
        description="The statement that reports this one ('the ministry said that the NSC "
        "said'): this statement is known only through it.",
    )


class FigureRecord(Provenance):
    """A reported quantity, as a claim: who says how many of what, with which qualifier."""

    id: Slug
    event: EventRef | None = None
    kind: FigureKind
    unit: str = Field(default="people", description="What one unit of the count is.")
    status: FigureStatus = FigureStatus.VALUE
    # Counts are served as GraphQL `Int`, a 32-bit integer: a larger count is refused here,
    # when the file is read, not when a query meets it.
    value: int | None = Field(
        default=None, ge=0, le=INT32_MAX, description="The stated or best number."
    )
    lower: int | None = Field(default=None, ge=0, le=INT32_MAX, description="Lower bound.")
    upper: int | None = Field(default=None, ge=0, le=INT32_MAX, description="Upper bound.")
    qualifier: FigureQualifier = FigureQualifier.EXACT
    raw: Text | None = Field(default=None, description="The words of the figure, verbatim.")
    as_of: DateSpan | None = None
    claimant: ActorRef | None = Field(
        default=None, description="The actor who reported the figure."
    )
    statement: StatementRef | None = Field(
        default=None, description="The statement that reported it."
    )
    attribution: str | None = Field(
        default=None, description="The source's words of attribution ('estimates suggest')."
    )
    part_of: FigureRef | None = Field(
        default=None, description="A larger figure this one is part of."
    )
    part_of_basis: ClaimBasis = Field(
        default=ClaimBasis.STATED,
        description="Whether the source says the figure is part of `part_of` (`stated`), or "
        "the coder reads it so (`inferred`, with `part_of_reason`).",
    )
    part_of_reason: str | None = Field(
        default=None, description="Why the coder reads the figure as part of `part_of`."
    )
    estimate_of: FigureRef | None = Field(
        default=None,
        description="The first figure of the same quantity, when this one is another estimate "
        "of it: totals count the quantity once (see `estimate_relation`).",
    )
    estimate_relation: EstimateRelation | None = Field(
        default=None,
        description="How this figure stands to `estimate_of`: alternative, revision or "
        "conflicting.",
    )
    counted_actor: ActorRef | None = Field(
        default=None, description="Whose people are counted (one side's deaths)."
    )
    counted_group: str | None = Field(
        default=None, description="Who is counted when not an actor: 'civilians', 'unknown'."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower bound {self.lower} is above upper bound {self.upper}")
        has_number = any(v is not None for v in (self.value, self.lower, self.upper))
        if self.status is FigureStatus.VALUE and not has_number and self.raw is None:
            raise ValueError("a figure with status 'value' needs a value, a bound or raw words")
        if self.status is FigureStatus.UNKNOWN and has_number:
            raise ValueError("an unknown figure has no value or bounds (unknown is never 0)")
        if self.status is FigureStatus.NONE and self.value not in (None, 0):
            raise ValueError("a figure with status 'none' has value 0 or no value")
        if self.status is FigureStatus.VALUE and self.value is None:
            self._bounds_fit_qualifier()
        if self.part_of_basis is ClaimBasis.INFERRED and not self.part_of_reason:
            raise ValueError(
                "part_of_basis 'inferred' needs a `part_of_reason`: why the coder reads it so"
            )
        if self.part_of is None and (
            self.part_of_basis is not ClaimBasis.STATED or self.part_of_reason
        ):
            raise ValueError("part_of_basis and part_of_reason describe `part_of`: name it")
        if (self.estimate_of is None) != (self.estimate_relation is None):
            raise ValueError(
                "estimate_of and estimate_relation go together: name the other figure of the "
                "same quantity and say how this one stands to it"
            )
        return self

    def _bounds_fit_qualifier(self) -> None:
        """Without a value, the bound a qualifier speaks of must be the one given."""
        q = self.qualifier
        if q is FigureQualifier.EXACT and (self.lower is not None or self.upper is not None):
            raise ValueError(
                "qualifier 'exact' needs a value: with only bounds, use more_than or at_least "
                "(a lower bound), up_to or less_than (an upper bound), or between (both)"
            )
        if q in (FigureQualifier.MORE_THAN, FigureQualifier.AT_LEAST) and self.lower is None:
            if self.upper is not None:
                raise ValueError(f"qualifier '{q.value}' needs a lower bound, not an upper one")
        if q in (FigureQualifier.UP_TO, FigureQualifier.LESS_THAN) and self.upper is None:
            if self.lower is not None:
                raise ValueError(f"qualifier '{q.value}' needs an upper bound, not a lower one")


class SeedFile(Record):
    """One seed file: a dataset name, its source(s), and the records read from them."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"title": "eventql seed file"},
    )

    dataset: Slug | DatasetInfo = Field(
        description="The dataset these records belong to (a name, or a name with metadata)."
    )
    source: SourceRecord | None = Field(default=None, description="The file's single source.")
    sources: list[SourceRecord] = Field(default_factory=list, description="Several sources.")
    actors: list[ActorRecord] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    statements: list[StatementRecord] = Field(default_factory=list)
    figures: list[FigureRecord] = Field(default_factory=list)

    @property
    def dataset_info(self) -> DatasetInfo:
        """The dataset as an object, whether the file gave a bare name or full metadata."""
        if isinstance(self.dataset, DatasetInfo):
            return self.dataset
        return DatasetInfo(name=self.dataset)

    @property
    def all_sources(self) -> list[SourceRecord]:
        """`source` and `sources` together."""
        return ([self.source] if self.source else []) + list(self.sources)


def seed_json_schema() -> dict[str, Any]:
    """The JSON Schema of a seed file, for editors to validate and complete seed files."""
    schema = SeedFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/eventql/eventql/seeds/seed.schema.json"
    return schema
