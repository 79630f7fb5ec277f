"""The HTTP conventions in front of /graphql that clients rely on beyond GraphQL itself.

`gql.http` answers GraphQL over HTTP (media types, status codes, GET for queries only). In
front of it, outermost first:

1. automatic persisted queries: a known hash becomes its query (`persisted_queries`);
2. ETags for GET queries, and 304 on a match, from the data version (`etag`).

The order matters: a hash-only GET is resolved before the ETag is computed, and a 304 is
decided before anything executes. CORS wraps the whole app (`cors_middleware`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from gql.etag import ETagForGet
from gql.persisted_queries import PersistedQueries, PersistedQueryStore
from gql.settings import Settings

__all__ = ["CORS_ALLOW_HEADERS", "cors_middleware", "with_http_conventions"]

#: Request headers browsers may send cross-origin: the JSON body, conditional GETs, and the
#: client-identification headers Apollo Client adds.
CORS_ALLOW_HEADERS = [
    "content-type",
    "accept",
    "if-none-match",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
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
            expose_headers=["ETag"],
            allow_credentials=False,  # a public, read-only API: no cookies
            max_age=600,
        )
    ]


def with_http_conventions(
    endpoint: ASGIApp,
    *,
    settings: Settings,
    data_version: Callable[[], Awaitable[str]],
    persisted_queries: PersistedQueryStore | None = None,
) -> ASGIApp:
    """The GraphQL endpoint behind automatic persisted queries and GET ETags."""
    app: ASGIApp = ETagForGet(endpoint, version=data_version)
    return PersistedQueries(app, persisted_queries, max_body_bytes=settings.max_body_bytes)
