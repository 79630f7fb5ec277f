"""HTTP downloads: `/export/events.csv`, `/export/events.geojson`, `/export/events.jsonl`.

Each takes `?filter=<JSON>` (the GraphQL EventFilter input as JSON, the same as
`eventql export --filter`) and any number of `?dataset=<name>`, and streams the export: the
response starts before the export is complete and never holds it in memory. A bad filter or
an unknown dataset is refused before anything is sent, with status 400 and a JSON body
`{"errors": [{"message": "..."}]}` in the shape of GraphQL errors.

The exporters are synchronous (SQLAlchemy Core on a sync engine); Starlette iterates a
synchronous body in its thread pool, so a download never blocks the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy.pool import NullPool
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from gql.settings import Settings
from schema.db import create_sync_engine
from seeds.exporters import FORMATS, FilterError, Selection

#: Longest `filter` query parameter accepted (characters).
MAX_FILTER_CHARS = 20_000


def export_routes(settings: Settings) -> list[BaseRoute]:
    """The download routes, reading the database of `settings`."""
    # No pool: a download is long and rare, so a connection of its own (closed when the
    # stream ends or the client goes away) costs nothing and never lingers after shutdown.
    engine = create_sync_engine(settings.database_url, poolclass=NullPool)

    async def download(request: Request) -> Response:
        name = request.path_params["format"]
        if name not in FORMATS:
            return _error(404, f"no export format {name!r} (use csv, geojson or jsonl)")
        chunks, media_type = FORMATS[name]
        try:
            selection = _selection(
                request.query_params.get("filter"), request.query_params.getlist("dataset")
            )
            await run_in_threadpool(selection.check, engine)
        except FilterError as error:
            return _error(400, str(error))
        headers = {"Content-Disposition": f'attachment; filename="events.{name}"'}
        body = chunks(engine, selection)
        return StreamingResponse(body, media_type=media_type, headers=headers)

    return [Route("/export/events.{format}", download, methods=["GET", "HEAD"])]


def _selection(text: str | None, datasets: Sequence[str]) -> Selection:
    spec: Any = None
    if text:
        if len(text) > MAX_FILTER_CHARS:
            raise FilterError(f"filter: longer than {MAX_FILTER_CHARS} characters")
        try:
            spec = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise FilterError(f"filter: not JSON: {error.msg} (column {error.colno})") from None
        if not isinstance(spec, dict):
            raise FilterError("filter: expected a JSON object of filter keys")
    selection = Selection(filter=spec, datasets=tuple(datasets))
    selection.event_condition()
    return selection


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)
