"""HTTP downloads: `/export/events.csv`, `/export/events.geojson`, `/export/events.jsonl`, and
`/export/totals.csv?group_by=country,year` (grouped figure totals, `eventql export totals`).

Each takes `?filter=<JSON>` (the GraphQL EventFilter input as JSON, the same as
`eventql export --filter`) and any number of `?dataset=<name>`, and streams the export: the
response starts once the first batch is read and never holds the export in memory. The CSV
also takes `?bom=true`: a UTF-8 byte order mark first, for Excel (`eventql export --bom`). The
GeoJSON counts the events it left out (no coordinates) in its last member, `"eventql"`: a
header cannot say it, as headers go out before the events are read.

Every download is bounded (`eventql.export_stream` runs it):

- Parameters are checked before anything is sent: an unknown parameter name, a second
  `filter`, a filter that is not a JSON object of known keys or holds more conditions than
  `max_filter_conditions` or more relation keys than `max_filter_relations` (as in the
  GraphQL API), text with a NUL character or an integer over
  64 bits (`seeds.exporters.Selection`), more than `MAX_DATASETS` datasets or an
  unknown one are answered 400 with a JSON body `{"errors": [{"message": "...",
  "extensions": {"code": ...}}]}` in the shape of GraphQL errors. (The cheap checks run on
  the event loop; compiling the filter and looking the datasets up run in the export's
  thread, before its first byte.)
- At most `max_concurrent_exports` downloads run at once in a server process; another is
  answered 503 at once, with `Retry-After`. Each holds one database connection of its own
  for its duration, so downloads never take more than that many connections, whatever the
  number of clients, and none when idle.
- No statement runs longer than `export_statement_timeout_ms`. A timeout before the first
  byte is a 400; after it, the transfer is cut off (the client sees it incomplete).
- When the client goes away, the database work stops within moments.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any
from urllib.parse import unquote_plus

import anyio
import orjson
from sqlalchemy import Engine
from sqlalchemy.pool import NullPool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from eventql.export_stream import RETRY_AFTER_S, ExportResponse, error_response
from gql.settings import Settings
from schema.db import create_sync_engine, is_sqlite
from schema.filters import filter_relations
from schema.group_keys import resolve
from seeds.exporters import FORMATS, ExportGuard, FilterError, Selection
from seeds.exporters.scope import dataset_rows, filter_conditions, reading
from seeds.exporters.tabular import csv_chunks
from seeds.exporters.totals import totals_chunks

#: Longest `filter` query parameter accepted (characters).
MAX_FILTER_CHARS = 20_000
#: Most `dataset` parameters in one download.
MAX_DATASETS = 100
#: The query parameters a download takes.
PARAMETERS = ("bom", "dataset", "filter", "group_by")
#: How `bom` may be written, and what each means.
_FLAGS = {"true": True, "1": True, "false": False, "0": False}


class _Slots:
    """Downloads running in this process: taken and given back on the event loop only."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    def take(self) -> bool:
        if self.taken >= self.total:
            return False
        self.taken += 1
        return True

    def give_back(self) -> None:
        self.taken -= 1


def export_routes(settings: Settings) -> list[BaseRoute]:
    """The download routes, reading the database of `settings`."""
    # No pool to keep: a download is long and rare, and `max_concurrent_exports` bounds how
    # many run, so each opens a connection of its own and closes it when it ends. No idle
    # connection then outlives the app (routes have no lifespan to close a pool in).
    connect_args: dict[str, Any] = {}
    if not is_sqlite(settings.database_url):
        connect_args["connect_timeout"] = settings.connect_timeout_s
    engine = create_sync_engine(
        settings.database_url, poolclass=NullPool, connect_args=connect_args
    )
    slots = _Slots(settings.max_concurrent_exports)
    # The export threads (and the threads cancelling them) have their own limit, so downloads
    # never wait for threads the GraphQL endpoint uses, nor take them.
    limiter = anyio.CapacityLimiter(2 * settings.max_concurrent_exports)

    async def download(request: Request) -> Response:
        return await _download(request, request.path_params["format"], "events")

    async def totals(request: Request) -> Response:
        return await _download(request, "csv", "totals")

    async def _download(request: Request, name: str, what: str) -> Response:
        if name not in FORMATS:
            return error_response(
                404, f"no export format {name!r} (use csv, geojson or jsonl)", "NOT_FOUND"
            )
        chunks, media_type = FORMATS[name]
        try:
            selection = _selection(request, settings)
            keys = _group_by(request, what)
            bom = _bom(request, name)
            if what == "totals":
                chunks = partial(totals_chunks, group_by=keys, bom=bom)
            elif bom:
                chunks = partial(csv_chunks, bom=True)
        except FilterError as error:
            return error_response(400, str(error), "BAD_REQUEST")
        if not slots.take():
            return error_response(
                503,
                f"too many downloads: {slots.total} are running, the most this server runs at "
                "once (max_concurrent_exports); retry later",
                "LIMIT_EXCEEDED",
                {"Retry-After": str(RETRY_AFTER_S)},
            )
        if request.method == "HEAD":  # the checks only: the same answer, no export run
            export = partial(_check, engine, selection)
        else:
            export = partial(chunks, engine, selection)
        return ExportResponse(
            export,
            ExportGuard(settings.export_statement_timeout_ms),
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{what}.{name}"'},
            limiter=limiter,
            release=slots.give_back,
            label=_label(request),
        )

    return [
        Route("/export/totals.csv", totals, methods=["GET", "HEAD"]),
        Route("/export/events.{format}", download, methods=["GET", "HEAD"]),
    ]


