"""Data versions over HTTP: `EventQL-Data-Version` out, `EventQL-Min-Version` in.

Every `/graphql` response says, in `EventQL-Data-Version`, a data version (the newest
`datasetversion.id`) that the data it was read from has at least reached. A client that talks
to several hosts (behind a load balancer) sends the highest one it has been given back as
`EventQL-Min-Version`: the host then reads from a database at least that new — a read replica
that has caught up, else the primary (`gql.data.replicas`) — so the client never sees older
data than it has already seen. A value that is not a whole number from 0 to 2^63-1 is a 400.

This middleware chooses the database before anything else reads (`READ_DATABASE`), so the
ETag (`gql.http.etag`) and the body of one response come from the same database: a replica
that is behind gives its own older tag with its own older body, never one without the other.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.data.replicas import READ_DATABASE, ReadDatabases
from gql.http.asgi_messages import json_response
from gql.http.metrics import note_errors

__all__ = ["DATA_VERSION_HEADER", "MIN_VERSION_HEADER", "ReadRouting"]

DATA_VERSION_HEADER = "EventQL-Data-Version"
MIN_VERSION_HEADER = "EventQL-Min-Version"
_MIN_VERSION = MIN_VERSION_HEADER.lower().encode()
_DATA_VERSION = DATA_VERSION_HEADER.lower().encode()
_MAX_VERSION = 2**63 - 1


class ReadRouting:
    """ASGI middleware choosing each request's read database and reporting its version."""

    def __init__(self, app: ASGIApp, *, reads: Callable[[], ReadDatabases]) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == _MIN_VERSION), None)
        min_version = _version(given)
        if min_version is None:
            await _bad_min_version(send, given or b"")
            return
        try:
            reads = self.reads()
        except KeyError:  # the app has not started: the endpoint answers as it does then
            await self.app(scope, receive, send)
            return
        choice = await reads.choose(min_version)
        version = str(choice.version).encode()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (_DATA_VERSION, version)]
                message = {**message, "headers": headers}
            await send(message)

        token = READ_DATABASE.set(choice.database)
        try:
            await self.app(scope, receive, sending)
        finally:
            READ_DATABASE.reset(token)


def _version(value: bytes | None) -> int | None:
    """The minimum version a request asks for (0 when it names none), None if malformed."""
    if value is None:
        return 0
    text = value.strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= _MAX_VERSION else None


async def _bad_min_version(send: Send, given: bytes) -> None:
    shown = given.decode("latin-1")[:40]
    message = (
        f"{MIN_VERSION_HEADER} must be a data version (a whole number from 0 to 2^63-1, as "
        f"sent in {DATA_VERSION_HEADER}), got {shown!r}"
    )
    note_errors(["BAD_REQUEST"])
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    await json_response(send, 400, orjson.dumps(body))
