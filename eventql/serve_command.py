"""`eventql serve`: run the API with uvicorn.

Options override the `EVENTQL_*` environment variables and reach every worker through them:
uvicorn starts each worker from the app factory `eventql.asgi:create_app_from_env`, which
reads the environment. The database is prepared (tables created, bundled seeds loaded into an
empty one) once, here, before any worker starts.

Exit codes: 0 stopped normally; 2 the database was built by another schema version; 3 the
database could not be reached or prepared.
"""

from __future__ import annotations

import logging
import logging.config
import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from eventql.logs import log_config
from eventql.seed_watch import SeedWatcher
from eventql.startup import prepare_database
from gql.settings import Settings
from schema.db import SchemaMismatchError
from seeds import bundled_seed_paths

_ERRORS = Console(stderr=True)
#: How long an idle keep-alive connection stays open.
KEEP_ALIVE_S = 30
#: How long uvicorn waits for a worker to answer a health ping before restarting it.
WORKER_HEALTHCHECK_S = 60


def serve(
    host: Annotated[
        str | None,
        typer.Option(help="Interface to listen on. (env EVENTQL_HOST, default 127.0.0.1)"),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on. (env EVENTQL_PORT, default 8000)")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes. (env EVENTQL_WORKERS, default 1)", min=1),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="sqlite:///path or postgresql://user@host/db. "
            "(env EVENTQL_DATABASE_URL, default sqlite:///eventql.sqlite3)"
        ),
    ] = None,
    reload: Annotated[
        bool, typer.Option("--reload", help="Restart on code changes (development; one worker).")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Load the seed files PATHS (default: the bundled seeds) and reseed whenever they "
            "change; an invalid edit is logged and the served data stays as it was.",
        ),
    ] = False,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Seed files or folders to --watch.", show_default=False),
    ] = None,
) -> None:
    """Serve the GraphQL API at /graphql (GraphiQL in a browser) and a health check at /healthz.

    On first start with an empty database, the bundled seed records are loaded.
    """
    if paths and not watch:
        _ERRORS.print("[red]Seed paths are only used with --watch.[/red]")
        raise typer.Exit(2)
    overrides = {"HOST": host, "PORT": port, "WORKERS": workers, "DATABASE_URL": database_url}
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"EVENTQL_{name}"] = str(value)
    try:
        settings = Settings()
    except ValidationError as error:
        _ERRORS.print(f"[red]Invalid settings:[/red] {error}")
        raise typer.Exit(2) from None
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    logging.config.dictConfig(log_config(settings.log_format))
    try:
        prepare_database(settings)
    except SchemaMismatchError as error:
        _ERRORS.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    except SQLAlchemyError as error:
        _ERRORS.print(f"[red]Cannot prepare the database {shown}:[/red] {error.__class__.__name__}")
        raise typer.Exit(3) from None
    typer.echo(f"eventql: serving {shown} at http://{settings.host}:{settings.port}/graphql")
    # The watcher runs in this (supervising) process, so several workers reseed once.
    watcher = SeedWatcher(paths or bundled_seed_paths(), settings.database_url) if watch else None
    if watcher is not None:
        watcher.start()
    try:
        uvicorn.run(
            "eventql.asgi:create_app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=None if reload else settings.workers,
            reload=reload,
            log_level="info",
            log_config=log_config(settings.log_format),
            # A worker answers the supervisor's health pings only once its imports are done;
            # on a busy machine that takes longer than uvicorn's 5 s and the worker is killed.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            # Longer than the usual client pool expiry (httpx: 5 s), so the server never closes
            # an idle connection at the moment a pooled client reuses it.
            timeout_keep_alive=KEEP_ALIVE_S,
        )
    finally:
        if watcher is not None:
            watcher.stop()
