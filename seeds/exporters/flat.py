"""One flat row per event, in columns close to ACLED's, for spreadsheets and maps.

ACLED's layout is what analysts' tools already read: `event_id_cnty`, `event_date`, `year`,
`time_precision`, `disorder_type`, `event_type`, `sub_event_type`, `actor1`, `assoc_actor_1`,
`inter1`, `actor2`, `assoc_actor_2`, `inter2`, `interaction`, `iso`, `country`, `admin1`,
`admin2`, `location`, `latitude`, `longitude`, `geo_precision`, `source`, `notes`,
`fatalities`. Where eventql knows more, columns are added after them:

- figures as `<kind>_best`, `<kind>_low`, `<kind>_high` for every figure kind (`fatalities_*`
  for killed), added up by the API's rule (`schema.figures`): a figure inside another counted
  figure (`part_of`) is not counted again, a figure with status none counts 0, and an unknown
  figure counts nothing. An empty cell means no number is known; `0` means none. `fatalities`
  (ACLED's column) is `fatalities_best`; ACLED writes 0 for "not reported", eventql leaves it
  empty.
- the event's own slug, dataset, title, end date, date and coordinate precision in eventql's
  words, ISO alpha-2 code, external ID, and the source's URL.
- columns that **sum correctly**, `<kind>_counted_best`, `<kind>_counted_low`,
  `<kind>_counted_high`: what the row adds to the API's totals over the exported events
  (`figures(filter: {event: <the export's filter>})`, `aggregates.totals`), so a column's sum
  is the API's total. `<kind>_best` adds up one row's figures alone, so a figure that is part
  of (or another estimate of) a figure on another row is in both rows' `<kind>_best`; the
  `_counted_` columns count it once, on the row that holds the figure it is part of (or the
  quantity's first estimate) — by `schema.figures.add_up`, the API's own rule
  (`seeds.exporters.counted`). The row whose figures are counted elsewhere says where in
  `counted_in`: `arrested: riot-arrests` (kind, then the `event_slug` of the row that counts
  them). Empty: nothing counted on this row (no number, or counted on another row); 0: none.
  An empty `_counted_high` beside a `_counted_best` means no upper bound ("more than 5,100"):
  the total then has none either.
- UCDP's breakdown of the deaths, `deaths_a`, `deaths_b`, `deaths_civilians`,
  `deaths_unknown` (`seeds.casualty_parts`): the row's `killed` figures counting actor 1's
  people, actor 2's (UCDP's sides A and B), civilians, and persons of unknown status. An
  imported UCDP file exports with the same numbers in them as in the file; empty is unknown.

Columns are only ever added at the end, so clients that read them by position keep working.

Derived ACLED codes: `time_precision` 1 (day), 2 (range, week, covers), 3 (month, year, before);
`geo_precision` 1 (exact, settlement), 2 (near, admin2), 3 (admin1, region, country,
international); `inter` 1 state forces (state, state body, security force), 2 armed groups,
5 rioters / 6 protesters (a crowd in riots / otherwise), 7 civilians, 8 international
organisations, empty for other kinds. Actor 1 is the perpetrator or organiser (or the first
participant), actor 2 the target or responder (or the next participant); other actors on
each side are their `assoc_actor`, joined by "; ".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import pycountry
from sqlalchemy import Connection, select

from schema.core import ACTOR, DATASET, EVENT, FIGURE, PARTICIPATION, SOURCE
from schema.enums import EventSubType, EventType, FigureKind
from schema.figures import FigureFacts, Total, add_up
from seeds.casualty_parts import DEATHS_PARTS
from seeds.exporters.counted import (
    READ_COLUMNS,
    ExportedFigure,
    RowCounts,
    exported_figure,
    kinds_of,
    row_counts,
)
from seeds.exporters.scope import BATCH_SIZE, Selection

ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction iso country admin1 "
    "admin2 location latitude longitude geo_precision source notes fatalities"
).split()
_KIND_PREFIX = {
    kind: ("fatalities" if kind is FigureKind.KILLED else kind.value) for kind in FigureKind
}
FIGURE_COLUMNS = [
    f"{_KIND_PREFIX[kind]}_{reading}" for kind in FigureKind for reading in ("best", "low", "high")
]
EXTRA_COLUMNS = (
    "event_slug dataset title end_date date_precision country_code coordinate_precision "
    "external_id source_url"
).split()
#: What each row adds to the API's totals (`seeds.exporters.counted`): these sum correctly.
COUNTED_COLUMNS = [
    f"{_KIND_PREFIX[kind]}_counted_{reading}"
    for kind in FigureKind
    for reading in ("best", "low", "high")
]
#: UCDP's breakdown of the deaths, by who is counted (`seeds.casualty_parts`).
DEATHS_COLUMNS = [part.column for part in DEATHS_PARTS]
#: The kinds whose figures on this row are counted on another row, with that row's event.
COUNTED_IN_COLUMN = "counted_in"
#: Every column, in order (columns are only ever added at the end: clients read by position).
COLUMNS: list[str] = [
    *ACLED_COLUMNS,
    *FIGURE_COLUMNS,
    *EXTRA_COLUMNS,
    *COUNTED_COLUMNS,
    *DEATHS_COLUMNS,
    COUNTED_IN_COLUMN,
]

Flat = dict[str, Any]

_TYPE_NAMES = {
    EventType.BATTLES: "Battles",
    EventType.PROTESTS: "Protests",
    EventType.RIOTS: "Riots",
    EventType.EXPLOSIONS_REMOTE_VIOLENCE: "Explosions/Remote violence",
    EventType.VIOLENCE_AGAINST_CIVILIANS: "Violence against civilians",
    EventType.STRATEGIC_DEVELOPMENTS: "Strategic developments",
    EventType.STATE_ACTS: "State acts",
}
_SUB_TYPE_NAMES = {
    EventSubType.AIR_DRONE_STRIKE: "Air/drone strike",
    EventSubType.SHELLING_ARTILLERY_MISSILE_ATTACK: "Shelling/artillery/missile attack",
    EventSubType.REMOTE_EXPLOSIVE_LANDMINE_IED: "Remote explosive/landmine/IED",
    EventSubType.ABDUCTION_FORCED_DISAPPEARANCE: "Abduction/forced disappearance",
    EventSubType.CHANGE_TO_GROUP_ACTIVITY: "Change to group/activity",
    EventSubType.LOOTING_PROPERTY_DESTRUCTION: "Looting/property destruction",
}
_DISORDER = {
    EventType.PROTESTS: "Demonstrations",
    EventType.RIOTS: "Demonstrations",
    EventType.STRATEGIC_DEVELOPMENTS: "Strategic developments",
    EventType.STATE_ACTS: "Strategic developments",
}
_TIME_PRECISION = {
    "day": 1,
    "range": 2,
    "week": 2,
    "covers": 2,
    "month": 3,
    "year": 3,
    "before": 3,
}
_GEO_PRECISION = {"exact": 1, "settlement": 1, "near": 2, "admin2": 2}
_INTER = {
    "state": 1,
    "state_body": 1,
    "security_force": 1,
    "armed_group": 2,
    "civilians": 7,
    "international_organisation": 8,
}
_SIDE_1 = ("perpetrator", "organiser", "participant", "supporter")
_SIDE_2 = ("target", "responder")


def flat_batches(connection: Connection, selection: Selection) -> Iterator[list[Flat]]:
    """The selected events as flat rows, in date order, a batch at a time."""
    query = (
        select(
            EVENT,
            DATASET.c.name.label("dataset_name"),
            SOURCE.c.outlet.label("source_outlet"),
            SOURCE.c.headline.label("source_headline"),
            SOURCE.c.url.label("source_url"),
        )
        .select_from(
            EVENT.join(DATASET, DATASET.c.id == EVENT.c.dataset_id).outerjoin(
                SOURCE, SOURCE.c.id == EVENT.c.source_id
            )
        )
        .where(selection.event_condition())
        .order_by(EVENT.c.start_date, EVENT.c.id)
    )
    result = connection.execute(query, execution_options={"stream_results": True})
    for batch in result.partitions(BATCH_SIZE):
        ids = [row.id for row in batch]
        actors = _participants(connection, ids)
        figures = _figures(connection, {row.id: row.slug for row in batch})
        counts = row_counts(connection, selection, figures)
        yield [
            _flat(row, actors.get(row.id, []), figures.get(row.id, []), counts.get(row.id))
            for row in batch
        ]


def _participants(connection: Connection, ids: Sequence[int]) -> dict[int, list[Any]]:
    query = (
        select(
            PARTICIPATION.c.event_id,
            PARTICIPATION.c.role,
            PARTICIPATION.c.note,
            ACTOR.c.name,
            ACTOR.c.kind,
            ACTOR.c.slug,
            ACTOR.c.id.label("actor_id"),
        )
        .join(ACTOR, ACTOR.c.id == PARTICIPATION.c.actor_id)
        .where(PARTICIPATION.c.event_id.in_(ids))
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.event_id].append(row)
    return found


def _figures(connection: Connection, slugs: dict[int, str]) -> dict[int, list[ExportedFigure]]:
    """The figures of the events `slugs` names (event ID → slug), in as-of date order."""
    query = (
        select(*READ_COLUMNS)
        .where(FIGURE.c.event_id.in_(list(slugs)))
        .order_by(FIGURE.c.as_of_start, FIGURE.c.id)
    )  # revisions: the latest counts
    found: dict[int, list[ExportedFigure]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.event_id].append(exported_figure(row, slugs[row.event_id], exported=True))
    return found


def _flat(
    event: Any,
    participants: list[Any],
    figures: list[ExportedFigure],
    counts: RowCounts | None,
) -> Flat:
    event_type = EventType(event.type)
    sub_type = EventSubType(event.sub_type)
    side1, side2 = _sides(participants)
    inter1, inter2 = _inter(side1, event_type), _inter(side2, event_type)
    flat: Flat = {
        "event_id_cnty": event.external_id or event.slug,
        "event_date": event.start_date.isoformat(),
        "year": event.start_date.year,
        "time_precision": _TIME_PRECISION.get(event.date_precision),
        "disorder_type": _DISORDER.get(event_type, "Political violence"),
        "event_type": _TYPE_NAMES[event_type],
        "sub_event_type": _SUB_TYPE_NAMES.get(
            sub_type, sub_type.value.replace("_", " ").capitalize()
        ),
        "actor1": side1[0].name if side1 else None,
        "assoc_actor_1": "; ".join(p.name for p in side1[1:]) or None,
        "inter1": inter1,
        "actor2": side2[0].name if side2 else None,
        "assoc_actor_2": "; ".join(p.name for p in side2[1:]) or None,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "iso": _iso_numeric(event.country_code) if event.country_code else None,
        "country": event.country,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "location": event.place,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": _geo_precision(event.coordinate_precision),
        "source": event.source_outlet or event.source_headline,
        "notes": event.description or event.title,
        "event_slug": event.slug,
        "dataset": event.dataset_name,
        "title": event.title,
        "end_date": event.end_date.isoformat(),
        "date_precision": event.date_precision,
        "country_code": event.country_code,
        "coordinate_precision": event.coordinate_precision,
        "external_id": event.external_id,
        "source_url": event.source_url,
    }
    flat.update(figure_columns([figure.facts for figure in figures]))
    flat["fatalities"] = flat["fatalities_best"]
    flat.update(counted_columns(counts))
    flat.update(deaths_columns(figures, side1, side2))
    return flat


def figure_columns(figures: list[FigureFacts]) -> Flat:
    """`<kind>_best/low/high` for one event's figures (empty where no number is known)."""
    columns: Flat = dict.fromkeys(FIGURE_COLUMNS)
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for total in add_up(figures, {}):
        if total.counted:
            by_kind[total.kind].append(total)
    for kind, totals in by_kind.items():
        if len(totals) != 1:
            continue  # several units (people, weapons ...) do not add up into one cell
        total = totals[0]
        prefix = _KIND_PREFIX.get(FigureKind(kind), kind)
        columns[f"{prefix}_best"] = total.best
        columns[f"{prefix}_low"] = total.low
        columns[f"{prefix}_high"] = total.high
    return columns


