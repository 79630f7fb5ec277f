"""The controlled vocabularies of event records, each value with the sentence that defines it.

Values are lower-case strings (what seed files contain); every member also carries a
`description`, which the GraphQL layer publishes as enum-value documentation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class DescribedEnum(StrEnum):
    """A string enum whose members carry a human description."""

    description: str

    def __new__(cls, value: str, description: str = "") -> DescribedEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: Any) -> DescribedEnum | None:
        # Accept GraphQL-style names ("PEACEFUL_PROTEST") and any case in files.
        if isinstance(value, str):
            wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
            for member in cls:
                if member.value == wanted:
                    return member
        return None


class ClaimBasis(DescribedEnum):
    """On whose word a link or a participation rests."""

    STATED = "stated", "The source says so (in the evidence, or in the claimant's statement)."
    INFERRED = (
        "inferred",
        "The coder's reading of the source, not its words: `reason` says why.",
    )


class DateAnchor(DescribedEnum):
    """What a relative date ('on Sunday') was resolved against."""

    PUBLICATION = (
        "publication",
        "The source's publication date: 'on Sunday' is the last Sunday on or before it. "
        "Re-dating the source re-derives the date.",
    )
    PART_OF = (
        "part_of",
        "The dates of the event this event is `part_of`: 'on Tuesday night' is the Tuesday "
        "within them.",
    )
    EVENT = (
        "event",
        "The dates of the event a figure is about: 'on Tuesday' is the Tuesday within them.",
    )


class TimeOfDay(DescribedEnum):
    """The part of the day the source gives ('Tuesday night')."""

    MORNING = "morning", "Morning."
    AFTERNOON = "afternoon", "Afternoon."
    EVENING = "evening", "Evening."
    NIGHT = "night", "Night."


class DatePrecision(DescribedEnum):
    """How precisely a date or range is known (after UCDP `date_prec`, ACLED `time_precision`)."""

    DAY = (
        "day",
        "Known to the day: it began on `start` and ended on `end` (the same day for a one-day "
        "event; riots 'from January 4 to January 8' are known to the day and cover each day).",
    )
    RANGE = "range", "Happened on some day(s) between start and end; the exact days are not known."
    WEEK = "week", "Known to the week: start and end bound that week."
    MONTH = "month", "Known to the month: start and end bound that month."
    YEAR = "year", "Known to the year: start and end bound that year."
    COVERS = (
        "covers",
        "Happened on every day from start to end, and possibly before or after: the source "
        "dates only part of it (riots dated by one group's part in them).",
    )
    BEFORE = (
        "before",
        "Happened on or before `end`; the source gives no start ('some time before X'). "
        "`start` then repeats `end`, a day to sort and filter by, not a known first day.",
    )


class CoordinatePrecision(DescribedEnum):
    """What a pair of coordinates stands for (after UCDP `where_prec`)."""

    EXACT = "exact", "The exact site of the event."
    NEAR = "near", "Within about 25 km of the site (a named neighbourhood, village or landmark)."
    SETTLEMENT = "settlement", "The centroid of the populated place (city, town) where it happened."
    ADMIN2 = "admin2", "The centroid of the second-order administrative division."
    ADMIN1 = "admin1", "The centroid of the first-order administrative division (province, region)."
    REGION = "region", "A point standing for a larger or linear area (a border, a coast, a region)."
    COUNTRY = "country", "The centroid of the country: only the country is known."
    INTERNATIONAL = "international", "International waters or airspace."


class EventType(DescribedEnum):
    """The kind of event: ACLED's six event types, plus state acts ACLED files under 'Other'."""

    BATTLES = "battles", "ACLED: a violent interaction between two organised armed groups."
    PROTESTS = "protests", "ACLED: a public demonstration in which participants are not violent."
    RIOTS = "riots", "ACLED: a violent event where demonstrators or mobs engage in violent acts."
    EXPLOSIONS_REMOTE_VIOLENCE = (
        "explosions_remote_violence",
        "ACLED: one-sided violence with explosives or remote weapons.",
    )
    VIOLENCE_AGAINST_CIVILIANS = (
        "violence_against_civilians",
        "ACLED: violence by an organised armed group against unarmed non-combatants.",
    )
    STRATEGIC_DEVELOPMENTS = (
        "strategic_developments",
        "ACLED: a non-violent but significant development (arrests, agreements, looting, other).",
    )
    STATE_ACTS = (
        "state_acts",
        "eventql: a formal act of a state — an emergency declared, a government dismissed, a "
        "security operation, a foreign deployment. ACLED files these under 'Other'.",
    )


