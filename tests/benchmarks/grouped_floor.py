"""The grouped workload's raw floor: each question as one hand-written SQL `GROUP BY`.

A minimal Starlette app, like `tests.benchmarks.floor` (same drivers and engine settings as
the API, no GraphQL): `/floor/deaths` and `/floor/arrests` run one statement each and write
the JSON eventql's grouped query returns (groups sorted by `best`, largest first).

The statement is the same answer by the same rules, written by hand:

- a figure's low/best/high by `schema.figures`' reading (status `none` is 0, `unknown` adds
  nothing, `more than` has no high, ...), as SQL `CASE` expressions;
- its group's keys: the country (of its event) or the claimant, and the period of its event
  by `schema.periods`' honest rule (in a year/month only when the whole date span is, and
  not `before` or `covers`; else in the "spans periods" group), computed once per event (the
  CTE `ev`, LEFT JOINed);
- a part is not counted when the figure it is `part_of` is selected too (matches the same
  filter), has a number, and is of the same kind, unit and group: each figure is joined to
  the figure it is part of and that figure's event's keys, by primary key. Only one level of
  `part_of` is followed, which is all this data has (eventql follows whole chains), and
  estimates of one quantity (`estimate_of`), which this data has none of, are not merged.

    EVENTQL_DATABASE_URL=... uvicorn --factory tests.benchmarks.grouped_floor:create_floor_app
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from schema.db import create_async_db_engine


def _low(f: str) -> str:
    return (
        f"CASE {f}.status WHEN 'none' THEN 0 WHEN 'value' THEN COALESCE({f}.lower, CASE WHEN "
        f"{f}.qualifier IN ('up_to', 'less_than') THEN 0 ELSE COALESCE({f}.value, 0) END) END"
    )


def _best(f: str) -> str:
    return (
        f"CASE {f}.status WHEN 'none' THEN 0 "
        f"WHEN 'value' THEN COALESCE({f}.value, {f}.lower, {f}.upper) END"
    )


def _high(f: str) -> str:
    return (
        f"CASE {f}.status WHEN 'none' THEN 0 WHEN 'value' THEN COALESCE({f}.upper, CASE WHEN "
        f"{f}.qualifier IN ('more_than', 'at_least') OR {f}.value IS NULL THEN NULL "
        f"ELSE {f}.value END) END"
    )


def _period(dialect: str, interval: str) -> str:
    """The honest period start of event `e`'s date, NULL when its span is in no one period
    (`schema.periods`)."""
    last = "COALESCE(e.end_date, e.start_date)"
    if dialect == "sqlite":
        start = f"date(e.start_date, 'start of {interval}')"
        same = f"{start} = date({last}, 'start of {interval}')"
    else:
        start = f"date_trunc('{interval}', e.start_date)::date"
        same = f"date_trunc('{interval}', e.start_date) = date_trunc('{interval}', {last})"
    return (
        f"CASE WHEN {same} AND COALESCE(e.date_precision, '') NOT IN ('before', 'covers') "
        f"THEN {start} END"
    )


def statement(dialect: str, name: str) -> TextClause:
    """The floor's one statement for the query `name` ("deaths" or "arrests")."""
    same = "IS" if dialect == "sqlite" else "IS NOT DISTINCT FROM"
    if name == "deaths":
        interval = "year"

        def key(f: str, e: str) -> str:
            return f"{e}.country_code"

        def where(f: str, e: str) -> str:
            return f"{f}.kind = 'killed'"
    else:
        interval = "month"

        def key(f: str, e: str) -> str:
            return f"{f}.claimant_id"

        def where(f: str, e: str) -> str:
            return f"{f}.kind = 'arrested' AND {e}.id IS NOT NULL"  # `ev` holds 2021's events

    # Each event's period once (not once per figure, nor per part's whole): `ev`, the events
    # the filter selects (a part's whole must be selected too, so it is looked up there).
    events = (
        f"ev AS (SELECT e.id, e.country_code, e.start_date, {_period(dialect, interval)} AS k1, "
        "e.start_date IS NOT NULL AS dated FROM event e"
        + ("" if name == "deaths" else " WHERE e.start_date >= :start AND e.start_date < :stop")
        + ")"
    )
    # A part is inside its whole `w` (event `we`) when the whole is selected too, has a
    # number, and is of the same kind, unit and group.
    inside = (
        f"COALESCE(w.id IS NOT NULL AND {where('w', 'we')} AND w.kind = f.kind "
        f"AND w.unit = f.unit AND {_best('w')} IS NOT NULL "
        f"AND {key('w', 'we')} {same} {key('f', 'e')} "
        f"AND we.k1 {same} e.k1 AND we.dated = e.dated, false)"
    )
    selected = (
        f"SELECT f.kind, f.unit, {key('f', 'e')} AS k0, e.k1, e.dated, "
        f"{_low('f')} AS low, {_best('f')} AS best, {_high('f')} AS high, "
        f"{_best('f')} IS NOT NULL AND NOT {inside} AS counted "
        "FROM figure f LEFT JOIN ev e ON e.id = f.event_id "
        "LEFT JOIN figure w ON w.id = f.part_of_id LEFT JOIN ev we ON we.id = w.event_id "
        f"WHERE {where('f', 'e')}"
    )
    grouped = (
        "SELECT k0, k1, k1 IS NULL AND dated AS spans, kind, unit, "
        "COALESCE(SUM(CASE WHEN counted THEN low END), 0) AS low, "
        "COALESCE(SUM(CASE WHEN counted THEN best END), 0) AS best, "
        "CASE WHEN MAX(CASE WHEN counted AND high IS NULL THEN 1 ELSE 0 END) = 1 THEN NULL "
        "ELSE COALESCE(SUM(CASE WHEN counted THEN high END), 0) END AS high, "
        "SUM(CASE WHEN counted THEN 1 ELSE 0 END) AS n "
        f"FROM ({selected}) s GROUP BY k0, k1, k1 IS NULL AND dated, kind, unit"
    )
    if name == "deaths":
        return text(f"WITH {events} {grouped} ORDER BY best DESC")
    # The claimant's slug, as eventql's `claimant { slug }` gives it: joined to the groups.
    return text(
        f"WITH {events} SELECT a.slug, t.k1, t.spans, t.kind, t.unit, t.low, t.best, t.high, "
        f"t.n FROM ({grouped}) t LEFT JOIN actor a ON a.id = t.k0 ORDER BY t.best DESC"
    )


