"""The operation an SSE request sends (both modes of `/graphql/stream`): URL parameters of a
GET, or the JSON body of a POST, as `/graphql` reads them; a `RequestError` (a 4xx with a
GraphQL-style body) for a malformed one."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from gql.http.endpoint import RequestError, json_body, operation_from_url
from gql.live.operations import BadOperation, Operation
from gql.settings import Settings

__all__ = ["operation_of"]


async def operation_of(request: Request, settings: Settings) -> Operation:
    """The operation a GET (URL parameters) or POST (JSON body) request sends; `RequestError`
    for a malformed one."""
    if request.method == "GET":
        payload: Any = operation_from_url(request)
    else:
        payload = await json_body(request, settings.max_body_bytes)
    try:
        return Operation.from_payload(payload)
    except BadOperation as error:
        raise RequestError(400, str(error)[:1].upper() + str(error)[1:]) from None