class EventSubType(DescribedEnum):
    """The sub-type of an event; each belongs to exactly one `EventType` (see `SUB_TYPES`)."""

    # Battles
    ARMED_CLASH = "armed_clash", "Battles: armed, organised groups fight each other."
    GOVERNMENT_REGAINS_TERRITORY = (
        "government_regains_territory",
        "Battles: government forces regain territory from a non-state actor.",
    )
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = (
        "non_state_actor_overtakes_territory",
        "Battles: a non-state actor takes territory.",
    )
    # Protests
    PEACEFUL_PROTEST = (
        "peaceful_protest",
        "Protests: demonstrators gather and are not met by force.",
    )
    PROTEST_WITH_INTERVENTION = (
        "protest_with_intervention",
        "Protests: a peaceful protest that authorities try to disperse or suppress.",
    )
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = (
        "excessive_force_against_protesters",
        "Protests: lethal or severe force is used against peaceful protesters.",
    )
    # Riots
    VIOLENT_DEMONSTRATION = (
        "violent_demonstration",
        "Riots: demonstrators engage in violence or destruction.",
    )
    MOB_VIOLENCE = "mob_violence", "Riots: violence by a spontaneous, unorganised mob."
    # Explosions/Remote violence
    CHEMICAL_WEAPON = "chemical_weapon", "Explosions/Remote violence: a chemical weapon is used."
    AIR_DRONE_STRIKE = "air_drone_strike", "Explosions/Remote violence: an air or drone strike."
    SUICIDE_BOMB = "suicide_bomb", "Explosions/Remote violence: a suicide bombing."
    SHELLING_ARTILLERY_MISSILE_ATTACK = (
        "shelling_artillery_missile_attack",
        "Explosions/Remote violence: shelling, artillery or missile fire.",
    )
    REMOTE_EXPLOSIVE_LANDMINE_IED = (
        "remote_explosive_landmine_ied",
        "Explosions/Remote violence: a remote explosive, landmine or IED.",
    )
    GRENADE = "grenade", "Explosions/Remote violence: a grenade attack."
    # Violence against civilians
    SEXUAL_VIOLENCE = "sexual_violence", "Violence against civilians: sexual violence."
    ATTACK = "attack", "Violence against civilians: an attack on civilians."
    ABDUCTION_FORCED_DISAPPEARANCE = (
        "abduction_forced_disappearance",
        "Violence against civilians: an abduction or forced disappearance.",
    )
    # Strategic developments
    AGREEMENT = "agreement", "Strategic developments: an agreement between actors."
    ARRESTS = "arrests", "Strategic developments: arrests or detentions by authorities."
    CHANGE_TO_GROUP_ACTIVITY = (
        "change_to_group_activity",
        "Strategic developments: a group changes its structure or activity.",
    )
    DISRUPTED_WEAPONS_USE = (
        "disrupted_weapons_use",
        "Strategic developments: weapons seized or an attack prevented.",
    )
    HEADQUARTERS_OR_BASE_ESTABLISHED = (
        "headquarters_or_base_established",
        "Strategic developments: a group establishes a base or headquarters.",
    )
    LOOTING_PROPERTY_DESTRUCTION = (
        "looting_property_destruction",
        "Strategic developments: looting or destruction of property.",
    )
    NON_VIOLENT_TRANSFER_OF_TERRITORY = (
        "non_violent_transfer_of_territory",
        "Strategic developments: territory changes hands without fighting.",
    )
    OTHER = "other", "Strategic developments: a significant development of another kind."
    # State acts (eventql)
    STATE_OF_EMERGENCY = (
        "state_of_emergency",
        "State acts: a state of emergency, martial law or curfew is declared.",
    )
    GOVERNMENT_DISMISSAL = (
        "government_dismissal",
        "State acts: a government, cabinet or official is dismissed or resigns.",
    )
    SECURITY_OPERATION = (
        "security_operation",
        "State acts: a search, counter-terrorism or policing operation by security forces.",
    )
    FOREIGN_DEPLOYMENT = (
        "foreign_deployment",
        "State acts: foreign or allied forces are deployed into the country.",
    )
    MILITARY_EXERCISE = (
        "military_exercise",
        "State acts: forces hold drills or exercises.",
    )
    POLICY_CHANGE = (
        "policy_change",
        "State acts: a law, decree, price or policy is changed.",
    )


