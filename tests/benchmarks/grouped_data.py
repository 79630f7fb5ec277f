"""The grouped workload's data: the API benchmark's synthetic events, reshaped like UCDP GED.

`ucdp_seed(n)` starts from `tests.seed_helpers.varied_seed(n)` (its sources, actors, events,
participants, statements and links) and changes what grouped totals read:

- each event is in one of six countries, dated over 2019-2022; one in ten is a range that
  crosses a month boundary, one in fifty a range across New Year, one in thirty is known to
  the month and one in a hundred `covers` a week (open: in no one period);
- each event has a `killed` total claimed by UCDP (low/best/high, qualifier `between` or
  `exact`, status `none` for a real zero) and its four parts, `part_of` the total, as
  `seeds.importers.ucdp_figures` makes them: side A's and side B's deaths (`counted_actor`:
  the event's responder and its crowd), civilians' and unknown persons' (`counted_group`);
- one event in four has an `arrested` figure from one of three claimants (about, more than,
  exact); one in eight a rival claimant's figure too; one in twelve a part of the first
  ("of whom N at the border"), same claimant.

Per 100,000 events: about 540,000 figures, about 1,000,000 rows in all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from seeds.casualty_parts import DEATHS_PARTS
from tests.seed_helpers import varied_seed, write_json

#: The countries events happen in (UCDP's busiest, as ISO 3166-1 codes).
COUNTRIES = ("AF", "SY", "SO", "NG", "MM", "UA")
#: The claimant of every death toll (as in the UCDP importer).
UCDP = "ucdp"
#: The claimants of arrest figures.
ARREST_CLAIMANTS = ("interior-ministry", "rights-group", "news-agency")
#: The year the arrests query looks at.
ARRESTS_YEAR = 2021


def _date(i: int, day: dt.date) -> dict[str, Any]:
    """Event `i`'s date: mostly one day, some ranges across a month or a year, some open."""
    if i % 50 == 7 and day.year < 2022:
        return {
            "start": dt.date(day.year, 12, 29).isoformat(),
            "end": dt.date(day.year + 1, 1, 2).isoformat(),
            "precision": "range",
        }
    if i % 10 == 3:
        # Starts in the last week of its month: always crosses into the next.
        start = day.replace(day=24)
        return {
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=10)).isoformat(),
            "precision": "range",
        }
    if i % 30 == 17:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return {"start": first.isoformat(), "end": last.isoformat(), "precision": "month"}
    if i % 100 == 41:
        return {
            "start": day.isoformat(),
            "end": (day + dt.timedelta(days=6)).isoformat(),
            "precision": "covers",
        }
    return {"start": day.isoformat()}


def _deaths(i: int, event: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """Event `i`'s death toll and its four parts (UCDP's importer's shape)."""
    parts = [(i * 7) % 11, (i * 3) % 5, (i * 5) % 9 if i % 4 else 0, i % 3]
    best = sum(parts)
    low, high = max(0, best - i % 4), best + (i * 11) % 6
    total = f"{event['id']}-killed"
    common = {"event": event["id"], "kind": "killed", "claimant": UCDP, "source": source}
    status = "none" if low == best == high == 0 else "value"
    figures = [
        {
            "id": total,
            "status": status,
            "qualifier": "exact" if low == best == high else "between",
            "value": best,
            "lower": low,
            "upper": high,
            "locator": f"line {i + 2}, columns low, best, high",
            **common,
        }
    ]
    responder, crowd = (p["actor"] for p in event["participants"][1::-1])
    sides = (responder, crowd)
    for part, count in zip(DEATHS_PARTS, parts, strict=True):
        figures.append(
            {
                "id": f"{total}-{part.suffix}",
                "status": "none" if count == 0 else "value",
                "value": count,
                "part_of": total,
                "counted_actor": None if part.side is None else sides[part.side],
                "counted_group": part.group,
                "note": "Part of UCDP's best estimate.",
                "locator": f"line {i + 2}, column {part.column}",
                **common,
            }
        )
    return figures


def _arrests(i: int, event: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """Event `i`'s arrest figures (one event in four has any, some of them dated across
    periods)."""
    if i % 4 != 1:
        return []
    slug = event["id"]
    claimant = ARREST_CLAIMANTS[(i // 4) % 3]
    number = 20 + (i * 17) % 480
    first: dict[str, Any] = {
        "id": f"{slug}-arrested",
        "event": slug,
        "kind": "arrested",
        "claimant": claimant,
        "source": source,
    }
    match (i // 12) % 3:  # each claimant's figures in turn
        case 0:
            first.update(value=number, qualifier="about", raw=f"about {number} people")
        case 1:
            first.update(lower=number, qualifier="more_than", raw=f"more than {number} people")
        case _:
            first.update(value=number, qualifier="exact", raw=f"{number} people")
    figures = [first]
    if i % 8 == 1:
        rival = ARREST_CLAIMANTS[((i // 4) + 1) % 3]
        figures.append(
            {
                "id": f"{slug}-arrested-rival",
                "event": slug,
                "kind": "arrested",
                "claimant": rival,
                "value": number // 2,
                "qualifier": "exact",
                "source": source,
            }
        )
    if i % 12 == 1:
        figures.append(
            {
                "id": f"{slug}-arrested-border",
                "event": slug,
                "kind": "arrested",
                "claimant": claimant,
                "value": number // 10,
                "qualifier": "about",
                "part_of": first["id"],
                "source": source,
            }
        )
    return figures


def ucdp_seed(n_events: int, *, dataset: str = "bench") -> dict[str, Any]:
    """The grouped workload's seed file (see the module docstring)."""
    data = varied_seed(n_events, dataset=dataset)
    first_source = data["sources"][0]["id"]
    data["actors"] += [
        {"id": UCDP, "name": "UCDP", "kind": "organisation", "source": first_source},
        *(
            {"id": slug, "name": slug.replace("-", " ").title(), "kind": kind, "country": "AF"}
            | {"source": first_source}
            for slug, kind in zip(
                ARREST_CLAIMANTS, ("state_body", "organisation", "organisation"), strict=True
            )
        ),
    ]
    figures: list[dict[str, Any]] = []
    for i, event in enumerate(data["events"]):
        event["location"]["country"] = COUNTRIES[(i // 3) % len(COUNTRIES)]
        event["date"] = _date(i, dt.date.fromisoformat(event["date"]["start"]))
        figures += _deaths(i, event, event["source"])
        figures += _arrests(i, event, event["source"])
    data["figures"] = figures
    return data


def seed_file(folder: Path, events: int) -> Path:
    """Write the grouped workload's dataset of `events` events as a JSON seed file."""
    return write_json(folder / f"grouped-{events}.json", ucdp_seed(events))
