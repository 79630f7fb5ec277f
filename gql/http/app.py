"""The Starlette app: `/graphql` (HTTP, and WebSocket subscriptions), `/graphql/stream`
(Server-Sent Events), `/healthz` and `/readyz`, `/metrics`, `/favicon.ico`, and
whatever routes the caller adds.

`create_app(settings)` builds everything from one `Settings` object, so tests and the server
make their own apps. The lifespan owns the database engine: it runs the optional `prepare`
step (create tables, seed an empty database — sync work, in a thread so the event loop stays
free), opens the async engine, and disposes of it on shutdown, when it also stops the
schema's worker threads (`gql.execution.workers`).

Every response carries an `X-Request-ID` (`gql.http.request_id`); `/graphql` requests are
counted and timed for `/metrics` (`gql.http.metrics`) unless `metrics` is off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, WebSocketRoute, request_response
from starlette.types import ASGIApp

from gql.data.database import Database, open_database
from gql.http import explorer
from gql.http.endpoint import GraphQLEndpoint, HtmlPage
from gql.http.etag import dataset_version
from gql.http.favicon import favicon_routes
from gql.http.health import health_routes
from gql.http.metrics import GraphQLMetrics, metrics_endpoint
from gql.http.request_id import RequestIdMiddleware
from gql.http.transport import cors_middleware, with_http_conventions
from gql.live.feed import VersionFeed
from gql.live.operations import LiveOperations
from gql.live.sse import GraphQLEventStream
from gql.live.stopping import Stopping
from gql.live.ws import GraphQLWebSocket
from gql.schema import build_schema
from gql.settings import Settings

#: Methods routed to the GraphQL endpoint (which answers all but GET and POST with a 405;
#: Starlette adds HEAD to a route with GET, and `gql.http.transport` answers it as a GET).
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_app(
    settings: Settings,
    *,
    routes: Sequence[BaseRoute] = (),
    prepare: Callable[[Settings], None] | None = None,
    html_page: HtmlPage | None = None,
) -> Starlette:
    """The ASGI app serving the GraphQL API.

    `routes` are appended after the app's own; `prepare(settings)` runs once at
    start-up in a worker thread, before the engine opens; `html_page` may answer a GET of
    `/graphql` itself (the GraphiQL explorer for browsers).
    """
    schema = build_schema(settings)
    holder: dict[str, Database] = {}

    def database() -> Database:
        return holder["db"]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stopping.watch()  # event streams end when the process is told to stop
        if prepare is not None:
            await anyio.to_thread.run_sync(prepare, settings)
        holder["db"] = open_database(
            settings.database_url,
            pool_size=settings.pool_size,
            statement_timeout_ms=settings.statement_timeout_ms,
            pool_timeout_s=settings.pool_timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
        )
        _app.state.db = holder["db"]
        try:
            yield
        finally:
            await feed.close()
            await holder.pop("db").dispose()
            schema.close()

    if html_page is None and settings.graphiql:
        html_page = explorer.html_page
    endpoint = GraphQLEndpoint(schema, settings, database, html_page)
    # Live updates (gql.live): one version feed per process, for both transports.
    feed = VersionFeed(database, settings)
    live = LiveOperations(schema, settings, database, feed)
    stopping = Stopping()
    stream = GraphQLEventStream(live, settings, stopping)
    # Persisted queries and GET ETags wrap the endpoint (gql.http.transport).
    graphql: ASGIApp = with_http_conventions(
        request_response(endpoint.handle),
        settings=settings,
        data_version=lambda: dataset_version(database()),
    )
    if settings.metrics:
        graphql = GraphQLMetrics(graphql)
    metrics = [Route("/metrics", metrics_endpoint, methods=["GET"], name="metrics")]
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=_METHODS, name="graphql"),
            WebSocketRoute("/graphql", GraphQLWebSocket(live).handle, name="graphql_ws"),
            Route("/graphql/stream", stream.handle, methods=_METHODS, name="graphql_stream"),
            *health_routes(database),
            *(metrics if settings.metrics else []),
            *favicon_routes(),
            *(explorer.explorer_routes() if settings.graphiql else []),
            *routes,
        ],
        middleware=[Middleware(RequestIdMiddleware), *cors_middleware(settings)],
        lifespan=lifespan,
    )
    app.state.schema = schema
    app.state.graphql = endpoint
    app.state.feed = feed
    return app
