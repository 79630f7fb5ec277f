"""The README's example questions: each is one query over the bundled Kazakhstan seed records."""

from __future__ import annotations

from pathlib import Path

from schema.db import create_sync_engine
from seeds import bundled_seed_paths, load_seeds
from tests.api_support import open_api

WHO_REPORTED_ARRESTS = """
# Who reported the arrest figures, and when?
{
  figures(
    filter: { kind: { in: [ARRESTED, DETAINED] } }
    orderBy: [{ field: BEST, direction: DESC }]
  ) {
    nodes {
      raw
      qualifier
      low
      best
      high
      claimant { name title }
      statement { date { start end precision note } }
      partOf { raw }
      evidence { text }
    }
  }
}
"""

GOVERNMENT_ON_THE_UNREST = """
# What did the government say about the unrest?
{
  statements(
    filter: {
      speaker: { countryCode: { equalTo: "KZ" } }
      aboutEvent: { date: { greaterThanOrEqualTo: "2022-01-04", lessThanOrEqualTo: "2022-01-08" } }
    }
  ) {
    totalCount
    nodes {
      date { start end precision }
      kind
      mode
      text
      speaker { name title }
      aboutEvents { title }
    }
  }
}
"""

ALMATY_4_TO_10_JANUARY = """
# What happened in Almaty between 4 and 10 January?
{
  events(
    filter: {
      place: { includesInsensitive: "almaty" }
      date: { greaterThanOrEqualTo: "2022-01-04", lessThanOrEqualTo: "2022-01-10" }
    }
  ) {
    totalCount
    nodes {
      title
      type
      subType
      date { start end precision }
      location { place }
      participants { role actor { name } }
      figures { nodes { raw } }
    }
  }
}
"""

DETAINED_ACCORDING_TO_WHOM = """
# How many were detained, according to whom?
{
  figures(filter: { kind: { in: [ARRESTED, DETAINED] } }) {
    aggregates {
      byClaimant: totals(byClaimant: true) {
        kind
        claimant { name }
        low
        best
        high
        figures { raw }
      }
      overall: totals {
        kind
        low
        best
        high
        figureCount
        skippedPartCount
        figures { raw claimant { name } }
      }
    }
  }
}
"""


def _seed(url: str) -> None:
    engine = create_sync_engine(url)
    try:
        load_seeds(bundled_seed_paths(), engine=engine)
    finally:
        engine.dispose()


async def test_readme_who_reported_the_arrest_figures_and_when(
    database_url: str, tmp_path: Path
) -> None:
    _seed(database_url)
    async with open_api(database_url, tmp_path) as api:
        data = await api.data(WHO_REPORTED_ARRESTS)
    figures = data["figures"]["nodes"]
    assert [(f["raw"], f["claimant"]["name"]) for f in figures] == [
        ("more than 5,100 people", "Ministry of Interior of Kazakhstan"),
        ("about 300 people", "Yerlan Turgumbayev"),
    ]
    assert figures[0]["statement"]["date"]["start"] == "2022-01-09"
    assert figures[1]["partOf"] == {"raw": "more than 5,100 people"}


async def test_readme_what_the_government_said_about_the_unrest(
    database_url: str, tmp_path: Path
) -> None:
    _seed(database_url)
    async with open_api(database_url, tmp_path) as api:
        data = await api.data(GOVERNMENT_ON_THE_UNREST)
    statements = data["statements"]["nodes"]
    assert data["statements"]["totalCount"] == len(statements) == 7
    assert any("hybrid terrorist attack" in s["text"] for s in statements)
    assert {s["speaker"]["name"] for s in statements} == {
        "Yerlan Turgumbayev",
        "Minister of Foreign Affairs of Kazakhstan",
        "Ministry of Interior of Kazakhstan",
        "National Security Committee of Kazakhstan",
    }


async def test_readme_what_happened_in_almaty_between_4_and_10_january(
    database_url: str, tmp_path: Path
) -> None:
    _seed(database_url)
    async with open_api(database_url, tmp_path) as api:
        data = await api.data(ALMATY_4_TO_10_JANUARY)
    titles = [e["title"] for e in data["events"]["nodes"]]
    assert data["events"]["totalCount"] == 6
    assert "State of emergency in Almaty" in titles
    assert all("almaty" in e["location"]["place"].lower() for e in data["events"]["nodes"])


async def test_readme_how_many_were_detained_according_to_whom(
    database_url: str, tmp_path: Path
) -> None:
    _seed(database_url)
    async with open_api(database_url, tmp_path) as api:
        data = await api.data(DETAINED_ACCORDING_TO_WHOM)
    aggregates = data["figures"]["aggregates"]
    assert [(t["claimant"]["name"], t["best"]) for t in aggregates["byClaimant"]] == [
        ("Ministry of Interior of Kazakhstan", 5100),
        ("Yerlan Turgumbayev", 300),
    ]
    overall = aggregates["overall"]
    assert [(t["kind"], t["best"], t["high"], t["skippedPartCount"]) for t in overall] == [
        ("ARRESTED", 5100, None, 1)
    ]
