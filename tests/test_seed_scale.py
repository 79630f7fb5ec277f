"""A large input loads completely, and an edited copy of it replaces it completely.

20,000 events (about 94,000 rows): large enough for the bulk paths (COPY on PostgreSQL,
batched executemany on SQLite) and the progress reporting to work in many batches; the
timings at 100,000 events are `python -m tests.bench_seed`. The reseed edits the data (an
identical reload is skipped as `unchanged`, and would test nothing): 500 events fewer, and
every source and title re-worded, so each table's rows are replaced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from schema.db import create_sync_engine
from schema.ids import record_id
from seeds import load_seeds
from tests.seed_helpers import large_seed, write_json

EVENTS = 20_000
DROPPED = 500


def _edited(n_events: int) -> dict[str, object]:
    seed = large_seed(n_events)
    for event in seed["events"]:
        event["title"] = event["title"].replace("Protest number", "Rally number")
    return seed


@pytest.mark.slow
def test_seed_large_input_loads_and_an_edited_copy_replaces_it(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_sync_engine(database_url)
    try:
        first = load_seeds([write_json(tmp_path / "large.json", large_seed(EVENTS))], engine=engine)
        edited = write_json(tmp_path / "edited.json", _edited(EVENTS - DROPPED))
        report = load_seeds([edited], engine=engine)
        with engine.connect() as connection:
            counts = {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("event", "participation", "figure", "statement", "searchentry")
            }
            titles: dict[int, str] = dict(
                connection.execute(
                    text("SELECT id, title FROM event WHERE id IN (:kept, :dropped)"),
                    {
                        "kept": record_id("bench", "event", "e7"),
                        "dropped": record_id("bench", "event", f"e{EVENTS - 1}"),
                    },
                ).all()
            )
    finally:
        engine.dispose()
    kept = EVENTS - DROPPED
    assert first.datasets[0].records["event"] == EVENTS
    assert (report.datasets[0].change, report.datasets[0].records["event"]) == ("replaced", kept)
    assert counts == {
        "event": kept,
        "participation": 2 * kept,
        "figure": kept // 5,
        "statement": kept // 20,
        "searchentry": report.datasets[0].rows["searchentry"],
    }
    # the same key for the same slug, with the edited row; nothing left of the dropped one
    assert titles == {record_id("bench", "event", "e7"): "Rally number 7 in city 7"}
