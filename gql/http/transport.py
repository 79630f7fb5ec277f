"""The HTTP conventions in front of /graphql that clients rely on beyond GraphQL itself.

`gql.http.endpoint` answers GraphQL over HTTP (media types, status codes, GET for queries only). In
front of it, outermost first:

1. HEAD answered as GET, without the body (`HeadAsGet`);
2. one deadline for the whole request, `request_timeout_s`, else a 503 (`deadline`);
3. automatic persisted queries: a known hash becomes its query (`persisted_queries`);
4. the database the request reads (the primary or a read replica that has caught up), and the
   data version it reports (`read_routing`);
5. ETags for GET queries, and 304 on a match, from the data version (`etag`).

The order matters: the deadline covers everything the request does (reading its body too); a
hash-only GET is resolved before the ETag is computed; the ETag is read from the database the
body will be read from; and a 304 is decided before anything executes. CORS wraps the whole
app (`cors_middleware`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.data.replicas import ReadDatabases
from gql.execution.runtime import persisted_query_bytes
from gql.http.deadline import RequestDeadline
from gql.http.etag import ETagForGet
from gql.http.persisted_queries import PersistedQueries, PersistedQueryStore
from gql.http.persisted_table import SharedQueryStore
from gql.http.read_routing import ReadRouting
from gql.settings import Settings

__all__ = ["CORS_ALLOW_HEADERS", "HeadAsGet", "cors_middleware", "with_http_conventions"]

#: Request headers browsers may send cross-origin: the JSON body, conditional GETs, and the
#: client-identification headers Apollo Client adds.
CORS_ALLOW_HEADERS = [
    "content-type",
    "accept",
    "if-none-match",
    "eventql-min-version",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "x-request-id",
]


def cors_middleware(settings: Settings) -> list[Middleware]:
    """CORS for `settings.cors_origins` (explicit origins only); none when the list is empty."""
    origins = list(settings.cors_origins)
    if not origins:
        return []
    if "*" in origins:
        raise ValueError(
            "EVENTQL_CORS_ORIGINS must list explicit origins (https://app.example); '*' is refused"
        )
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=CORS_ALLOW_HEADERS,
            expose_headers=["ETag", "X-Request-ID", "EventQL-Data-Version"],
            allow_credentials=False,  # a public, read-only API: no cookies
            max_age=600,
        )
    ]


def with_http_conventions(
    endpoint: ASGIApp,
    *,
    settings: Settings,
    data_version: Callable[[], Awaitable[str]],
    persisted_queries: SharedQueryStore | PersistedQueryStore | None = None,
    reads: Callable[[], ReadDatabases] | None = None,
) -> ASGIApp:
    """The GraphQL endpoint behind the request deadline, automatic persisted queries, the
    choice of read database (when `reads` is given) and GET ETags."""
    app: ASGIApp = ETagForGet(endpoint, version=data_version)
    if reads is not None:
        app = ReadRouting(app, reads=reads)
    store = persisted_queries
    if store is None:
        store = PersistedQueryStore(max_bytes=persisted_query_bytes(settings))
    app = PersistedQueries(app, store, max_body_bytes=settings.max_body_bytes)
    app = RequestDeadline(app, timeout_s=settings.request_timeout_s)
    return HeadAsGet(app)


class HeadAsGet:
    """ASGI middleware answering HEAD exactly as GET (status and headers, `Content-Length`
    and `ETag` included), without the body (RFC 9110 §9.3.2)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