def counted_columns(counts: RowCounts | None) -> Flat:
    """`<kind>_counted_best/low/high` and `counted_in` for one row's share of the totals."""
    columns: Flat = dict.fromkeys([*COUNTED_COLUMNS, COUNTED_IN_COLUMN])
    if counts is None:
        return columns
    for kind, total in kinds_of(counts.totals).items():
        prefix = _KIND_PREFIX.get(FigureKind(kind), kind)
        columns[f"{prefix}_counted_best"] = total.best
        columns[f"{prefix}_counted_low"] = total.low
        columns[f"{prefix}_counted_high"] = total.high
    columns[COUNTED_IN_COLUMN] = (
        "; ".join(
            f"{_KIND_PREFIX.get(FigureKind(kind), kind)}: {', '.join(sorted(events))}"
            for kind, events in sorted(counts.counted_in.items())
        )
        or None
    )
    return columns


def deaths_columns(figures: list[ExportedFigure], side1: list[Any], side2: list[Any]) -> Flat:
    """UCDP's `deaths_a`, `deaths_b`, `deaths_civilians`, `deaths_unknown` from the row's
    `killed` figures counting actor 1's people, actor 2's, civilians, persons of unknown status
    (empty when no such figure has a number)."""
    columns: Flat = dict.fromkeys(DEATHS_COLUMNS)
    sides = [side[0].actor_id if side else None for side in (side1, side2)]
    parts = []  # each figure with the column it counts in, as the group it is added up in
    for figure in figures:
        if figure.facts.kind != FigureKind.KILLED.value:
            continue
        for part in DEATHS_PARTS:
            if (
                figure.counted_group == part.group
                if part.side is None
                else sides[part.side] is not None and figure.counted_actor_id == sides[part.side]
            ):
                parts.append(replace(figure.facts, group=part.column))
    by_part: dict[str, list[Total]] = defaultdict(list)
    for total in add_up(parts, {}) if parts else []:
        if total.counted:
            by_part[str(total.group)].append(total)
    for column, totals in by_part.items():
        if len(totals) == 1:  # people in several units do not add up into one cell
            columns[column] = totals[0].best
    return columns


