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

Single connection mode (a `PUT` reservation, then one stream for many operations) is
`gql.live.sse_single`; requests of that mode are handed to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gql.http.endpoint import JSON, RequestError, error_response
from gql.live.operations import LiveOperations, Operation, Outcome
from gql.live.sse_single import SingleConnections
from gql.live.stopping import Stopping, Tick, until_stopped
from gql.live.stream_requests import operation_of
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
        self.single = SingleConnections(operations, settings, stopping)

    async def handle(self, request: Request) -> Response:
        """Answer one request with an event stream, or a 4xx for a malformed request."""
        if self.single.handles(request):
            return await self.single.handle(request)
        try:
            if request.method not in ("GET", "POST"):
                raise RequestError(
                    405,
                    "Method not allowed: POST (or GET) an operation with Accept: "
                    "text/event-stream (distinct connections mode), or PUT to reserve a "
                    "stream (single connection mode)",
                    {"Allow": "GET, POST, PUT, DELETE"},
                )
            if EVENT_STREAM not in request.headers.get("accept", ""):
                raise RequestError(
                    406,
                    f"Not acceptable: this endpoint streams {EVENT_STREAM} (send it in Accept); "
                    "/graphql answers with JSON",
                )
            operation = await operation_of(request, self.settings)
        except RequestError as error:
            logger.info("stream request refused (%d): %s", error.status, error.message)
            return error_response(error.status, error.message, JSON, error.headers, error.code)
        return StreamingResponse(self._events(operation), media_type=EVENT_STREAM, headers=_HEADERS)

    async def _events(self, operation: Operation) -> AsyncIterator[bytes]:
        """The event stream: results as they come, a comment line while idle."""
        outcomes: asyncio.Queue[Outcome | None] = asyncio.Queue(1)

        async def produce() -> None:
            try:
                async with contextlib.aclosing(self.operations.run(operation, "sse")) as results:
                    async for outcome in results:
                        await outcomes.put(outcome)
            finally:
                await outcomes.put(None)

        producer = asyncio.create_task(produce())
        keep_alive = self.settings.keep_alive_s
        try:
            stream = until_stopped(outcomes, self.stopping.event, keep_alive)
            async with contextlib.aclosing(stream) as items:
                async for outcome in items:
                    if isinstance(outcome, Tick):
                        yield _KEEP_ALIVE
                        continue
                    if outcome is None:
                        yield _COMPLETE
                        return
                    kind, payload = outcome
                    data = payload if kind == "next" else {"errors": payload}
                    yield b"event: next\ndata: " + orjson.dumps(data) + b"\n\n"
            # The server stops: no `complete`, so the client reconnects.
        finally:
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await producer
