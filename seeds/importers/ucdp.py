"""UCDP GED CSV files as eventql records: events, sides, deaths with their breakdown, articles.

Columns are found by their header names (any order; extra columns are kept in `codes`), in
every layout users download: GED releases, the Candidate events, and HDX's re-distributions
with their HXL hashtag row (`seeds.importers.ucdp_columns`); empty and `NA` cells are missing
values. The dataset is named after the release (`seeds.importers.ucdp_release`). Field
meanings follow the UCDP GED codebook (Högbladh 2019, version 19.1). Each row becomes:

- an **event** `ucdp-ged-<id>` (external ID `ucdp-ged:<id>`): `type_of_violence` 1 (state-based)
  and 2 (non-state) → battles / armed_clash; 3 (one-sided) → violence_against_civilians /
  attack. The date span is `date_start`–`date_end`; its precision comes from `date_prec`:
  1 → day; 2 (a 2–6 day range) → range; 3 (only the week) → week; 4 (8–30 days, or only the
  month) → month when the span is exactly a calendar month, else range; 5 (more than a month, or
  only the year) → year when the span is exactly a calendar year, else range. The location is
  the country (UCDP's name → ISO code, else HDX's `iso3`), `adm_1`, `adm_2`,
  `where_coordinates` as the place, and `latitude`/`longitude` with `where_prec` as their
  precision: 1 exact, 2 near (within ~25 km), 3 admin2, 4 admin1, 5 region (a larger or linear
  area), 6 country, 7 international waters or airspace. Every other column (type, conflict,
  dyad and side IDs, `event_clarity`, `source_original`, `priogrid_gid`, the death counts ...)
  is kept in `codes` under its name. A Candidate event whose `code_status` is not "Clear" says
  in its description what UCDP has yet to check.
- **actors** for `side_a` and `side_b`, one per UCDP actor ID (`ucdp-actor-<id>`, external ID
  `ucdp-actor:<id>`, `gwno` in `codes`): "Government of …" is a state (country from its name);
  "Civilians" are civilians; "Supporters of …" and communities such as "Buddhists (Myanmar)"
  are groups (UCDP's informally organised non-state actors); any other side is an armed group.
  In one-sided violence side A is the perpetrator and side B the target; in state-based and
  non-state conflict both sides are participants, with "UCDP side A/B" as the note.
- **figures**, claimed by UCDP itself (the actor `ucdp`), since low/best/high are UCDP's own
  estimates over all its sources: a `killed` total `ucdp-ged-<id>-killed` with value = `best`,
  lower = `low`, upper = `high` (qualifier exact when the three agree, between otherwise), and
  four parts of it from the breakdown of the best estimate: `deaths_a` and `deaths_b`
  (counted_actor: the side), `deaths_civilians` (counted_group "civilians") and
  `deaths_unknown` (counted_group "persons of unknown status"). Unknown stays distinct from
  zero: an empty cell gives status unknown; a 0 gives status none (UCDP states that its best
  estimate has no deaths in that category); all three estimates 0 give a total with status
  none. The file's own sums hold: the sums of value, lower and upper (a missing bound read as
  the value) equal the sums of best, low and high. Where UCDP's estimates are not ordered
  (6 rows of GED 19.1), they are kept as given, with a note; the one case the model refuses,
  low above high, drops the bound that equals best (so the sums still hold) and says so.
- **sources**: each article of `source_article` ("Outlet,YYYY-MM-DD,Headline" entries, the
  form `source_office`, `source_date` and `source_headline` list separately), deduplicated on
  outlet, date and headline; older rows cite free text ("Burma Human Rights Yearbook 2000"),
  which becomes the headline. A record points to one source: the event to its first article,
  everything else (and events citing none) to the dataset itself as a source. The full list
  stays verbatim in the event's `codes.source_article`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path
from typing import Any

from schema.enums import (
    ActorKind,
    CoordinatePrecision,
    DatePrecision,
    EventSubType,
    EventType,
    ParticipationRole,
)
from schema.records import ActorRecord, DatasetInfo, EventRecord, SourceRecord
from seeds.importers.collect import Collector, Imported, slugify
from seeds.importers.countries import iso_from_alpha3, iso_from_name
from seeds.importers.reading import BytesRead, Cells, Problems, open_text, read_with_header
from seeds.importers.ucdp_articles import first_article
from seeds.importers.ucdp_columns import REQUIRED, UCDP_COLUMNS
from seeds.importers.ucdp_figures import UCDP, add_figures
from seeds.importers.ucdp_release import dataset_info, dataset_name

#: Columns a file must have to be read as UCDP GED.
REQUIRED_COLUMNS = REQUIRED

#: Columns holding whole numbers (kept as numbers in `codes`).
INTEGER_COLUMNS = frozenset(
    "id year active_year type_of_violence conflict_new_id dyad_new_id side_a_new_id "
    "side_b_new_id number_of_sources where_prec priogrid_gid country_id event_clarity "
    "date_prec deaths_a deaths_b deaths_civilians deaths_unknown low best high".split()
)

#: Columns held by record fields rather than `codes`.
_IN_FIELDS = frozenset(
    "latitude longitude adm_1 adm_2 where_coordinates date_start date_end source_office "
    "source_date source_headline".split()
)

_TYPES = {
    1: ("state-based", EventType.BATTLES, EventSubType.ARMED_CLASH),
    2: ("non-state", EventType.BATTLES, EventSubType.ARMED_CLASH),
    3: ("one-sided", EventType.VIOLENCE_AGAINST_CIVILIANS, EventSubType.ATTACK),
}
_DATE_PREC = {
    1: "1: the exact date is known",
    2: "2: a range of 2-6 days is known",
    3: "3: only the week is known",
    4: "4: a range of 8-30 days, or only the month, is known",
    5: "5: a range of more than a month, or only the year, is known",
}
_WHERE_PREC = {
    1: CoordinatePrecision.EXACT,
    2: CoordinatePrecision.NEAR,
    3: CoordinatePrecision.ADMIN2,
    4: CoordinatePrecision.ADMIN1,
    5: CoordinatePrecision.REGION,
    6: CoordinatePrecision.COUNTRY,
    7: CoordinatePrecision.INTERNATIONAL,
}
_COMMUNITY = re.compile(r"^[A-Z][\w-]*s \([^)]+\)$")
# R writes a missing value as NA; UCDP's Candidate files come with empty or NA estimates.
_MISSING = frozenset({"NA"})


def import_ucdp(
    path: Path, *, dataset: str | None = None, on_bytes: BytesRead | None = None
) -> Imported:
    """Read a UCDP GED CSV file into records of one dataset (see the module docstring)."""
    name = dataset or dataset_name(path)
    info = dataset_info(name, path)
    problems = Problems(str(path))
    collector = Collector(str(path), info, problems)
    own = _own_records(collector, info)
    rows = 0
    with open_text(path, on_bytes) as stream:
        for row in read_with_header(
            stream, delimiter=",", required=UCDP_COLUMNS, problems=problems
        ):
            rows += 1
            _map_row(Cells(row, problems, missing=_MISSING), collector, own)
    return collector.finish(rows)


def _own_records(collector: Collector, info: DatasetInfo) -> str:
    """The dataset as a source, and UCDP as the claimant of its figures; returns the source."""
    slug = collector.source(
        "dataset",
        1,
        lambda: SourceRecord(
            id=info.name,
            headline=info.title or info.name,
            outlet="Uppsala Conflict Data Program (UCDP), Uppsala University",
            url=info.url,
            licence=info.licence,
        ),
    )
    assert slug is not None
    collector.actor(
        ActorRecord(
            id=UCDP,
            name="Uppsala Conflict Data Program",
            aliases=["UCDP"],
            kind=ActorKind.ORGANISATION,
            country="SE",
            description="Compiles UCDP GED; its low, best and high estimates are the figures.",
            source=slug,
        ),
        1,
    )
    return slug


def _map_row(cells: Cells, collector: Collector, dataset_source: str) -> None:
    errors = len(collector.problems.errors)
    gid = cells.integer("id", required=True)
    kind = cells.integer("type_of_violence", required=True)
    if kind is not None and kind not in _TYPES:
        cells.error("type_of_violence", f"expected 1, 2 or 3, got {kind}")
    numbers = {column: cells.integer(column) for column in INTEGER_COLUMNS}
    for column in (
        "deaths_a",
        "deaths_b",
        "deaths_civilians",
        "deaths_unknown",
        "low",
        "best",
        "high",
    ):
        if (numbers[column] or 0) < 0:
            cells.error(column, f"a death count cannot be negative ({numbers[column]})")
    start = cells.date("date_start", required=True)
    end = cells.date("date_end")
    latitude = cells.number("latitude", low=-90, high=90)
    longitude = cells.number("longitude", low=-180, high=180)
    if len(collector.problems.errors) > errors or gid is None or kind is None or start is None:
        return
    line = cells.line
    slug = f"ucdp-ged-{gid}"
    label, event_type, sub_type = _TYPES[kind]
    sides = [_side(cells, side, kind, collector, dataset_source) for side in ("a", "b")]
    source = first_article(cells, collector) or dataset_source
    date = _date(start, end or start, numbers["date_prec"])
    place = cells.text("where_coordinates")
    event = collector.make(
        EventRecord,
        line,
        id=slug,
        title=f"{cells.text('dyad_name') or 'UCDP GED event'} ({label} violence), {place or '?'}",
        type=event_type,
        sub_type=sub_type,
        date=date,
        location=_location(cells, latitude, longitude, numbers["where_prec"]),
        description=_description(cells, label),
        participants=_participants(sides, kind),
        external_id=f"ucdp-ged:{gid}",
        codes=_codes(cells, numbers),
        source=source,
        locator=f"id {gid}",
    )
    collector.event(event, line)
    if event is not None:
        add_figures(cells, numbers, slug, sides, collector, dataset_source)


def _date(start: dt.date, end: dt.date, prec: int | None) -> dict[str, Any]:
    days = (end - start).days
    whole_month = (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )
    whole_year = start.year == end.year and (start.month, start.day, end.month, end.day) == (
        1,
        1,
        12,
        31,
    )
    precision = {
        1: DatePrecision.DAY,
        2: DatePrecision.RANGE,
        3: DatePrecision.WEEK if days <= 6 else DatePrecision.RANGE,
        4: DatePrecision.MONTH if whole_month else DatePrecision.RANGE,
        5: DatePrecision.YEAR if whole_year else DatePrecision.RANGE,
    }.get(prec or 0, DatePrecision.DAY if days == 0 else DatePrecision.RANGE)
    note = f"UCDP date_prec {_DATE_PREC[prec]}" if prec in _DATE_PREC else None
    # A one-day span is written as `start` alone, as an analyst would (and as exports do).
    return {
        "start": start,
        "end": end if end != start else None,
        "precision": precision,
        "note": note,
    }


def _location(
    cells: Cells, latitude: float | None, longitude: float | None, where_prec: int | None
) -> dict[str, Any] | None:
    country_name = cells.text("country")
    if country_name is None:
        return None
    country = iso_from_name(country_name)
    iso3 = cells.text("iso3")  # HDX's extracts add the country's code
    if country is None and iso3 is not None:
        country = iso_from_alpha3(iso3)
    if country is None:
        cells.warn("country", f"no ISO 3166 code known for {country_name!r}: no location kept")
        return None
    precision = _WHERE_PREC.get(where_prec or 0)
    has_point = latitude is not None and longitude is not None and precision is not None
    if latitude is not None and longitude is not None and precision is None:
        cells.warn("where_prec", "coordinates without a known where_prec are not kept")
    return {
        "country": country,
        "admin1": cells.text("adm_1"),
        "admin2": cells.text("adm_2"),
        "place": cells.text("where_coordinates"),
        "latitude": latitude if has_point else None,
        "longitude": longitude if has_point else None,
        "precision": precision if has_point else None,
    }


def _description(cells: Cells, label: str) -> str:
    parts = [f"UCDP GED {label} violence"]
    conflict = cells.text("conflict_name")
    if conflict:
        parts.append(f"in the conflict {conflict}")
    text = " ".join(parts) + "."
    status = cells.text("code_status")
    if status is not None and status.lower() != "clear":
        text += f" UCDP code status: {status} (a Candidate event UCDP has yet to check)."
    original = cells.text("source_original")
    if original:
        text += f" Original source: {' '.join(original.split())}."
    return text


def _codes(cells: Cells, numbers: dict[str, int | None]) -> dict[str, Any]:
    codes: dict[str, Any] = {}
    for column in cells.row.cells:
        if column in _IN_FIELDS or column == "geom_wkt":
            continue
        codes[column] = (
            numbers[column] if column in INTEGER_COLUMNS else _number_or_text(cells, column)
        )
    point = f"POINT ({cells.raw('longitude')} {cells.raw('latitude')})"
    if cells.raw("geom_wkt") not in (None, point):
        codes["geom_wkt"] = cells.raw("geom_wkt")
    return codes


def _number_or_text(cells: Cells, column: str) -> int | str | None:
    # gwnoa lists several governments ("2, 20") when a side is a coalition.
    value = cells.raw(column)
    return int(value) if value is not None and value.isdigit() else value


def _side(
    cells: Cells, side: str, kind: int, collector: Collector, dataset_source: str
) -> str | None:
    name = cells.text(f"side_{side}")
    if name is None:
        return None
    side_id = cells.integer(f"side_{side}_new_id")
    slug = f"ucdp-actor-{side_id}" if side_id is not None else f"ucdp-actor-{slugify(name)}"
    if collector.has_actor(slug):
        collector.alias(slug, name)
        return slug
    actor_kind, country = _actor_kind(name, side_id)
    record = collector.make(
        ActorRecord,
        cells.line,
        id=slug,
        name=name,
        kind=actor_kind,
        country=country,
        external_id=f"ucdp-actor:{side_id if side_id is not None else slugify(name)}",
        codes={"side_id": side_id, "gwno": _number_or_text(cells, f"gwno{side}")},
        source=dataset_source,
        locator=f"side id {side_id}" if side_id is not None else f"side {name}",
    )
    return collector.actor(record, cells.line)


def _actor_kind(name: str, side_id: int | None) -> tuple[ActorKind, str | None]:
    if name.startswith("Government of "):
        return ActorKind.STATE, iso_from_name(name.removeprefix("Government of "))
    if side_id == 1 or name == "Civilians":
        return ActorKind.CIVILIANS, None
    if name.startswith("Supporters of ") or _COMMUNITY.match(name):
        return ActorKind.GROUP, None
    return ActorKind.ARMED_GROUP, None


def _participants(sides: list[str | None], kind: int) -> list[dict[str, Any]]:
    roles = (
        (ParticipationRole.PERPETRATOR, ParticipationRole.TARGET)
        if kind == 3
        else (ParticipationRole.PARTICIPANT, ParticipationRole.PARTICIPANT)
    )
    found = [
        {"actor": slug, "role": role, "note": f"UCDP side {label}"}
        for slug, role, label in zip(sides, roles, ("A", "B"), strict=True)
        if slug is not None
    ]
    return sorted(found, key=lambda p: (p["actor"], p["role"].value))
