"""The Starlette app: `/graphql`, `/healthz`, and whatever routes the caller adds.

`create_app(settings)` builds everything from one `Settings` object, so tests and the server
make their own apps. The lifespan owns the database engine: it runs the optional `prepare`
step (create tables, seed an empty database — sync work, in a thread so the event loop stays
free), opens the async engine, and disposes of it on shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from eventql.settings import Settings
from gql.database import Database, open_database
from gql.http import GraphQLEndpoint, HtmlPage
from gql.schema import build_schema

#: Methods routed to the GraphQL endpoint (which answers all but GET and POST with a 405).
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_app(
    settings: Settings,
    *,
    routes: Sequence[BaseRoute] = (),
    prepare: Callable[[Settings], None] | None = None,
    html_page: HtmlPage | None = None,
) -> Starlette:
    """The ASGI app serving the GraphQL API.

    `routes` are appended after `/graphql` and `/healthz`; `prepare(settings)` runs once at
    start-up in a worker thread, before the engine opens; `html_page` may answer a GET of
    `/graphql` itself (the GraphiQL explorer for browsers).
    """
    schema = build_schema(settings)
    holder: dict[str, Database] = {}

    def database() -> Database:
        return holder["db"]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if prepare is not None:
            await anyio.to_thread.run_sync(prepare, settings)
        holder["db"] = open_database(
            settings.database_url,
            pool_size=settings.pool_size,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        _app.state.db = holder["db"]
        try:
            yield
        finally:
            await holder.pop("db").dispose()

    async def healthz(_request: Request) -> Response:
        try:
            await database().scalar(select(1))
        except Exception:
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    endpoint = GraphQLEndpoint(schema, settings, database, html_page)
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "accept"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", endpoint.handle, methods=_METHODS, name="graphql"),
            Route("/healthz", healthz, methods=["GET"], name="healthz"),
            *routes,
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.schema = schema
    return app
