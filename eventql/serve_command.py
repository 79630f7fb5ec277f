"""`eventql serve`: run the API with uvicorn.

Options override the `EVENTQL_*` environment variables and reach every worker through them:
uvicorn starts each worker from the app factory `eventql.asgi:create_app_from_env`, which
reads the environment. The database is prepared (tables created, bundled seeds loaded into an
empty one) once, here, before any worker starts.

Exit codes (`eventql.exit_codes`): 0 stopped normally; 2 a usage error; 3 the database could
not be reached or prepared; 4 an invalid setting, said before anything starts; 5 the database
was built by another schema version.
"""

from __future__ import annotations

import logging
import logging.config
import os
import socket
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from eventql.database_errors import exit_on_database_errors, shown_url
from eventql.exit_codes import ExitCode, fail
from eventql.logs import log_config
from eventql.seed_watch import SeedWatcher
from eventql.settings_errors import read_settings
from eventql.startup import prepare_database
from seeds import bundled_seed_paths

#: How long an idle keep-alive connection stays open.
KEEP_ALIVE_S = 30
#: How long uvicorn waits for a worker to answer a health ping before restarting it.
WORKER_HEALTHCHECK_S = 60


def serve(
    host: Annotated[
        str | None,
        typer.Option(
            metavar="HOST", help="Interface to listen on. (env EVENTQL_HOST, default 127.0.0.1)"
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(metavar="PORT", help="Port to listen on. (env EVENTQL_PORT, default 8000)"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Worker processes, 1 to 64. (env EVENTQL_WORKERS, default 1)"
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="sqlite:///path or postgresql://user@host/db. "
            "(env EVENTQL_DATABASE_URL, default sqlite:///eventql.sqlite3)",
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
        typer.Argument(
            metavar="[PATH]...", help="Seed files or folders to --watch.", show_default=False
        ),
    ] = None,
) -> None:
    """Serve the GraphQL API at /graphql (GraphiQL in a browser) and a health check at /healthz.

    On first start with an empty database, the bundled seed records are loaded.
    """
    if paths and not watch:
        raise typer.BadParameter("seed paths are only used with --watch", param_hint="PATH")
    overrides = {"host": host, "port": port, "workers": workers, "database_url": database_url}
    settings = read_settings(**overrides)  # every setting checked before anything starts
    for name, value in overrides.items():  # how the options reach uvicorn's workers
        if value is not None:
            os.environ[f"EVENTQL_{name.upper()}"] = str(value)
    _check_listening(settings.host, settings.port)
    shown = shown_url(settings.database_url)
    logging.config.dictConfig(log_config(settings.log_format))
    with exit_on_database_errors(settings.database_url):
        prepare_database(settings)
    typer.echo(f"eventql: serving {shown} at http://{settings.host}:{settings.port}/graphql")
    # The watcher runs in this (supervising) process, so several workers reseed once.
    watcher = (
        SeedWatcher(
            paths or bundled_seed_paths(),
            settings.database_url,
            history_keep=settings.history_keep,
        )
        if watch
        else None
    )
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


def _check_listening(host: str, port: int) -> None:
    """Exit with a settings error when the server could not listen on host:port.

    uvicorn would find out only after "serving …" was printed, and exit with its own code.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as error:
        fail(
            ExitCode.SETTINGS,
            f"Cannot listen on {host}:{port} (--host/--port, EVENTQL_HOST/EVENTQL_PORT): "
            f"{error.strerror or error}.",
            "  Accepted: an address of this machine (127.0.0.1, 0.0.0.0, ::) and a free port.",
        )
