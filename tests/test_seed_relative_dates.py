"""Dates kept as the source words them ("On Sunday"), derived from the publication date when
the data is loaded — so re-dating a source re-dates its records, and a date that the words do
not allow is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seeds import LoadError, validate_seeds
from tests.api_support import load, open_api
from tests.seed_helpers import write_json


def dated_world(published: dict[str, Any], *dates: dict[str, Any]) -> dict[str, Any]:
    """A source published on `published`, with one event per date in `dates`."""
    return {
        "dataset": "dated",
        "source": {"id": "report", "headline": "Unrest", "published": published},
        "events": [
            {
                "id": f"event-{i}",
                "title": f"Event {i}",
                "type": "protests",
                "sub_type": "peaceful_protest",
                "date": date,
            }
            for i, date in enumerate(dates)
        ],
    }


_DATES = """{ events(orderBy: [{field: TITLE}]) { nodes {
    date { start end precision expression relativeTo timeOfDay } } } }"""

MONDAY = {"start": "2022-01-10"}
#: The report's own reasoning: Monday 10 January, or as late as Saturday 15 January.
MONDAY_TO_SATURDAY = {"start": "2022-01-10", "end": "2022-01-15", "precision": "range"}


def _relative(expression: str, **given: Any) -> dict[str, Any]:
    return {"expression": expression, "relative_to": "publication", **given}


async def test_dates_are_derived_from_the_publication_date(
    database_url: str, tmp_path: Path
) -> None:
    seed = dated_world(
        MONDAY_TO_SATURDAY,
        _relative("On Sunday"),
        _relative("Tuesday night"),
        _relative("announced on Monday"),
        _relative("yesterday"),
        _relative("last Monday"),
    )
    async with open_api(database_url, tmp_path, seed) as api:
        dates = [node["date"] for node in (await api.data(_DATES))["events"]["nodes"]]

    assert [(d["start"], d["end"], d["precision"]) for d in dates] == [
        ("2022-01-09", "2022-01-09", "DAY"),  # the Sunday before any of those days
        # Tuesday the 4th, or the 11th if published later; the night may run into the 12th.
        ("2022-01-04", "2022-01-12", "RANGE"),
        ("2022-01-10", "2022-01-10", "DAY"),
        ("2022-01-09", "2022-01-14", "RANGE"),
        ("2022-01-03", "2022-01-10", "RANGE"),  # strictly before: a week back on the Monday
    ]
    assert dates[1]["expression"] == "Tuesday night"
    assert dates[1]["relativeTo"] == "PUBLICATION"
    assert dates[1]["timeOfDay"] == "NIGHT"
    assert dates[0]["timeOfDay"] is None


async def test_re_dating_the_source_re_dates_its_records(database_url: str, tmp_path: Path) -> None:
    async with open_api(
        database_url, tmp_path, dated_world(MONDAY, _relative("Tuesday night"))
    ) as api:
        before = (await api.data(_DATES))["events"]["nodes"][0]["date"]
    load(database_url, tmp_path, dated_world({"start": "2022-01-13"}, _relative("Tuesday night")))
    async with open_api(database_url, tmp_path) as api:
        after = (await api.data(_DATES))["events"]["nodes"][0]["date"]

    assert (before["start"], after["start"]) == ("2022-01-04", "2022-01-11")


async def test_a_narrower_date_within_the_words_is_kept(database_url: str, tmp_path: Path) -> None:
    # The coder knows more than the words (the riots ran 4-8 January): Tuesday the 4th.
    seed = dated_world(MONDAY_TO_SATURDAY, _relative("Tuesday night", start="2022-01-04"))
    async with open_api(database_url, tmp_path, seed) as api:
        date = (await api.data(_DATES))["events"]["nodes"][0]["date"]

    assert (date["start"], date["end"], date["precision"]) == ("2022-01-04", "2022-01-04", "DAY")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (
            _relative("On Sunday", start="2022-01-02"),
            "events[event-0].date.start: 'On Sunday', published 2022-01-10 to 2022-01-15, "
            "means 2022-01-09; the date given is 2022-01-02",
        ),
        (
            _relative("during the riots"),
            "events[event-0].date.expression: cannot count 'during the riots' from the "
            "publication date",
        ),
        (
            {"relative_to": "publication"},
            "events[event-0].date: a date needs `start`, or an `expression` with `relative_to`",
        ),
    ],
)
def test_a_date_the_words_do_not_allow_is_refused(
    tmp_path: Path, date: dict[str, Any], expected: str
) -> None:
    path = write_json(tmp_path / "dated.json", dated_world(MONDAY_TO_SATURDAY, date))

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert [expected in str(issue) for issue in refused.value.issues] == [True], str(refused.value)


def test_a_date_relative_to_a_source_without_a_publication_date_is_refused(
    tmp_path: Path,
) -> None:
    seed = dated_world(MONDAY, _relative("On Sunday"))
    del seed["source"]["published"]
    path = write_json(tmp_path / "dated.json", seed)

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert "relative to the publication date, but source 'report' has none" in str(refused.value)


def test_a_weekday_is_counted_within_the_whole_or_the_figures_event(tmp_path: Path) -> None:
    seed = dated_world(MONDAY, {"start": "2022-01-04", "end": "2022-01-08", "precision": "covers"})
    seed["events"].append(
        {
            "id": "night-protest",
            "title": "Night protest",
            "type": "protests",
            "sub_type": "peaceful_protest",
            "date": _relative("on Tuesday night", relative_to="part_of"),
            "links": [{"kind": "part_of", "event": "event-0"}],
        }
    )
    seed["figures"] = [
        {
            "id": "crowd",
            "event": "night-protest",
            "kind": "participants",
            "qualifier": "vague",
            "raw": "thousands",
            "as_of": _relative("that Tuesday", relative_to="event"),
        }
    ]
    dataset = validate_seeds([write_json(tmp_path / "dated.json", seed)]).datasets["dated"]

    night = dataset.events["night-protest"].record.date
    # The riots' only Tuesday is the 4th; the night may run past midnight.
    assert (night.first.isoformat(), night.last.isoformat()) == ("2022-01-04", "2022-01-05")
    assert night.time_of_day is not None and night.time_of_day.value == "night"
    as_of = dataset.figures["crowd"].record.as_of
    assert as_of is not None and as_of.first.isoformat() == "2022-01-04"


def test_a_weekday_outside_the_whole_is_refused(tmp_path: Path) -> None:
    seed = dated_world(MONDAY, {"start": "2022-01-04", "end": "2022-01-06", "precision": "covers"})
    seed["events"].append(
        {
            "id": "sunday-protest",
            "title": "Sunday protest",
            "type": "protests",
            "sub_type": "peaceful_protest",
            "date": _relative("on Sunday", relative_to="part_of"),
            "links": [{"kind": "part_of", "event": "event-0"}],
        }
    )

    with pytest.raises(LoadError) as refused:
        validate_seeds([write_json(tmp_path / "dated.json", seed)])

    assert (
        "events[sunday-protest].date.expression: cannot count 'on Sunday' within event-0's "
        "dates (2022-01-04 to 2022-01-06): no such weekday in them"
    ) in str(refused.value)
