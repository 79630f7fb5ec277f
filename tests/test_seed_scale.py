"""A 100,000-event input loads, and reloads, completely (timings: `python -m tests.bench_seed`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from schema.db import create_sync_engine
from seeds import load_seeds
from tests.seed_helpers import large_seed, write_json

EVENTS = 100_000


@pytest.mark.slow
def test_seed_hundred_thousand_events_load_and_reload(database_url: str, tmp_path: Path) -> None:
    path = write_json(tmp_path / "large.json", large_seed(EVENTS))
    engine = create_sync_engine(database_url)
    try:
        load_seeds([path], engine=engine)
        report = load_seeds([path], engine=engine)

        with engine.connect() as connection:
            counts = {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("event", "participation", "figure", "searchentry")
            }
    finally:
        engine.dispose()
    assert report.datasets[0].records["event"] == EVENTS
    assert counts == {
        "event": EVENTS,
        "participation": 2 * EVENTS,
        "figure": EVENTS // 5,
        "searchentry": report.datasets[0].rows["searchentry"],
    }
