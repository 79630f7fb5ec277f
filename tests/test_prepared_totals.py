"""Totals prepared at load time (`schema.prepared_totals`) follow every reseed: an edited
figure, a removed one, and a new tie across events (after which the rule answers) give the
same totals as the rule over the figures, in the same request."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.api_support import load, open_api
from tests.test_api_group_totals import MEASURES, _measures, generated_world

# `groups` and `totals` without their counted figures read prepared totals; `totals` listing
# its counted figures adds them up figure by figure: the reference.
QUERY = f"""{{ figures {{ aggregates {{
  groups(by: [COUNTRY, MONTH], first: 100) {{
    keys {{ countryCode periodStart spansPeriods kind unit }} {MEASURES} }}
  byClaimant: groups(by: [CLAIMANT], first: 100) {{
    keys {{ claimant {{ slug }} kind }} {MEASURES} }}
  summed: totals(byClaimant: true, first: 100) {{ kind claimant {{ slug }} {MEASURES} }}
  rule: totals(byClaimant: true, first: 100) {{
    kind claimant {{ slug }} {MEASURES} figures(first: 1) {{ slug }} }} }} }} }}"""


async def _answer(url: str, folder: Path) -> dict[str, Any]:
    async with open_api(url, folder) as api:
        aggregates: dict[str, Any] = (await api.data(QUERY))["figures"]["aggregates"]
    assert [_measures(t) for t in aggregates["summed"]] == [
        _measures(t) for t in aggregates["rule"]
    ]
    by_claimant = {
        ((g["keys"]["claimant"] or {}).get("slug"), g["keys"]["kind"]): _measures(g)
        for g in aggregates["byClaimant"]
    }
    assert by_claimant == {
        ((t["claimant"] or {}).get("slug"), t["kind"]): _measures(t) for t in aggregates["rule"]
    }
    return aggregates


def _numbered(world: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in world["figures"] if "value" in f and "status" not in f]


async def test_prepared_totals_follow_reseeds(database_url: str, tmp_path: Path) -> None:
    world = generated_world(1, ties_within=True)
    load(database_url, tmp_path, world)
    first = await _answer(database_url, tmp_path)

    edited = copy.deepcopy(world)
    figure = _numbered(edited)[0]
    figure["value"] += 1000
    load(database_url, tmp_path, edited)
    after_edit = await _answer(database_url, tmp_path)
    assert after_edit["groups"] != first["groups"]
    assert sum(g["largestBest"] or 0 for g in after_edit["groups"]) > sum(
        g["largestBest"] or 0 for g in first["groups"]
    )

    # A figure removed, and a part tied to a whole of another event: prepared totals can no
    # longer add that event up alone, and the rule answers instead — with the same numbers.
    reshaped = copy.deepcopy(edited)
    removed = reshaped["figures"].pop()
    wholes = [f for f in _numbered(reshaped) if "part_of" not in f and "estimate_of" not in f]
    whole = wholes[0]
    other_event = next(e["id"] for e in reshaped["events"] if e["id"] != whole["event"])
    reshaped["figures"].append(
        {"id": "tied-across", "event": other_event, "kind": whole["kind"], "value": 7}
        | {"part_of": whole["id"]}
    )
    load(database_url, tmp_path, reshaped)
    after_reshape = await _answer(database_url, tmp_path)
    slugs = {f["id"] for f in reshaped["figures"]}
    assert removed["id"] not in slugs and "tied-across" in slugs
    assert after_reshape["groups"] != after_edit["groups"]

    # Back to the first files: the first answer again.
    load(database_url, tmp_path, world)
    assert await _answer(database_url, tmp_path) == first
