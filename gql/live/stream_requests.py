"""The operation an SSE request sends (both modes of `/graphql/stream`): URL parameters of a
GET, or the JSON body of a POST, as `/graphql` reads them; a `RequestError` (a 4xx with a
GraphQL-style body) for a malformed one."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from gql.http.endpoint import JSON, RequestError
from gql.live.operations import BadOperation, Operation
from gql.settings import Settings

__all__ = ["operation_of"]


async def operation_of(request: Request, settings: Settings) -> Operation:
    """The operation a GET (URL parameters) or POST (JSON body) request sends; `RequestError`
    for a malformed one."""
    if request.method == "GET":
        payload: Any = _from_url(request)
    else:
        payload = await _from_body(request, settings)
    try:
        return Operation.from_payload(payload)
    except BadOperation as error:
        raise RequestError(400, str(error)[:1].upper() + str(error)[1:]) from None


def _from_url(request: Request) -> dict[str, Any]:
    params = request.query_params
    payload: dict[str, Any] = {
        "query": params.get("query"),
        "operationName": params.get("operationName"),
    }
    for name in ("variables", "extensions"):
        raw = params.get(name)
        if raw:
            try:
                payload[name] = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise RequestError(400, f"`{name}` is not valid JSON") from None
    return payload


async def _from_body(request: Request, settings: Settings) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != JSON:
        raise RequestError(
            415,
            f"Unsupported content type {content_type or '(none)'!r}: send the request as {JSON}",
        )
    limit = settings.max_body_bytes
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(
                413,
                f"body size limit exceeded: at most {limit} bytes (max_body_bytes)",
                code="LIMIT_EXCEEDED",
            )
        chunks.append(chunk)
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError as error:
        raise RequestError(400, f"Malformed JSON body: {error.msg}") from None
