"""The ASGI app `eventql serve` runs: settings from `EVENTQL_*` variables, every route wired.

uvicorn imports `create_app_from_env` in each worker process (`factory=True`), which is how
command-line options reach several workers: `eventql serve` puts them in the environment.
`uvicorn eventql.asgi:create_app_from_env --factory` runs it directly, so the factory fails
as cleanly as the command: an invalid setting or an unusable database is a message on stderr
and an exit code of `eventql.exit_codes`, not a traceback.
"""

from __future__ import annotations

import sys

from starlette.applications import Starlette

from eventql.database_errors import exit_on_database_errors
from eventql.export_routes import export_routes
from eventql.settings_errors import read_settings
from eventql.startup import prepare_database
from gql.http.app import create_app


def create_app_from_env() -> Starlette:
    """The app for the settings in the environment; prepares (and seeds) the database."""
    # Worker threads run CPU-bound Python (downloads, parsing and planning off the loop):
    # a 1 ms GIL switch interval (default 5 ms) lets the event loop in between them sooner.
    # Measured with four downloads running: a probe's worst wait 751 ms → 235 ms.
    sys.setswitchinterval(0.001)
    settings = read_settings()
    # Prepared here rather than in the app's lifespan: a failure there reaches uvicorn as a
    # traceback, while here it exits with its message before the server starts.
    with exit_on_database_errors(settings.database_url):
        prepare_database(settings)
    return create_app(settings, routes=export_routes(settings))
