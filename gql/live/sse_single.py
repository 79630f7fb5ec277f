"""graphql-sse's single connection mode: one event stream carries the results of many
operations, each sent by a request of its own.

    PUT /graphql/stream                          → 201, a token (text/plain)
    GET /graphql/stream  (Accept: text/event-stream, the token in the
        X-GraphQL-Event-Stream-Token header or the `token` parameter)
                                                 → the stream: `next` events with
                                                   `{"id": ..., "payload": result}`, and
                                                   `complete` with `{"id": ...}`
    POST (or GET) /graphql/stream with the token and `extensions.operationId`
                                                 → 202; the results go to the stream
    DELETE /graphql/stream?operationId=… with the token
                                                 → 200; the operation stops

A reservation not connected to within `connection_init_timeout_s` is dropped, and at most
`max_subscriptions` reservations exist at once; when the stream closes (the client goes away,
or the server stops) its operations stop. Results sent before the stream connects wait for it
(a bounded queue: an operation producing more waits). Errors before execution are a `next`
event with the errors, then `complete`, as in distinct connections mode. The token is the
only key to a stream: 32 random bytes, never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gql.http.endpoint import JSON, RequestError, error_response
from gql.live.operations import LiveOperations, Operation
from gql.live.stopping import Stopping, Tick, until_stopped
from gql.live.stream_requests import operation_of
from gql.settings import Settings

__all__ = ["TOKEN_HEADER", "SingleConnections"]

logger = logging.getLogger("eventql.live")

#: Where a client sends its reservation token (or in the `token` URL parameter).
TOKEN_HEADER = "x-graphql-event-stream-token"
EVENT_STREAM = "text/event-stream"
#: Messages a stream may have waiting (before it connects, or while the client reads slowly).
_QUEUE_SIZE = 100
_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}


class _Reservation:
    """A reserved stream: its waiting messages and running operations."""

    def __init__(self) -> None:
        self.messages: asyncio.Queue[bytes] = asyncio.Queue(_QUEUE_SIZE)
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.open = False
        self.expiry: asyncio.TimerHandle | None = None

    def stop(self) -> None:
        """Stop every operation (the stream is gone)."""
        if self.expiry is not None:
            self.expiry.cancel()
        for task in self.operations.values():
            task.cancel()
        self.operations.clear()


class SingleConnections:
    """The single connection mode of `/graphql/stream` (`gql.live.sse` serves the other)."""

    def __init__(self, operations: LiveOperations, settings: Settings, stopping: Stopping) -> None:
        self.operations = operations
        self.settings = settings
        self.stopping = stopping
        self.reservations: dict[str, _Reservation] = {}

    def handles(self, request: Request) -> bool:
        """Whether the request belongs to this mode: a reservation, or a request with a token
        (a stream request with a token of no reservation is distinct connections mode, as
        graphql-sse's own server has it)."""
        if request.method == "PUT":
            return True
        token = _token(request)
        if token is None:
            return False
        if EVENT_STREAM in request.headers.get("accept", ""):
            return token in self.reservations
        return True

    async def handle(self, request: Request) -> Response:
        """Answer a request of this mode."""
        try:
            if request.method == "PUT":
                return self._reserve()
            token = _token(request) or ""
            reservation = self.reservations.get(token)
            if reservation is None:
                raise RequestError(404, "Stream not found: reserve one with PUT first")
            if EVENT_STREAM in request.headers.get("accept", ""):
                if reservation.open:
                    raise RequestError(409, "Stream already open")
                return self._connect(token, reservation)
            if request.method == "DELETE":
                return self._stop(request, reservation)
            if request.method not in ("GET", "POST"):
                raise RequestError(405, "Method not allowed", {"Allow": "GET, POST, PUT, DELETE"})
            return await self._execute(request, reservation)
        except RequestError as error:
            logger.info("stream request refused (%d): %s", error.status, error.message)
            return error_response(error.status, error.message, JSON, error.headers, error.code)

    def _reserve(self) -> Response:
        limit = self.settings.max_subscriptions
        if len(self.reservations) >= limit:
            raise RequestError(
                503,
                f"stream limit exceeded: this server holds at most {limit} streams at once "
                "(max_subscriptions)",
                code="LIMIT_EXCEEDED",
            )
        token = secrets.token_urlsafe(32)
        reservation = self.reservations[token] = _Reservation()
        reservation.expiry = asyncio.get_running_loop().call_later(
            self.settings.connection_init_timeout_s, self._expire, token
        )
        return Response(token, 201, media_type="text/plain")

    def _expire(self, token: str) -> None:
        reservation = self.reservations.get(token)
        if reservation is not None and not reservation.open:
            del self.reservations[token]
            reservation.stop()

    def _connect(self, token: str, reservation: _Reservation) -> Response:
        reservation.open = True
        if reservation.expiry is not None:
            reservation.expiry.cancel()
        return StreamingResponse(
            self._stream(token, reservation), media_type=EVENT_STREAM, headers=_HEADERS
        )

    async def _stream(self, token: str, reservation: _Reservation) -> AsyncIterator[bytes]:
        try:
            yield b":\n\n"  # some browsers show a stream only once its first bytes arrive
            keep_alive = self.settings.keep_alive_s
            stream = until_stopped(reservation.messages, self.stopping.event, keep_alive)
            async with contextlib.aclosing(stream) as messages:
                async for message in messages:
                    yield b":\n\n" if isinstance(message, Tick) else message
        finally:
            self.reservations.pop(token, None)
            reservation.stop()

    def _stop(self, request: Request, reservation: _Reservation) -> Response:
        operation_id = request.query_params.get("operationId")
        if not operation_id:
            raise RequestError(400, "Operation ID is missing (operationId)")
        task = reservation.operations.pop(operation_id, None)
        if task is not None:
            task.cancel()
        return Response(None, 200)

    async def _execute(self, request: Request, reservation: _Reservation) -> Response:
        operation = await operation_of(request, self.settings)
        operation_id = str((operation.extensions or {}).get("operationId") or "")
        if not operation_id:
            raise RequestError(400, "Operation ID is missing (extensions.operationId)")
        if operation_id in reservation.operations:
            raise RequestError(409, "Operation with ID already exists")
        limit = self.settings.max_subscriptions_per_connection
        if len(reservation.operations) >= limit:
            raise RequestError(
                400,
                f"subscription limit exceeded: at most {limit} operations run at once on one "
                "stream (max_subscriptions_per_connection)",
                code="LIMIT_EXCEEDED",
            )
        reservation.operations[operation_id] = asyncio.create_task(
            self._run(reservation, operation_id, operation)
        )
        return Response(None, 202)

    async def _run(
        self, reservation: _Reservation, operation_id: str, operation: Operation
    ) -> None:
        try:
            async with contextlib.aclosing(self.operations.run(operation, "sse")) as outcomes:
                async for kind, payload in outcomes:
                    data = payload if kind == "next" else {"errors": payload}
                    await reservation.messages.put(
                        _event("next", {"id": operation_id, "payload": data})
                    )
            await reservation.messages.put(_event("complete", {"id": operation_id}))
        finally:
            if reservation.operations.get(operation_id) is asyncio.current_task():
                del reservation.operations[operation_id]


def _token(request: Request) -> str | None:
    return request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or None


def _event(name: str, data: Any) -> bytes:
    return f"event: {name}\ndata: ".encode() + orjson.dumps(data) + b"\n\n"
