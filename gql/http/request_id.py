"""A request ID for every HTTP request: in the `X-Request-ID` response header, and on every log
line written while the request is answered.

`RequestIdMiddleware` (outermost in the app) takes the client's `X-Request-ID` when it is sane
— at most 128 characters of letters, digits and `-_.:` (so it is safe in a header and a log
line, and a proxy's or gateway's ID carries through) — and otherwise makes one (32 hex digits),
keeps it in a context variable for the request's task (worker threads and statement tasks
started from it inherit it), and returns it in the response header.

`RequestIdFilter`, on a logging handler, puts it on each record as `request_id` (None outside
a request), which the formatters of `eventql.logs` write.
"""

from __future__ import annotations

import logging
import random
import re
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HEADER", "RequestIdFilter", "RequestIdMiddleware", "current_request_id"]

HEADER = "X-Request-ID"
_HEADER_KEY = HEADER.lower().encode()
#: What a client's own request ID may look like to be kept.
_SANE = re.compile(rb"[A-Za-z0-9._:-]{1,128}")

_REQUEST_ID: ContextVar[str | None] = ContextVar("eventql_request_id", default=None)


def current_request_id() -> str | None:
    """The ID of the request being answered, or None outside a request."""
    return _REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or None) to every record a handler emits."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, tagged with the current request's ID."""
        if getattr(record, "request_id", None) is None:
            record.request_id = _REQUEST_ID.get()
        return True


def _new_id() -> str:
    """128 random bits as 32 hex digits. An ID only needs to be unique, not secret: Python's
    generator (seeded from the OS in each worker process) costs a fraction of `uuid4`'s
    system call."""
    return f"{random.getrandbits(128):032x}"


class RequestIdMiddleware:
    """ASGI middleware giving each HTTP request its ID (`X-Request-ID`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for key, value in scope["headers"] if key == _HEADER_KEY), b"")
        request_id = given.decode() if _SANE.fullmatch(given) else _new_id()
        header = (_HEADER_KEY, request_id.encode())

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0].lower() != _HEADER_KEY]
                message = {**message, "headers": [*headers, header]}
            await send(message)

        token = _REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, sending)
        finally:
            _REQUEST_ID.reset(token)
