"""One deadline for a whole HTTP request to `/graphql`: `request_timeout_s`.

Everything the request does counts, from the first byte of its body to the last operation of
a batch: reading the body, persisted-query and ETag lookups, parsing and validating (in a
worker thread or not), and every operation's database work. When the deadline passes, the
request's task is cancelled — statements under way are interrupted as their snapshot closes
(`gql.data.database`), pending DataLoader loads are dropped (`gql.data.dataloader`), work
queued for a
worker thread is never started — and the client gets a 503 with `Retry-After`, naming the
limit. Work already running in a worker thread finishes on its own; the limits bound it.

Once the response has started, the deadline is off: an answer that is ready is sent whole.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.http.endpoint import JSON, error_response, response_type

__all__ = ["RequestDeadline", "timeout_message"]

#: Seconds a client should wait before trying again after a timeout.
RETRY_AFTER_S = 1


def timeout_message(timeout_s: float) -> str:
    """The error message of a request that ran out of time."""
    return f"request timeout: the request took longer than {timeout_s:g} s (request_timeout_s)"


class RequestDeadline:
    """ASGI middleware: the request is answered within `timeout_s`, or gets a 503."""

    def __init__(self, app: ASGIApp, *, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        deadline = asyncio.timeout(self.timeout_s)

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not deadline.expired():
                started = True
                deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, sending)
        except TimeoutError:
            if started or not deadline.expired():
                raise  # not this deadline's: the app's own error
            response = error_response(
                503,
                timeout_message(self.timeout_s),
                response_type(Request(scope)) or JSON,
                {"Retry-After": str(RETRY_AFTER_S)},
                code="REQUEST_TIMEOUT",
            )
            await response(scope, receive, send)
