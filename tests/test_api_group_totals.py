"""The grouped totals the database adds up (`groups`, `schema.figure_totals`) equal those the
Python rule adds up (`totals(byClaimant: true)` and `eventql export totals`, both
`schema.figures.add_up`), on generated worlds with every kind of figure: parts several levels
deep, parts in other groups than their whole, alternative and conflicting estimates,
revisions, unknown, vague and open-ended figures, figures without a date."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventql.cli import app
from tests.api_support import open_api

runner = CliRunner()
WORLDS = range(4)
CLAIMANTS = ["ministry", "police", "ngo"]


def _reading(rng: random.Random) -> dict[str, Any]:
    n = rng.randint(1, 400)
    return rng.choice(
        [
            {"value": n},
            {"value": n, "qualifier": "about"},
            {"value": n, "qualifier": "about", "lower": max(n - 9, 0), "upper": n + 9},
            {"lower": n, "qualifier": "more_than"},
            {"lower": n, "qualifier": "at_least"},
            {"upper": n, "qualifier": "up_to"},
            {"lower": n, "upper": n + 50, "qualifier": "between"},
            {"status": "unknown"},
            {"status": "none"},
            {"raw": "dozens", "qualifier": "vague"},  # no number at all
        ]
    )


def generated_world(seed: int, *, ties_within: bool = False) -> dict[str, Any]:
    """Events and figures; with `ties_within`, a part or estimate has the event and claimant
    of the figure it is tied to (as in UCDP data), so totals prepared at load time answer
    (`schema.prepared_totals`); else ties cross events and claimants, and the rule does."""
    rng = random.Random(seed)
    events = []
    for i in range(8):
        month = rng.choice([1, 2])
        day = rng.randint(1, 20)
        date: dict[str, Any] = {"start": f"2022-{month:02d}-{day:02d}"}
        if rng.random() < 0.3:  # some ranges cross into the next month
            date = {"start": date["start"], "end": f"2022-{month + 1:02d}-05", "precision": "range"}
        events.append(
            {
                "id": f"e{i}",
                "title": f"Event {i}",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": date,
                "location": {"country": rng.choice(["KZ", "UZ"])},
            }
        )
    figures: list[dict[str, Any]] = []
    for i in range(40):
        figure: dict[str, Any] = {
            "id": f"f{i}",
            "event": rng.choice(events)["id"],
            "kind": rng.choice(["arrested", "killed"]),
            **_reading(rng),
        }
        if rng.random() < 0.7:
            figure["claimant"] = rng.choice(CLAIMANTS)
        if rng.random() < 0.6:
            figure["as_of"] = {"start": f"2022-01-{rng.randint(1, 28):02d}"}
        earlier = [f for f in figures if f["kind"] == figure["kind"]]
        roll = rng.random()
        if earlier and roll < 0.35:  # a part of an earlier figure (chains grow deep)
            figure["part_of"] = rng.choice(earlier)["id"]
        elif earlier and roll < 0.55:  # an estimate of an earlier quantity
            firsts = [f for f in earlier if "estimate_of" not in f and "part_of" not in f]
            first = rng.choice(firsts) if firsts else None
            if first is not None:
                figure["estimate_of"] = first["id"]
                figure["estimate_relation"] = rng.choice(["alternative", "revision", "conflicting"])
        tied = figure.get("part_of", figure.get("estimate_of"))
        if ties_within and tied is not None:
            other = next(f for f in figures if f["id"] == tied)
            figure["event"] = other["event"]
            figure.pop("claimant", None)
            if "claimant" in other:
                figure["claimant"] = other["claimant"]
        figures.append(figure)
    return {
        "dataset": f"generated-{seed}",
        "source": {"id": "wire", "headline": "Unrest", "published": {"start": "2022-03-01"}},
        "actors": [{"id": c, "name": c.title(), "kind": "state_body"} for c in CLAIMANTS],
        "events": events,
        "figures": figures,
    }


def _measures(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["low"],
        item["best"],
        item["high"],
        item["figureCount"],
        item["skippedPartCount"],
        item["mergedEstimateCount"],
        item["openEndedCount"],
        item["unknownCount"],
        item["unquantifiedCount"],
        item["smallestBest"],
        item["largestBest"],
    )


MEASURES = """low best high figureCount skippedPartCount mergedEstimateCount openEndedCount
              unknownCount unquantifiedCount smallestBest largestBest"""


@pytest.mark.parametrize("seed", WORLDS)
@pytest.mark.parametrize("filtered", ["all", "figures", "events", "event-fields"])
@pytest.mark.parametrize("ties_within", [False, True], ids=["ties-across", "ties-within"])
async def test_grouped_totals_equal_the_python_rule(
    database_url: str, tmp_path: Path, seed: int, filtered: str, ties_within: bool
) -> None:
    world = generated_world(seed, ties_within=ties_within)
    rng = random.Random(seed)
    figure_filter: dict[str, Any] = {}
    if filtered == "figures":
        # A third of the figures left out, wholes and first estimates among them, so parts
        # are counted and estimates are led by the earliest one selected.
        left_out = rng.sample([f["id"] for f in world["figures"]], 13)
        figure_filter = {"not": {"slug": {"in": left_out}}}
    elif filtered == "events":
        # The figures of some events only (and a kind): what prepared totals can select.
        kept = rng.sample([e["id"] for e in world["events"]], 5)
        figure_filter = {"event": {"slug": {"in": kept}}, "kind": {"in": ["ARRESTED", "KILLED"]}}
    elif filtered == "event-fields":
        # The figures of events by their date and place (read off prepared rows themselves).
        figure_filter = {
            "event": {
                "startDate": {"greaterThanOrEqualTo": "2022-01-10"},
                "or": [{"countryCode": {"equalTo": "KZ"}}, {"endDate": {"lessThan": "2022-02-01"}}],
            }
        }
    async with open_api(database_url, tmp_path, world) as api:
        # Totals that list their counted figures are added up in Python, figure by figure
        # (`schema.figures.add_up`): the reference. Without the list, and in `groups`, the
        # database adds them up (from prepared totals where it can).
        data = await api.data(
            f"""query ($filter: FigureFilter) {{ figures(filter: $filter) {{ aggregates {{
                 groups(by: [CLAIMANT], first: 100) {{
                   keys {{ claimant {{ slug }} kind unit }} {MEASURES} }}
                 totals(byClaimant: true, first: 100) {{
                   kind unit claimant {{ slug }} {MEASURES} figures(first: 1) {{ slug }} }}
                 summed: totals(byClaimant: true, first: 100) {{
                   kind unit claimant {{ slug }} {MEASURES} }}
                 overall: totals(first: 100) {{ kind unit {MEASURES} }}
                 overallInPython: totals(first: 100) {{
                   kind unit {MEASURES} figures(first: 1) {{ slug }} }} }} }} }}""",
            {"filter": figure_filter},
        )
    aggregates = data["figures"]["aggregates"]
    # Same totals, in the same order, whichever way they were added up.
    for in_database, in_rule in [("summed", "totals"), ("overall", "overallInPython")]:
        assert [_measures(t) for t in aggregates[in_database]] == [
            _measures(t) for t in aggregates[in_rule]
        ]
    in_sql = {
        (
            (g["keys"]["claimant"] or {}).get("slug"),
            g["keys"]["kind"],
            g["keys"]["unit"],
        ): _measures(g)
        for g in aggregates["groups"]
    }
    in_python = {
        ((t["claimant"] or {}).get("slug"), t["kind"], t["unit"]): _measures(t)
        for t in aggregates["totals"]
    }
    assert in_sql == in_python
    assert len(in_sql) >= 3  # the world is not degenerate


@pytest.mark.parametrize("seed", WORLDS)
@pytest.mark.parametrize("ties_within", [False, True], ids=["ties-across", "ties-within"])
async def test_grouped_totals_equal_the_grouped_export(
    database_url: str, tmp_path: Path, seed: int, ties_within: bool
) -> None:
    world = generated_world(seed, ties_within=ties_within)
    async with open_api(database_url, tmp_path, world) as api:
        data = await api.data(
            f"""{{ figures {{ aggregates {{ groups(by: [COUNTRY, MONTH], first: 100) {{
                 keys {{ countryCode periodStart spansPeriods kind unit }} {MEASURES} }} }} }} }}"""
        )
    exported = runner.invoke(
        app, ["export", "totals", "--group-by", "country,month", "--database-url", database_url]
    )
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    from_csv = {
        (
            row["country"],
            row["month"] or None,
            row["spans_periods"] == "true",
            row["kind"].upper(),
        ): (
            int(row["low"]),
            int(row["best"]),
            int(row["high"]) if row["high"] else None,
            int(row["figures"]),
            int(row["skipped_parts"]),
        )
        for row in rows
    }
    from_api = {
        (
            g["keys"]["countryCode"],
            g["keys"]["periodStart"][:7] if g["keys"]["periodStart"] else None,
            g["keys"]["spansPeriods"],
            g["keys"]["kind"],
        ): (g["low"], g["best"], g["high"], g["figureCount"], g["skippedPartCount"])
        for g in data["figures"]["aggregates"]["groups"]
    }
    assert from_api == from_csv


def chain_world() -> dict[str, Any]:
    """A whole, a part of it whose number is unknown, and a part of that part."""
    world = generated_world(0)
    world["figures"] = [
        {"id": "whole", "event": "e0", "kind": "arrested", "value": 100},
        {
            "id": "middle",
            "event": "e0",
            "kind": "arrested",
            "status": "unknown",
            "part_of": "whole",
        },
        {"id": "leaf", "event": "e0", "kind": "arrested", "value": 30, "part_of": "middle"},
    ]
    return world


@pytest.mark.parametrize(
    ("left_out", "best", "skipped"),
    [
        ([], 100, 1),  # the leaf is inside the whole, two steps up through an unknown figure
        (["middle"], 100, 1),  # ... and through a figure the filter leaves out
        (["whole"], 30, 0),  # without the whole, the leaf counts (the middle adds nothing)
    ],
)
async def test_a_part_two_steps_below_a_counted_whole_is_skipped(
    database_url: str, tmp_path: Path, left_out: list[str], best: int, skipped: int
) -> None:
    async with open_api(database_url, tmp_path, chain_world()) as api:
        data = await api.data(
            """query ($out: [String!]!) { figures(filter: {not: {slug: {in: $out}}}) {
                 aggregates { groups(by: [COUNTRY]) { best skippedPartCount unknownCount }
                              totals { best skippedPartCount } } } }""",
            {"out": left_out},
        )
    aggregates = data["figures"]["aggregates"]
    (group,) = aggregates["groups"]
    assert (group["best"], group["skippedPartCount"]) == (best, skipped)
    assert aggregates["totals"] == [{"best": best, "skippedPartCount": skipped}]
