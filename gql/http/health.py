"""Health endpoints for operators and orchestrators: `/healthz` and `/readyz`.

- `GET /healthz` — liveness, with a report: 200 whenever the process answers, with the
  database's kind, whether it is reachable, and the data version (the hash over every
  dataset's content hash that ETags use, `gql.http.etag.dataset_version`; it changes exactly
  when a seed or import changes data). A liveness probe should not restart a server because
  its database is away: the server recovers by itself when it is back.
- `GET /readyz` — readiness: 200 while the database answers, 503 with `Retry-After` while it
  does not (down, unreachable, locked, its tables missing) or before the app has started.
  Load balancers send no traffic to a server that is not ready.

Both report the data version this server has seen (`database.version`, the newest
`datasetversion.id`, as in the `EventQL-Data-Version` header) and, with read replicas, each
replica's state (`replicas`: its URL with the password masked, whether it answers, its
version, and whether it is behind — then requests read from the primary or another replica).
A replica that is down or behind never makes the server unready: the primary answers. And
while the primary is away, a replica that has caught up keeps the server ready: queries are
answered from it (loads and new persisted queries wait for the primary).

Each check reads the data version: one small read, bounded by `CHECK_TIMEOUT_S`. Failures are
reported in a sentence, never with a traceback, SQL or path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gql.data.database import Database
from gql.data.replicas import ReadDatabases
from gql.errors import PublicError
from gql.http.etag import dataset_version

__all__ = ["CHECK_TIMEOUT_S", "health_routes"]

logger = logging.getLogger("eventql.health")

#: Longest a check waits for the database (probes usually give up after a few seconds).
CHECK_TIMEOUT_S = 2.0


async def _check(
    database: Callable[[], Database], reads: Callable[[], ReadDatabases] | None = None
) -> dict[str, Any]:
    """The database's kind, reachability and data version, as reported (and, with `reads`,
    the data version number and the replicas' state, each read anew)."""
    try:
        db = database()
    except KeyError:  # the lifespan has not opened the database yet
        return {"kind": None, "reachable": False, "error": "the server is starting"}
    report: dict[str, Any] = {"kind": db.dialect, "reachable": False}
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            version = await dataset_version(db)
    except TimeoutError:
        report["error"] = f"the database did not answer within {CHECK_TIMEOUT_S:g} s"
    except PublicError as error:  # already translated and logged (gql.data.database_errors)
        report["error"] = error.message
    except Exception:
        logger.warning("health check failed", exc_info=True)
        report["error"] = "the database cannot be reached"
    else:
        report.update(reachable=True, dataVersion=version)
    if reads is not None:
        try:
            routing = reads()
        except KeyError:
            return report
        await routing.refresh()  # each read bounded, failures reported per database
        if report["reachable"]:
            report["version"] = routing.newest
        if routing.replicas:
            report["replicas"] = routing.report()
    return report


def health_routes(
    database: Callable[[], Database], reads: Callable[[], ReadDatabases] | None = None
) -> list[Route]:
    """`/healthz` and `/readyz` over the app's database (`database()` raises KeyError before
    the app has started) and its read replicas (`reads`)."""

    async def healthz(_request: Request) -> Response:
        report = await _check(database, reads)
        version = report.pop("dataVersion", None)
        replicas = report.pop("replicas", None)
        status = "ok" if report["reachable"] else "degraded"
        body = {"status": status, "database": report, "dataVersion": version}
        if replicas is not None:
            body["replicas"] = replicas
        return JSONResponse(body)

    async def readyz(_request: Request) -> Response:
        report = await _check(database, reads)
        report.pop("dataVersion", None)
        replicas = report.pop("replicas", None)
        body = {"database": report, **({"replicas": replicas} if replicas is not None else {})}
        # Queries still have somewhere to go while the primary is away: a replica caught up.
        serving = any(r["reachable"] and not r["behind"] for r in replicas or [])
        if report["reachable"] or serving:
            return JSONResponse({"status": "ready", **body})
        return JSONResponse({"status": "unavailable", **body}, 503, headers={"Retry-After": "1"})

    return [
        Route("/healthz", healthz, methods=["GET"], name="healthz"),
        Route("/readyz", readyz, methods=["GET"], name="readyz"),
    ]