def _day(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _group(name: str, row: Any) -> dict[str, Any]:
    first, period, spans, _kind, _unit, low, best, high, counted = row
    keys: dict[str, Any] = (
        {"countryCode": first} if name == "deaths" else {"claimant": {"slug": first}}
    )
    keys.update(periodStart=_day(period), spansPeriods=bool(spans))
    return {
        "keys": keys,
        "low": int(low),
        "best": int(best),
        "high": None if high is None else int(high),
        "figureCount": int(counted),
    }


def create_floor_app(database_url: str | None = None) -> Starlette:
    """The floor app: POST `{"variables": {...}}` to `/floor/deaths` or `/floor/arrests`."""
    url = database_url or os.environ["EVENTQL_DATABASE_URL"]
    engine: AsyncEngine = create_async_db_engine(url, pool_size=20, max_overflow=20)
    dialect = engine.dialect.name
    statements = {name: statement(dialect, name) for name in ("deaths", "arrests")}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    def parameters(variables: dict[str, Any]) -> dict[str, Any]:
        if "from" not in variables:
            return {}
        start, stop = variables["from"], variables["to"]
        if dialect == "sqlite":  # dates are ISO text there
            return {"start": start, "stop": stop}
        return {"start": dt.date.fromisoformat(start), "stop": dt.date.fromisoformat(stop)}

    async def floor(request: Request) -> Response:
        name = request.path_params["name"]
        variables = orjson.loads(await request.body()).get("variables") or {}
        async with engine.connect() as connection:
            rows = (await connection.execute(statements[name], parameters(variables))).all()
        groups = [_group(name, row) for row in rows]
        payload = {"data": {"figures": {"aggregates": {"groups": groups}}}}
        return Response(orjson.dumps(payload), media_type="application/json")

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    app = Starlette(
        routes=[
            Route("/floor/{name:str}", floor, methods=["POST"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )
    app.state.engine = engine
    return app
