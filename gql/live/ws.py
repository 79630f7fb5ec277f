"""GraphQL over WebSocket: the `graphql-transport-ws` protocol (the `graphql-ws` library's,
which Apollo Client and urql use), at `/graphql`.

    client                               server
    ConnectionInit {payload?}       →
                                    ←    ConnectionAck        (within connection_init_timeout_s,
                                                               else close 4408)
    Subscribe {id, payload}         →
                                    ←    Next {id, payload}   (one per result or event)
                                    ←    Error {id, payload}  (errors before execution; ends it)
                                    ←    Complete {id}        (a query's one result was sent)
    Complete {id}                   →                         (the client stops an operation)
    Ping / Pong                     ↔    either side, any time after the socket opens

A message that breaks the protocol closes the socket with the protocol's code and a reason:
4400 an invalid message, 4401 Subscribe before the ConnectionAck, 4406 a client that does not
speak `graphql-transport-ws`, 4408 no ConnectionInit in time, 4409 a Subscribe whose id is
already running, 4429 a second ConnectionInit. Limits are GraphQL errors (`Error`, code
LIMIT_EXCEEDED, the message naming the setting): operations per socket
(`max_subscriptions_per_connection`), subscriptions per process (`max_subscriptions`).
The server pings an idle socket every `keep_alive_s` (clients answer with Pong) and answers
the client's pings. Nothing a client sends can crash the worker: an unexpected failure is
logged and closes the socket with 1011.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from gql.live.operations import BadOperation, LiveOperations, Operation

__all__ = ["PROTOCOL", "GraphQLWebSocket"]

logger = logging.getLogger("eventql.live")

#: The subprotocol this endpoint speaks.
PROTOCOL = "graphql-transport-ws"
#: Close codes of the protocol.
INVALID_MESSAGE = 4400
UNAUTHORIZED = 4401
SUBPROTOCOL_NOT_ACCEPTABLE = 4406
INIT_TIMEOUT = 4408
SUBSCRIBER_EXISTS = 4409
TOO_MANY_INITS = 4429
INTERNAL_ERROR = 1011


class _Close(Exception):
    """End the socket with a close code and reason (at most 123 bytes, as WebSocket allows)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason.encode()[:123].decode(errors="ignore")


class GraphQLWebSocket:
    """The WebSocket endpoint: one `_Socket` per connection."""

    def __init__(self, operations: LiveOperations) -> None:
        self.operations = operations

    async def handle(self, websocket: WebSocket) -> None:
        """Serve one WebSocket connection until it closes."""
        await _Socket(websocket, self.operations).serve()


class _Socket:
    """One client's socket: its state and its running operations."""

    def __init__(self, websocket: WebSocket, operations: LiveOperations) -> None:
        self.websocket = websocket
        self.operations = operations
        self.settings = operations.settings
        self.init_received = False
        self.acknowledged = False
        self.running: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()

    async def serve(self) -> None:
        """Accept the socket, speak the protocol until either side closes it."""
        offered = self.websocket.scope.get("subprotocols") or []
        if PROTOCOL not in offered:
            # Accepted without a subprotocol only to say why in a close code (4406).
            await self.websocket.accept()
            await self._close(SUBPROTOCOL_NOT_ACCEPTABLE, "Subprotocol not acceptable")
            return
        await self.websocket.accept(subprotocol=PROTOCOL)
        keep_alive = asyncio.create_task(self._keep_alive())
        try:
            async with asyncio.timeout(self.settings.connection_init_timeout_s):
                while not self.init_received:
                    await self._handle(await self._receive())
            while True:
                await self._handle(await self._receive())
        except TimeoutError:
            await self._close(INIT_TIMEOUT, "Connection initialisation timeout")
        except _Close as close:
            logger.info("closing a WebSocket (%d): %s", close.code, close.reason)
            await self._close(close.code, close.reason)
        except WebSocketDisconnect:
            pass
        except Exception:
            logger.exception("unexpected error on a GraphQL WebSocket")
            await self._close(INTERNAL_ERROR, "Internal server error")
        finally:
            keep_alive.cancel()
            for task in list(self.running.values()):
                task.cancel()
            for task in [keep_alive, *self.running.values()]:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _receive(self) -> dict[str, Any]:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            raise _Close(INVALID_MESSAGE, "Invalid message received: messages are JSON text")
        if len(text) > self.settings.max_body_bytes:
            raise _Close(
                INVALID_MESSAGE,
                f"Invalid message received: over {self.settings.max_body_bytes} bytes "
                "(max_body_bytes)",
            )
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise _Close(INVALID_MESSAGE, "Invalid message received: not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise _Close(INVALID_MESSAGE, "Invalid message received: no `type`")
        return data

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "connection_init":
            payload = message.get("payload")
            if payload is not None and not isinstance(payload, dict):
                raise _Close(INVALID_MESSAGE, "Invalid message received: payload is not an object")
            if self.init_received:
                raise _Close(TOO_MANY_INITS, "Too many initialisation requests")
            self.init_received = True
            await self._send({"type": "connection_ack"})
            self.acknowledged = True
        elif kind == "ping":
            await self._send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            task = self.running.pop(_id(message), None)
            if task is not None:
                task.cancel()
        else:
            raise _Close(INVALID_MESSAGE, f"Invalid message received: unknown type {kind!r}")

    async def _subscribe(self, message: dict[str, Any]) -> None:
        operation_id = _id(message)
        try:
            operation = Operation.from_payload(message.get("payload"))
        except BadOperation as error:
            raise _Close(INVALID_MESSAGE, f"Invalid message received: {error}") from None
        if not self.acknowledged:
            raise _Close(UNAUTHORIZED, "Unauthorized")
        if operation_id in self.running:
            raise _Close(SUBSCRIBER_EXISTS, f"Subscriber for {operation_id} already exists")
        limit = self.settings.max_subscriptions_per_connection
        if len(self.running) >= limit:
            limited = {
                "message": f"subscription limit exceeded: at most {limit} operations run at once "
                "on one connection (max_subscriptions_per_connection)",
                "extensions": {"code": "LIMIT_EXCEEDED"},
            }
            await self._send({"type": "error", "id": operation_id, "payload": [limited]})
            return
        self.running[operation_id] = asyncio.create_task(self._run(operation_id, operation))

    async def _run(self, operation_id: str, operation: Operation) -> None:
        try:
            async for kind, payload in self.operations.run(operation, "ws"):
                await self._send({"type": kind, "id": operation_id, "payload": payload})
                if kind == "error":
                    return
            await self._send({"type": "complete", "id": operation_id})
        except (WebSocketDisconnect, RuntimeError):
            pass  # the socket closed under it: nobody to tell
        finally:
            if self.running.get(operation_id) is asyncio.current_task():
                del self.running[operation_id]

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.settings.keep_alive_s)
            await self._send({"type": "ping"})

    async def _send(self, message: dict[str, Any]) -> None:
        async with self._send_lock:
            if self.websocket.application_state is WebSocketState.CONNECTED:
                await self.websocket.send_text(orjson.dumps(message).decode())

    async def _close(self, code: int, reason: str) -> None:
        async with self._send_lock:
            if self.websocket.application_state is WebSocketState.CONNECTED:
                with contextlib.suppress(Exception):
                    await self.websocket.close(code, reason)


def _id(message: dict[str, Any]) -> str:
    operation_id = message.get("id")
    if not isinstance(operation_id, str) or not operation_id:
        raise _Close(INVALID_MESSAGE, "Invalid message received: no `id`")
    return operation_id
