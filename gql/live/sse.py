"""GraphQL over Server-Sent Events: the `graphql-sse` protocol's distinct connections mode,
at `/graphql/stream`.

A client POSTs an operation (`application/json`, as to `/graphql`) or GETs it (URL
parameters), with `Accept: text/event-stream`. The answer is an event stream: a `next` event
per result (a query's one result, a subscription's events) whose data is the result as
`/graphql` would send it, then `complete`; the stream stays open until then, or until the
client goes away (which ends a subscription). Errors before execution (parse, validation,
limits) are a `next` event with the errors, then `complete`, as the protocol asks (a 400
would leave an `EventSource` without the reason). A request that is not GraphQL at all (no
query, malformed JSON, a wrong method or `Accept`) gets a 4xx with a GraphQL-style JSON body,
as `/graphql` answers it. While idle, the stream gets a comment line every `keep_alive_s`,
so proxies keep it open.

Single connection mode (a `PUT` reservation) is not served: a `PUT` or `DELETE` is a 405
saying so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gql.http.endpoint import JSON, RequestError, error_response
from gql.live.operations import BadOperation, LiveOperations, Operation, Outcome
from gql.live.stopping import Stopping
from gql.settings import Settings

__all__ = ["EVENT_STREAM", "GraphQLEventStream"]

logger = logging.getLogger("eventql.live")

EVENT_STREAM = "text/event-stream"
#: A comment line: ignored by clients, keeps proxies from closing an idle stream.
_KEEP_ALIVE = b":\n\n"
_COMPLETE = b"event: complete\ndata: \n\n"
_HEADERS = {
    "Cache-Control": "no-cache",
    "Connection": "keep-alive",
    # nginx buffers responses unless told not to: events would arrive late.
    "X-Accel-Buffering": "no",
}


class GraphQLEventStream:
    """The `/graphql/stream` endpoint."""

    def __init__(self, operations: LiveOperations, settings: Settings, stopping: Stopping) -> None:
        self.operations = operations
        self.settings = settings
        self.stopping = stopping

    async def handle(self, request: Request) -> Response:
        """Answer one request with an event stream, or a 4xx for a malformed request."""
        try:
            if request.method not in ("GET", "POST"):
                raise RequestError(
                    405,
                    "Method not allowed: POST (or GET) an operation with Accept: "
                    "text/event-stream (graphql-sse distinct connections mode; single "
                    "connection mode is not served)",
                    {"Allow": "GET, POST"},
                )
            if EVENT_STREAM not in request.headers.get("accept", ""):
                raise RequestError(
                    406,
                    f"Not acceptable: this endpoint streams {EVENT_STREAM} (send it in Accept); "
                    "/graphql answers with JSON",
                )
            if request.method == "GET":
                payload: Any = self._from_url(request)
            else:
                payload = await self._from_body(request)
            try:
                operation = Operation.from_payload(payload)
            except BadOperation as error:
                raise RequestError(400, str(error)[:1].upper() + str(error)[1:]) from None
        except RequestError as error:
            logger.info("stream request refused (%d): %s", error.status, error.message)
            return error_response(error.status, error.message, JSON, error.headers, error.code)
        return StreamingResponse(self._events(operation), media_type=EVENT_STREAM, headers=_HEADERS)

    def _from_url(self, request: Request) -> dict[str, Any]:
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

    async def _from_body(self, request: Request) -> Any:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != JSON:
            raise RequestError(
                415,
                f"Unsupported content type {content_type or '(none)'!r}: send the request as "
                f"{JSON}",
            )
        limit = self.settings.max_body_bytes
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

    async def _events(self, operation: Operation) -> AsyncIterator[bytes]:
        """The event stream: results as they come, a comment line while idle."""
        outcomes: asyncio.Queue[Outcome | None] = asyncio.Queue(1)

        async def produce() -> None:
            try:
                async for outcome in self.operations.run(operation, "sse"):
                    await outcomes.put(outcome)
            finally:
                await outcomes.put(None)

        producer = asyncio.create_task(produce())
        stop = asyncio.ensure_future(self.stopping.event.wait())
        try:
            while True:
                get = asyncio.ensure_future(outcomes.get())
                done, _ = await asyncio.wait(
                    {get, stop},
                    timeout=self.settings.keep_alive_s,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if get not in done:
                    get.cancel()
                    if stop in done:
                        return  # the server stops: no `complete`, so the client reconnects
                    yield _KEEP_ALIVE
                    continue
                outcome = get.result()
                if outcome is None:
                    break
                kind, payload = outcome
                data = payload if kind == "next" else {"errors": payload}
                yield b"event: next\ndata: " + orjson.dumps(data) + b"\n\n"
            yield _COMPLETE
        finally:
            stop.cancel()
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await producer
