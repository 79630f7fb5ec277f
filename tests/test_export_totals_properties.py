"""Generated worlds: the CSV's `_counted_` columns sum to the API's totals, whatever the figures.

Hypothesis builds small datasets of events and figures — exact numbers, open-ended and ranged
claims, unknown and none; parts of other figures (on the same event or another, of the same
kind or not); alternative, conflicting and revised estimates of a quantity across events — and
an event filter. Each world is seeded, exported as CSV (in batches of one to three events, so
figures are counted on other batches' rows) and asked for the API's figure totals over the
same events; each kind's column sums must equal the API's low, best and high. SQLite only: the
rule and the export are the same code on both databases, which the other export tests run.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema.db import create_sync_engine
from seeds import load_seeds
from seeds.exporters import Selection, csv_chunks, flat
from tests.harness import app_client, make_app

_EVENTS = 5
_KINDS = ("arrested", "killed")


@st.composite
def _figures(draw: st.DrawFn) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for index in range(draw(st.integers(1, 9))):
        figure: dict[str, Any] = {
            "id": f"f{index}",
            "event": f"e{draw(st.integers(0, _EVENTS - 1))}",
            "kind": draw(st.sampled_from(_KINDS)),
        }
        day = draw(st.none() | st.integers(1, 28))
        if day is not None:
            figure["as_of"] = {"start": f"2022-01-{day:02}"}
        shape = draw(st.sampled_from(["exact", "more_than", "between", "unknown", "none"]))
        low = draw(st.integers(0, 50))
        if shape == "exact":
            figure |= {"value": low, "qualifier": "exact"}
        elif shape == "more_than":
            figure |= {"lower": low, "qualifier": "more_than"}
        elif shape == "between":
            figure |= {
                "lower": low,
                "upper": low + draw(st.integers(0, 20)),
                "qualifier": "between",
            }
        else:
            figure["status"] = shape
        firsts = [f for f in figures if "estimate_of" not in f and f["kind"] == figure["kind"]]
        link = draw(st.sampled_from(["none", "part_of", "estimate_of"]))
        if link == "part_of" and figures:
            figure["part_of"] = draw(st.sampled_from(figures))["id"]
        elif link == "estimate_of" and firsts:
            figure["estimate_of"] = draw(st.sampled_from(firsts))["id"]
            figure["estimate_relation"] = draw(
                st.sampled_from(["alternative", "conflicting", "revision"])
            )
        figures.append(figure)
    return figures


def _world(figures: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "dataset": {"name": "generated"},
        "source": {"id": "report", "headline": "Generated"},
        "events": [
            {
                "id": f"e{i}",
                "title": f"Event {i}",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": {"start": f"2022-01-0{i + 1}"},
            }
            for i in range(_EVENTS)
        ],
        "figures": figures,
    }


def _sums(rows: list[dict[str, str]], prefix: str) -> tuple[int, int, int | None]:
    def column(name: str) -> list[str]:
        return [row[f"{prefix}_counted_{name}"] for row in rows]

    open_ended = any(
        best and not high for best, high in zip(column("best"), column("high"), strict=True)
    )
    high = sum(int(cell or 0) for cell in column("high"))
    return (
        sum(int(cell or 0) for cell in column("low")),
        sum(int(cell or 0) for cell in column("best")),
        None if open_ended else high,
    )


async def _api_totals(url: str, event_filter: dict[str, Any]) -> list[dict[str, Any]]:
    query = """query($f: FigureFilter) { figures(filter: $f, first: 1) {
                 aggregates { totals { kind unit low best high } } } }"""
    async with app_client(make_app(url)) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"f": {"event": event_filter}}}
        )
    body = response.json()
    assert "errors" not in body, body
    return list(body["data"]["figures"]["aggregates"]["totals"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    figures=_figures(),
    kept=st.sets(st.integers(0, _EVENTS - 1), min_size=1),
    batch_size=st.integers(1, 3),
)
async def test_export_counted_columns_sum_to_the_api_totals_on_generated_worlds(
    figures: list[dict[str, Any]], kept: set[int], batch_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flat, "BATCH_SIZE", batch_size)
    event_filter = {"slug": {"in": [f"e{i}" for i in sorted(kept)]}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "world.json"
        path.write_bytes(orjson.dumps(_world(figures)))
        url = f"sqlite:///{Path(folder) / 'eventql.sqlite3'}"
        engine = create_sync_engine(url)
        try:
            load_seeds([path], engine=engine)
            data = b"".join(csv_chunks(engine, Selection(filter=event_filter)))
        finally:
            engine.dispose()
        rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
        totals = await _api_totals(url, event_filter)
    prefixes = {"killed": "fatalities", "arrested": "arrested"}
    answered = {t["kind"].lower(): (t["low"], t["best"], t["high"]) for t in totals}
    summed = {kind: _sums(rows, prefixes[kind]) for kind in _KINDS}
    for kind in _KINDS:
        assert summed[kind] == answered.get(kind, (0, 0, 0)), (kind, figures, kept)
