"""A start the source does not give ("some time before X") is said as such: precision
BEFORE with only an end — never a placeholder start that a timeline would read as a date."""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds import LoadError, validate_seeds
from tests.api_support import open_api
from tests.seed_helpers import write_json
from tests.test_seed_relative_dates import MONDAY, dated_world


async def test_an_open_start_is_served_as_before_its_end(database_url: str, tmp_path: Path) -> None:
    seed = dated_world(MONDAY, {"end": "2022-01-08", "precision": "before", "note": "by then"})
    async with open_api(database_url, tmp_path, seed) as api:
        data = await api.data("""{ events { nodes { date { start end precision note } } } }""")

    assert data["events"]["nodes"] == [
        {
            "date": {
                "start": "2022-01-08",
                "end": "2022-01-08",
                "precision": "BEFORE",
                "note": "by then",
            }
        }
    ]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ({"precision": "before"}, "events[event-0].date.precision: precision 'before' needs `end`"),
        (
            {"start": "2021-01-01", "end": "2022-01-08", "precision": "before"},
            "events[event-0].date.precision: precision 'before' means the start is not known",
        ),
    ],
)
def test_an_open_start_with_a_start_or_without_an_end_is_refused(
    tmp_path: Path, date: dict[str, str], expected: str
) -> None:
    path = write_json(tmp_path / "dated.json", dated_world(MONDAY, date))

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert expected in str(refused.value)
