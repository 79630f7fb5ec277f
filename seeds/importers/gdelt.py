"""GDELT event exports as eventql records: events, CAMEO actors, action locations, source URLs.

Each row (see `seeds.importers.gdelt_table` for the layouts read) becomes:

- an **event** `gdelt-<GLOBALEVENTID>` (external ID `gdelt:<GLOBALEVENTID>`), typed from its
  CAMEO code by the table in `seeds.importers.cameo`, titled with the CAMEO name and the two
  actors' names ("Consult: THE EU → BELARUS"), dated `SQLDATE` (day precision: GDELT's date for
  the event, often the report's own date). Its location is the action geography: the FIPS
  country code as ISO (`seeds.importers.fips`), and from `ActionGeo_FullName` the place
  ("City, Admin1, Country") and admin1, with `ActionGeo_Type` as the coordinates' precision:
  1 country → country, 2 US state and 5 world state → admin1, 3 US city and 4 world city →
  settlement. Every other non-empty column (CAMEO codes, QuadClass, GoldsteinScale, mention
  and article counts, AvgTone, each actor's codes and names as coded in this row, the actor
  geographies, FIPS and ADM codes, feature IDs, DATEADDED) is kept in `codes` under its
  codebook name; only the columns held by record fields (SQLDATE and its derivatives
  MonthYear, Year, FractionDate; ActionGeo_Lat/Long; SOURCEURL) are not repeated there.
- **actors** for Actor1 and Actor2, one per distinct (CAMEO actor code, name) — GDELT's only
  identity for an actor, so "POLICE" coded `COP` is one actor over all events (its CAMEO
  codes in `codes`, its country from the CAMEO country code). The kind comes from the CAMEO
  type codes: GOV, JUD, LEG state body; COP, MIL, SPY security force; REB, INS, SEP, UAF armed
  group; IGO international organisation; CVL civilians; BUS, MNC, MED, EDU, HLH, LAB, NGO,
  NGM, HRI, ENV, DEV organisation; a bare country code (`USA`) a state; anything else a group.
  Roles: Actor1 perpetrator in material conflict (CAMEO roots 15-20), participant otherwise;
  Actor2 target.
- a **source** per distinct `SOURCEURL`: the URL is the headline too (GDELT gives no title),
  and its host the outlet. Actors, and events without a URL, cite the export itself.

GDELT has no casualty or crowd-size fields, so no figures are made; its numeric measures
stay in `codes`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from schema.enums import ActorKind, CoordinatePrecision, DatePrecision, ParticipationRole
from schema.records import ActorRecord, DatasetInfo, EventRecord, SourceRecord
from seeds.importers.cameo import actor1_role, classify, event_name
from seeds.importers.collect import Collector, Imported, short_hash, slugify
from seeds.importers.countries import iso_from_alpha3, iso_from_fips
from seeds.importers.gdelt_table import read_gdelt_rows
from seeds.importers.reading import BytesRead, Cells, Problems, open_text

_STAMP = re.compile(r"(?<!\d)(\d{14}|\d{8})(?!\d)")
_IN_FIELDS = frozenset(
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate ActionGeo_Lat ActionGeo_Long "
    "SOURCEURL".split()
)
_INTEGERS = frozenset(
    "IsRootEvent QuadClass NumMentions NumSources NumArticles Actor1Geo_Type Actor2Geo_Type "
    "ActionGeo_Type".split()
)
_NUMBERS = frozenset(
    "GoldsteinScale AvgTone Actor1Geo_Lat Actor1Geo_Long Actor2Geo_Lat Actor2Geo_Long".split()
)
_KINDS = {
    **dict.fromkeys(("GOV", "JUD", "LEG"), ActorKind.STATE_BODY),
    **dict.fromkeys(("COP", "MIL", "SPY"), ActorKind.SECURITY_FORCE),
    **dict.fromkeys(("REB", "INS", "SEP", "UAF"), ActorKind.ARMED_GROUP),
    "IGO": ActorKind.INTERNATIONAL_ORGANISATION,
    "CVL": ActorKind.CIVILIANS,
    **dict.fromkeys("BUS MNC MED EDU HLH LAB NGO NGM HRI ENV DEV".split(), ActorKind.ORGANISATION),
}
_PRECISION = {
    1: CoordinatePrecision.COUNTRY,
    2: CoordinatePrecision.ADMIN1,
    3: CoordinatePrecision.SETTLEMENT,
    4: CoordinatePrecision.SETTLEMENT,
    5: CoordinatePrecision.ADMIN1,
}
LICENCE = (
    "GDELT terms: unlimited and unrestricted use; may be redistributed, provided the GDELT "
    "Project is cited and linked (https://www.gdeltproject.org/)."
)


def dataset_name(path: Path) -> str:
    """The dataset an import of `path` goes into: `gdelt-2.0-events-20191024143000`."""
    match = _STAMP.search(path.name)
    if match is None:
        return f"gdelt-events-{slugify(path.stem) or 'import'}"
    stamp = match.group(1)
    return f"gdelt-{'2.0' if len(stamp) == 14 else '1.0'}-events-{stamp}"


def _dataset_info(name: str, path: Path) -> DatasetInfo:
    return DatasetInfo(
        name=name,
        title=f"GDELT Event Database: {path.name}",
        description=f"Imported by eventql from {path.name}.",
        licence=LICENCE,
        citation="Leetaru, Kalev and Philip Schrodt (2013). GDELT: Global Data on Events, "
        "Location and Tone, 1979-2012. ISA Annual Convention. https://www.gdeltproject.org/",
        url="https://www.gdeltproject.org/",
    )


def import_gdelt(
    path: Path, *, dataset: str | None = None, on_bytes: BytesRead | None = None
) -> Imported:
    """Read a GDELT event file into records of one dataset (see the module docstring)."""
    name = dataset or dataset_name(path)
    info = _dataset_info(name, path)
    problems = Problems(str(path))
    collector = Collector(str(path), info, problems)
    export = collector.source("dataset", 1, lambda: _export_source(info, path))
    assert export is not None
    rows = 0
    with open_text(path, on_bytes) as stream:
        for row in read_gdelt_rows(stream, problems):
            rows += 1
            _map_row(Cells(row, problems), collector, export)
    if rows == 0 and not problems.errors:
        problems.error(None, None, "no GDELT event rows found")
    return collector.finish(rows)


def _export_source(info: DatasetInfo, path: Path) -> SourceRecord:
    match = _STAMP.search(path.name)
    published = None
    url = info.url
    if match is not None:
        stamp = match.group(1)
        day = dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        published = {"start": day}
        if len(stamp) == 14:
            url = f"http://data.gdeltproject.org/gdeltv2/{stamp}.export.CSV.zip"
    return SourceRecord(
        id=info.name,
        headline=info.title or info.name,
        outlet="The GDELT Project",
        published=published,
        url=url,
        licence=LICENCE,
    )


def _map_row(cells: Cells, collector: Collector, export: str) -> None:
    errors = len(collector.problems.errors)
    gid = cells.integer("GLOBALEVENTID", required=True)
    day = cells.date("SQLDATE", required=True)
    code = cells.text("EventCode")
    if code is None:
        cells.error("EventCode", "required value is missing")
    numbers: dict[str, float | int | None] = {column: cells.integer(column) for column in _INTEGERS}
    numbers.update({column: cells.number(column) for column in _NUMBERS})
    latitude = cells.number("ActionGeo_Lat", low=-90, high=90)
    longitude = cells.number("ActionGeo_Long", low=-180, high=180)
    if len(collector.problems.errors) > errors or gid is None or day is None or code is None:
        return
    line = cells.line
    root = cells.text("EventRootCode") or code[:2]
    event_type, sub_type = classify(code, root)
    actors = [_actor(cells, n, collector, export) for n in (1, 2)]
    names = [cells.text(f"Actor{n}Name") or cells.text(f"Actor{n}Code") for n in (1, 2)]
    title = event_name(code) or f"CAMEO {code}"
    if names[0] or names[1]:
        title += f": {names[0] or '?'}" + (f" → {names[1]}" if names[1] else "")
    participants = [
        {"actor": slug, "role": role}
        for slug, role in zip(actors, (actor1_role(root), ParticipationRole.TARGET), strict=True)
        if slug is not None
    ]
    event = collector.make(
        EventRecord,
        line,
        id=f"gdelt-{gid}",
        title=title,
        type=event_type,
        sub_type=sub_type,
        date={"start": day, "precision": DatePrecision.DAY},
        location=_location(cells, latitude, longitude, numbers["ActionGeo_Type"]),
        participants=sorted(participants, key=lambda p: (p["actor"], p["role"].value)),
        external_id=f"gdelt:{gid}",
        codes=_codes(cells, numbers),
        source=_article(cells, collector) or export,
        locator=f"GLOBALEVENTID {gid}",
    )
    collector.event(event, line)


def _codes(cells: Cells, numbers: dict[str, Any]) -> dict[str, Any]:
    codes: dict[str, Any] = {}
    for column in cells.row.cells:
        if column in _IN_FIELDS:
            continue
        value = numbers[column] if column in numbers else cells.text(column)
        if value is not None:
            codes[column] = value
    return codes


def _location(
    cells: Cells, latitude: float | None, longitude: float | None, geo_type: Any
) -> dict[str, Any] | None:
    fips = cells.text("ActionGeo_CountryCode")
    if fips is None:
        return None
    country = iso_from_fips(fips)
    if country is None:
        cells.warn("ActionGeo_CountryCode", f"no ISO country for FIPS code {fips!r}: no location")
        return None
    parts = [part.strip() for part in (cells.text("ActionGeo_FullName") or "").split(",")]
    place = admin1 = None
    if geo_type in (3, 4):
        place = parts[0] or None
        admin1 = ", ".join(parts[1:-1]) or None
    elif geo_type in (2, 5):
        admin1 = parts[0] or None
    if admin1 is not None and admin1.endswith("(general)"):
        admin1 = None  # GDELT's filler for "somewhere in this country"
    precision = _PRECISION.get(geo_type) if isinstance(geo_type, int) else None
    point = latitude is not None and longitude is not None and precision is not None
    return {
        "country": country,
        "admin1": admin1,
        "place": place,
        "latitude": latitude if point else None,
        "longitude": longitude if point else None,
        "precision": precision if point else None,
    }


def _actor(cells: Cells, n: int, collector: Collector, export: str) -> str | None:
    code = cells.text(f"Actor{n}Code")
    name = cells.text(f"Actor{n}Name")
    if code is None and name is None:
        return None
    key = f"{code or ''}:{name or ''}"
    slug = collector.actor_slug(key, _actor_slug(code, name))
    if collector.has_actor(slug):
        return slug
    codes = {
        column: value
        for column in ("Code", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code")
        + ("Religion2Code", "Type1Code", "Type2Code", "Type3Code")
        if (value := cells.text(f"Actor{n}{column}")) is not None
    }
    country_code = cells.text(f"Actor{n}CountryCode")
    record = collector.make(
        ActorRecord,
        cells.line,
        id=slug,
        name=name or code,
        kind=_kind(codes),
        country=iso_from_alpha3(country_code) if country_code else None,
        external_id=f"gdelt-actor:{key}",
        codes=codes,
        source=export,
        locator=f"actor code {code}" if code else f"actor name {name}",
    )
    return collector.actor(record, cells.line)


def _actor_slug(code: str | None, name: str | None) -> str:
    parts = [slugify(code or "", limit=30), slugify(name or "", limit=60)]
    return "gdelt-actor-" + "-".join(part for part in parts if part) if any(parts) else ""


def _kind(codes: dict[str, str]) -> ActorKind:
    for column in ("Type1Code", "Type2Code", "Type3Code"):
        kind = _KINDS.get(codes.get(column, ""))
        if kind is not None:
            return kind
    code = codes.get("Code", "")
    if len(code) == 3 and iso_from_alpha3(code) is not None:
        return ActorKind.STATE
    return ActorKind.GROUP


def _article(cells: Cells, collector: Collector) -> str | None:
    url = cells.text("SOURCEURL")
    if url is None:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.") or None
    return collector.source(
        url,
        cells.line,
        lambda: collector.make(
            SourceRecord,
            cells.line,
            id=f"gdelt-src-{short_hash(url, size=8)}",
            headline=url,
            outlet=host,
            url=url,
        ),
    )
