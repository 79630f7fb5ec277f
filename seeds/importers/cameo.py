"""GDELT's CAMEO event codes in eventql's taxonomy, and the roles of GDELT's two actors.

GDELT codes each event with a CAMEO code (`EventCode`, e.g. `0231`; its first two digits are
the root, `EventRootCode`). eventql's taxonomy is ACLED's: the mapping below takes the most
specific CAMEO code that has a clear ACLED counterpart, and files everything else under
strategic developments / other. The original codes always stay in the event's `codes`
(`EventCode`, `EventBaseCode`, `EventRootCode`, `QuadClass`, `GoldsteinScale` ...), so a user
who disagrees with a row below can still select by CAMEO code.

    CAMEO codes              eventql type / sub-type: the CAMEO meaning
    01-13                    strategic_developments / other: statements, appeals, intents,
                             consultations, cooperation, aid, yielding, investigations,
                             demands, disapproval, rejection, threats
    057, 0871                strategic_developments / agreement: formal agreement; truce
    14, 140-144              protests / peaceful_protest: dissent, demonstration, hunger
                             strike, strike or boycott, obstructing passage
    145, 1451-1454           riots / violent_demonstration: protest violently, riot
    15, 16                   strategic_developments / other: force posture, reduced relations
    17, 170, 172, 1721,      strategic_developments / other: coercion, administrative
    1722, 174, 176           sanctions, deportation, cyber attack
    171, 1711, 1712          strategic_developments / looting_property_destruction
    1723, 1724               state_acts / state_of_emergency: curfew, emergency, martial law
    173                      strategic_developments / arrests: arrest, detain, or charge
    175                      violence_against_civilians / attack: violent repression
    18, 180, 182, 1822,      violence_against_civilians / attack: assault, torture, killing,
    1823, 184-186            human shield, (attempted) assassination
    181                      violence_against_civilians / abduction_forced_disappearance
    1821                     violence_against_civilians / sexual_violence
    183, 1832-1834           explosions_remote_violence / remote_explosive_landmine_ied
    1831                     explosions_remote_violence / suicide_bomb
    19, 190, 192, 193, 196   battles / armed_clash: military force, occupation, small arms,
                             ceasefire violation
    191                      strategic_developments / other: blockade, restricted movement
    194                      explosions_remote_violence / shelling_artillery_missile_attack
    195, 1951, 1952          explosions_remote_violence / air_drone_strike
    20, 200-204, 2042        violence_against_civilians / attack: mass violence
    2041                     explosions_remote_violence / chemical_weapon

GDELT is machine-coded from news text, so a "fight" may be a metaphor ("fight for a bill");
the mapping trusts GDELT's code and says so only through `codes`.

Roles: GDELT's Actor1 is the one who acts and Actor2 the one acted upon (CAMEO's source and
target). Actor2 is always `target`. Actor1 is `perpetrator` for material conflict (roots 15–20:
force posture, reduced relations, coercion, assault, fighting, mass violence) and
`participant` otherwise (protesters in root 14; speakers, visitors, aid givers in 01–13).
"""

from __future__ import annotations

from schema.enums import EventSubType, EventType, ParticipationRole
from seeds.importers.cameo_names import CAMEO_EVENT_NAMES

_T = EventType
_S = EventSubType
Category = tuple[EventType, EventSubType]

_OTHER: Category = (_T.STRATEGIC_DEVELOPMENTS, _S.OTHER)

#: Specific CAMEO codes (and code prefixes) with their own place in the taxonomy.
_BY_CODE: dict[str, Category] = {
    "057": (_T.STRATEGIC_DEVELOPMENTS, _S.AGREEMENT),
    "0871": (_T.STRATEGIC_DEVELOPMENTS, _S.AGREEMENT),
    "145": (_T.RIOTS, _S.VIOLENT_DEMONSTRATION),
    "171": (_T.STRATEGIC_DEVELOPMENTS, _S.LOOTING_PROPERTY_DESTRUCTION),
    "1723": (_T.STATE_ACTS, _S.STATE_OF_EMERGENCY),
    "1724": (_T.STATE_ACTS, _S.STATE_OF_EMERGENCY),
    "173": (_T.STRATEGIC_DEVELOPMENTS, _S.ARRESTS),
    "175": (_T.VIOLENCE_AGAINST_CIVILIANS, _S.ATTACK),
    "181": (_T.VIOLENCE_AGAINST_CIVILIANS, _S.ABDUCTION_FORCED_DISAPPEARANCE),
    "1821": (_T.VIOLENCE_AGAINST_CIVILIANS, _S.SEXUAL_VIOLENCE),
    "183": (_T.EXPLOSIONS_REMOTE_VIOLENCE, _S.REMOTE_EXPLOSIVE_LANDMINE_IED),
    "1831": (_T.EXPLOSIONS_REMOTE_VIOLENCE, _S.SUICIDE_BOMB),
    "191": _OTHER,
    "194": (_T.EXPLOSIONS_REMOTE_VIOLENCE, _S.SHELLING_ARTILLERY_MISSILE_ATTACK),
    "195": (_T.EXPLOSIONS_REMOTE_VIOLENCE, _S.AIR_DRONE_STRIKE),
    "2041": (_T.EXPLOSIONS_REMOTE_VIOLENCE, _S.CHEMICAL_WEAPON),
}

#: The category of each CAMEO root code not refined by `_BY_CODE`.
_BY_ROOT: dict[str, Category] = {
    "14": (_T.PROTESTS, _S.PEACEFUL_PROTEST),
    "18": (_T.VIOLENCE_AGAINST_CIVILIANS, _S.ATTACK),
    "19": (_T.BATTLES, _S.ARMED_CLASH),
    "20": (_T.VIOLENCE_AGAINST_CIVILIANS, _S.ATTACK),
}

#: Roots of material conflict, where Actor1 is the perpetrator.
_CONFLICT_ROOTS = frozenset({"15", "16", "17", "18", "19", "20"})


def classify(event_code: str, root_code: str | None = None) -> Category:
    """eventql's type and sub-type for a CAMEO event code (see the module's table)."""
    code = event_code.strip()
    for length in range(len(code), 2, -1):
        found = _BY_CODE.get(code[:length])
        if found is not None:
            return found
    root = (root_code or code[:2]).strip().zfill(2)
    return _BY_ROOT.get(root, _OTHER)


def actor1_role(root_code: str) -> ParticipationRole:
    """The role of GDELT's Actor1 in an event with this CAMEO root code."""
    if root_code.strip().zfill(2) in _CONFLICT_ROOTS:
        return ParticipationRole.PERPETRATOR
    return ParticipationRole.PARTICIPANT


def event_name(event_code: str) -> str | None:
    """The CAMEO name of an event code ("Arrest, detain, or charge with legal action")."""
    code = event_code.strip()
    return CAMEO_EVENT_NAMES.get(code) or CAMEO_EVENT_NAMES.get(code[:3]) or None