_TYPE_OF_SUB_TYPE_NAMES: dict[EventType, tuple[str, ...]] = {
    EventType.BATTLES: (
        "armed_clash",
        "government_regains_territory",
        "non_state_actor_overtakes_territory",
    ),
    EventType.PROTESTS: (
        "peaceful_protest",
        "protest_with_intervention",
        "excessive_force_against_protesters",
    ),
    EventType.RIOTS: ("violent_demonstration", "mob_violence"),
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: (
        "chemical_weapon",
        "air_drone_strike",
        "suicide_bomb",
        "shelling_artillery_missile_attack",
        "remote_explosive_landmine_ied",
        "grenade",
    ),
    EventType.VIOLENCE_AGAINST_CIVILIANS: (
        "sexual_violence",
        "attack",
        "abduction_forced_disappearance",
    ),
    EventType.STRATEGIC_DEVELOPMENTS: (
        "agreement",
        "arrests",
        "change_to_group_activity",
        "disrupted_weapons_use",
        "headquarters_or_base_established",
        "looting_property_destruction",
        "non_violent_transfer_of_territory",
        "other",
    ),
    EventType.STATE_ACTS: (
        "state_of_emergency",
        "government_dismissal",
        "security_operation",
        "foreign_deployment",
        "military_exercise",
        "policy_change",
    ),
}

#: The event sub-types allowed under each event type.
SUB_TYPES: dict[EventType, frozenset[EventSubType]] = {
    event_type: frozenset(EventSubType(name) for name in names)
    for event_type, names in _TYPE_OF_SUB_TYPE_NAMES.items()
}


class EventLinkKind(DescribedEnum):
    """How one event relates to another."""

    PART_OF = "part_of", "This event is a part or episode of the other (a clash within the riots)."
    RESPONSE_TO = "response_to", "This event was a response to, or caused by, the other."
    FOLLOWS = "follows", "This event came after the other in a sequence the source draws."
    POSSIBLY_SAME_AS = (
        "possibly_same_as",
        "This event may be the other one, told differently (the coder cannot tell them apart "
        "or join them): do not add them up without deciding.",
    )


class ActorKind(DescribedEnum):
    """What sort of actor this is."""

    PERSON = "person", "An individual."
    STATE = "state", "A country acting as a whole."
    STATE_BODY = "state_body", "A government, ministry, agency, court or other state institution."
    SECURITY_FORCE = (
        "security_force",
        "Police, military, intelligence or another armed state force.",
    )
    ORGANISATION = "organisation", "A party, company, NGO, media outlet or other organisation."
    INTERNATIONAL_ORGANISATION = (
        "international_organisation",
        "A body of several states (UN, CSTO, EU) or its mission.",
    )
    ARMED_GROUP = "armed_group", "A non-state armed, rebel, militant or extremist group."
    GROUP = "group", "A named or described group of people that is not an organisation."
    CROWD = "crowd", "An unorganised gathering: protesters, rioters, demonstrators."
    CIVILIANS = "civilians", "Unarmed non-combatants as a collective."
    UNKNOWN = "unknown", "Not identified by the source."


