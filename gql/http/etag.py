"""ETags for GET queries: a repeated query over unchanged data costs a 304 and no execution.

The tag is a hash of the data version and the request: the query, its variables and operation
name (the whole query string) and the `Accept` header (which picks the media type). The data
version is a hash of the `(name, content_hash)` rows of the `dataset` table; every seed or
import rewrites its dataset's `content_hash`, so a reseed changes every tag. It is read per
request (one indexed read of a handful of rows) before the query runs, so a tag can only ever
be older than its data, never newer: the worst case is one needless full response.

Only successful responses get a tag: a response with errors may be transient (a timeout), and
a client must not keep it as a valid cache entry. For the same reason `If-None-Match: *` — true
when a current representation exists (RFC 9110 §13.1.2) — gets its 304 only once the query
has run and succeeded: a query that is invalid, or fails, has no representation to match.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from sqlalchemy import select
from starlette.types import ASGIApp, Receive, Scope, Send

from gql.data.database import Database
from gql.http.asgi_messages import capture_json_response
from schema.tables import Dataset

__all__ = ["ETagForGet", "dataset_version", "etag_matches"]

logger = logging.getLogger(__name__)

# Clients may keep the response but must revalidate it: with an ETag that is one cheap 304.
CACHE_CONTROL = b"no-cache"
VARY = b"Accept"


async def dataset_version(database: Database) -> str:
    """A hash over every dataset's name and content hash: changes exactly when data does."""
    columns = Dataset.__table__.c  # type: ignore[attr-defined]
    rows = await database.all(select(columns.name, columns.content_hash).order_by(columns.name))
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.name}\0{row.content_hash}\n".encode())
    return digest.hexdigest()


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison of an `If-None-Match` list against `etag` (`*` is not a
    match here: it needs the response, see `ETagForGet`)."""
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class ETagForGet:
    """ASGI middleware adding ETags to GET query responses and answering 304 on a match."""

    def __init__(self, app: ASGIApp, *, version: Callable[[], Awaitable[str]]) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        query_string = scope.get("query_string", b"")
        if not any(key == "query" for key, _ in parse_qsl(query_string.decode("latin-1"))):
            await self.app(scope, receive, send)
            return
        try:
            version = await self.version()
        except Exception:  # no tag is better than no answer
            logger.exception("could not read the data version; serving without an ETag")
            await self.app(scope, receive, send)
            return

        headers = dict(scope["headers"])
        digest = hashlib.sha256(
            b"\0".join([version.encode(), query_string, headers.get(b"accept", b"")])
        )
        etag = f'"{digest.hexdigest()[:32]}"'
        cache_headers = [
            (b"etag", etag.encode()),
            (b"cache-control", CACHE_CONTROL),
            (b"vary", VARY),
        ]
        if_none_match = (headers.get(b"if-none-match") or b"").decode("latin-1").strip()
        if if_none_match and etag_matches(if_none_match, etag):
            await _not_modified(send, cache_headers)
            return

        response = await capture_json_response(self.app, scope, receive, send)
        if response is None:
            return
        if response.status == 200 and b'"errors"' not in response.body:
            if if_none_match == "*":  # a current representation exists: this one
                await _not_modified(send, cache_headers)
                return
            for name, value in cache_headers:
                response.set_header(name, value)
        await response.send(send)


async def _not_modified(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})
