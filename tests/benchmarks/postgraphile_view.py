"""What PostGraphile groups figures by: a view of figures with their event's keys and readings.

`@graphile/pg-aggregates` groups a connection by the columns of its own table (and, for
timestamps, by hour or day). Grouping figures by their *event's* country and year, by an
honest year or month, or summing a figure's `best` (its value, else a bound) is therefore not
expressible over the `figure` table: the nearest equivalent is this view, created in the
benchmark's database only (eventql does not have it), which PostGraphile serves as
`allFigureGroupViews` with `groupedAggregates`.

Each row is one figure with:

- `country_code`, `event_year` (the year its event starts), from its event (LEFT JOIN);
- `year_start` / `month_start`: the period its event's whole date lies in, by
  `schema.periods`' rule (NULL when it spans periods or is open), and `spans_year` /
  `spans_month`: whether it spans;
- `claimant_slug`: its claimant's slug (LEFT JOIN actor);
- `low`, `best`, `high`: its reading by `schema.figures`' rule (NULL when it has no number).

PostGraphile adds `sum(low)`, `sum(best)`, `sum(high)` per group. It knows nothing of
`part_of`: summing every figure would count UCDP's parts on top of their total (twice the
deaths). Its queries therefore select `partOfId: null` (a condition PostGraphile offers): the
same answer as eventql here, because every part's whole is selected with it and is in the same
group, but not in general (a part whose whole is filtered out would be dropped, not counted).
Estimates of one quantity are not merged, and `sum(high)` skips open-ended highs instead of
being null.
"""

from __future__ import annotations

from sqlalchemy import text

from schema.db import create_sync_engine

VIEW = "figure_group_view"


def _period(interval: str) -> str:
    return (
        f"CASE WHEN date_trunc('{interval}', e.start_date) = date_trunc('{interval}', "
        "COALESCE(e.end_date, e.start_date)) AND COALESCE(e.date_precision, '') NOT IN "
        f"('before', 'covers') THEN date_trunc('{interval}', e.start_date)::date END"
    )


_READING = {
    "low": "COALESCE(f.lower, CASE WHEN f.qualifier IN ('up_to', 'less_than') THEN 0 "
    "ELSE COALESCE(f.value, 0) END)",
    "best": "COALESCE(f.value, f.lower, f.upper)",
    "high": "COALESCE(f.upper, CASE WHEN f.qualifier IN ('more_than', 'at_least') "
    "OR f.value IS NULL THEN NULL ELSE f.value END)",
}


def _reading(name: str) -> str:
    return (
        "CASE WHEN f.status = 'none' THEN 0 WHEN f.status = 'value' "
        f"AND COALESCE(f.value, f.lower, f.upper) IS NOT NULL THEN {_READING[name]} END"
    )


CREATE = f"""CREATE VIEW {VIEW} AS
SELECT f.id, f.kind, f.unit, f.part_of_id, f.claimant_id, a.slug AS claimant_slug,
       e.country_code, extract(year FROM e.start_date)::int AS event_year,
       {_period("year")} AS year_start,
       ({_period("year")}) IS NULL AND e.start_date IS NOT NULL AS spans_year,
       {_period("month")} AS month_start,
       ({_period("month")}) IS NULL AND e.start_date IS NOT NULL AS spans_month,
       {_reading("low")} AS low, {_reading("best")} AS best, {_reading("high")} AS high
FROM figure f
LEFT JOIN event e ON e.id = f.event_id
LEFT JOIN actor a ON a.id = f.claimant_id"""


def drop_view(url: str) -> None:
    """Drop the view (before a rebuild: it depends on eventql's tables)."""
    engine = create_sync_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP VIEW IF EXISTS {VIEW}"))
    finally:
        engine.dispose()


def create_view(url: str) -> None:
    """(Re)create the view in the PostgreSQL database at `url`."""
    engine = create_sync_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP VIEW IF EXISTS {VIEW}"))
            connection.execute(text(CREATE))
    finally:
        engine.dispose()