class ParticipationRole(DescribedEnum):
    """The part an actor played in an event."""

    PERPETRATOR = "perpetrator", "Carried out the act (the one who arrested, attacked, declared)."
    TARGET = "target", "The act was directed at this actor."
    PARTICIPANT = "participant", "Took part on one side (protesters, one side of a clash)."
    RESPONDER = "responder", "Responded to the event (security forces dispersing a protest)."
    ANNOUNCER = "announcer", "Made the event public (the agency that announced it)."
    ORGANISER = "organiser", "Organised or called for the event."
    SUPPORTER = "supporter", "Supported or contributed forces without being the main actor."


class StatementKind(DescribedEnum):
    """What kind of speech act a statement is."""

    ANNOUNCEMENT = "announcement", "Makes a fact or decision public."
    CLAIM = "claim", "Asserts something that may be disputed (often a figure or an attribution)."
    CHARACTERIZATION = "characterization", "Names or frames events ('a hybrid terrorist attack')."
    DENIAL = "denial", "Denies something."
    ACCUSATION = "accusation", "Blames an actor for something."
    DEMAND = "demand", "Calls for an action."
    THREAT = "threat", "Threatens an action."
    REPORT = "report", "Reports what happened, without a stronger stance."


class StatementMode(DescribedEnum):
    """Whether a statement's text is the speaker's words or the source's rendering of them."""

    QUOTE = "quote", "The speaker's own words, quoted directly."
    PARTIAL_QUOTE = "partial_quote", "A paraphrase that quotes some of the speaker's words."
    PARAPHRASE = "paraphrase", "The source's rendering of what was said."


class FigureKind(DescribedEnum):
    """What a figure counts."""

    ARRESTED = "arrested", "People arrested."
    DETAINED = "detained", "People detained (held without a stated arrest)."
    KILLED = "killed", "People killed."
    INJURED = "injured", "People injured."
    MISSING = "missing", "People missing."
    DISPLACED = "displaced", "People displaced."
    PARTICIPANTS = "participants", "People taking part (protesters, demonstrators, rioters)."
    CELLS_NEUTRALIZED = "cells_neutralized", "Groups or cells neutralized by security forces."
    WEAPONS_SEIZED = "weapons_seized", "Weapons seized."
    TROOPS = "troops", "Soldiers or officers deployed."
    OTHER = "other", "Another quantity, named in the figure's unit and raw text."


class FigureQualifier(DescribedEnum):
    """How the source qualifies a number — keep it, never round it away."""

    EXACT = "exact", "Stated as an exact number."
    ABOUT = "about", "About, around, roughly, nearly: `value` is the approximate figure."
    MORE_THAN = "more_than", "More than: `lower` is exclusive, no upper bound given."
    AT_LEAST = "at_least", "At least: `lower` is inclusive, no upper bound given."
    UP_TO = "up_to", "Up to, as many as: `upper` is inclusive."
    LESS_THAN = "less_than", "Fewer than: `upper` is exclusive."
    BETWEEN = "between", "Between `lower` and `upper`."
    VAGUE = (
        "vague",
        "A vague quantity ('thousands', 'dozens'): bounds, if any, are the plain reading.",
    )


class EstimateRelation(DescribedEnum):
    """How a figure stands to the figure of the same quantity it is another estimate of."""

    ALTERNATIVE = (
        "alternative",
        "Another estimate of the same quantity ('thousands-strong' beside 'more than 5,000').",
    )
    REVISION = (
        "revision",
        "A later figure that replaces the earlier one (a revised toll): the latest counts.",
    )
    CONFLICTING = (
        "conflicting",
        "A rival claim about the same quantity (government against opposition figures).",
    )


class FigureStatus(DescribedEnum):
    """Whether a figure has a number — unknown is never zero."""

    VALUE = "value", "The source gives a number, bounds or a vague quantity."
    UNKNOWN = "unknown", "The source says the number is not known or not reported."
    NONE = "none", "The source says there were none (a real zero)."