def _selection(request: Request, settings: Settings) -> Selection:
    """The download's selection; raises `FilterError` for any parameter it cannot take."""
    params = request.query_params
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise FilterError(f"unknown parameter {names} (a download takes: {', '.join(PARAMETERS)})")
    filters, datasets = params.getlist("filter"), params.getlist("dataset")
    if len(filters) > 1:
        raise FilterError("filter: given more than once (combine conditions with and/or)")
    if len(datasets) > MAX_DATASETS:
        raise FilterError(f"dataset: more than {MAX_DATASETS} given")
    spec: Any = None
    if filters and filters[0]:
        text = filters[0]
        if len(text) > MAX_FILTER_CHARS:
            raise FilterError(f"filter: longer than {MAX_FILTER_CHARS} characters")
        try:
            spec = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise FilterError(f"filter: not JSON: {error.msg} (column {error.colno})") from None
        if not isinstance(spec, dict):
            raise FilterError("filter: expected a JSON object of filter keys")
        conditions = filter_conditions(spec)
        if conditions > settings.max_filter_conditions:
            raise FilterError(
                f"filter: {conditions} conditions, more than {settings.max_filter_conditions} "
                "(max_filter_conditions, as in the GraphQL API)"
            )
        relations = filter_relations("event", spec)
        if relations > settings.max_filter_relations:
            raise FilterError(
                f"filter: {relations} relation keys, more than {settings.max_filter_relations} "
                "(max_filter_relations, as in the GraphQL API): each is a subquery; conditions "
                "on one relation combine inside it (`actor: {or: [...]}`)"
            )
    # The filter is compiled (and a bad key or value refused) in the export's thread, before
    # anything is sent: for a large filter that is CPU work the event loop must not do.
    return Selection(filter=spec, datasets=tuple(datasets))


def _group_by(request: Request, what: str) -> list[str]:
    """The keys of `?group_by=country,year`: required by the totals download, refused by the
    others."""
    values = request.query_params.getlist("group_by")
    if what != "totals":
        if values:
            raise FilterError("group_by: only /export/totals.csv takes it")
        return []
    if len(values) != 1:
        raise FilterError("group_by: give the keys once, comma-separated (e.g. country,year)")
    keys = [key.strip() for key in values[0].split(",") if key.strip()]
    try:
        resolve("figure", keys)
    except ValueError as error:
        raise FilterError(f"group_by: {error}") from None
    return keys


def _bom(request: Request, name: str) -> bool:
    """Whether the CSV is to start with a byte order mark (`?bom=true`)."""
    values = request.query_params.getlist("bom")
    if not values:
        return False
    if len(values) > 1 or values[0].lower() not in _FLAGS:
        raise FilterError("bom: expected true or false, once")
    if name != "csv":
        raise FilterError("bom: only the CSV download takes it")
    return _FLAGS[values[0].lower()]


def _label(request: Request) -> str:
    """The download as logged: its path and query, decoded and cut short."""
    query = unquote_plus(request.url.query)
    label = f"{request.url.path}?{query}" if query else request.url.path
    label = "".join(c if c.isprintable() else "?" for c in label)  # one line, whatever was sent
    return label if len(label) <= 200 else label[:197] + "..."


def _check(engine: Engine, selection: Selection, guard: ExportGuard) -> Iterator[bytes]:
    """What a HEAD request runs: the checks of a download, and no export."""
    selection.event_condition()
    if selection.datasets:
        with reading(engine, guard) as connection:
            dataset_rows(connection, selection.datasets)
    yield from ()


__all__ = ["MAX_DATASETS", "MAX_FILTER_CHARS", "PARAMETERS", "export_routes"]