def _sides(participants: list[Any]) -> tuple[list[Any], list[Any]]:
    ordered = sorted(participants, key=lambda p: (_rank(p.role), p.note or "", p.name, p.slug))
    side1 = [p for p in ordered if p.role in _SIDE_1]
    side2 = [p for p in ordered if p.role in _SIDE_2]
    if not side2:
        clashing = [p for p in side1 if p.role == "participant"]
        if len(clashing) >= 2:
            side2 = [clashing[1]]
            side1 = [p for p in side1 if p is not clashing[1]]
    return side1, side2


def _rank(role: str) -> int:
    order = (*_SIDE_1, *_SIDE_2)
    return order.index(role) if role in order else len(order)


def _inter(side: list[Any], event_type: EventType) -> int | None:
    if not side:
        return None
    kind = side[0].kind
    if kind == "crowd":
        return 5 if event_type is EventType.RIOTS else 6
    return _INTER.get(kind)


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    return min(inter1, inter2) * 10 + max(inter1, inter2)


def _geo_precision(precision: str | None) -> int | None:
    return None if precision is None else _GEO_PRECISION.get(precision, 3)


@cache
def _iso_numeric(alpha_2: str) -> int | None:
    country = pycountry.countries.get(alpha_2=alpha_2)
    return int(country.numeric) if country is not None else None
