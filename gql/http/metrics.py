"""`/metrics` in Prometheus text format, and the measure of every `/graphql` request.

`GraphQLMetrics` wraps the GraphQL endpoint (outside the deadline, persisted queries and
ETags, so it times everything a client waits for). While a request runs, the layers below say
what it was through `note_operation` and `note_errors` — its operation name and the codes of
the errors it answered with — and when the response is sent the request is counted and timed
by operation and outcome:

    outcome        the response
    ─────────────  ────────────────────────────────────────────────────────────────────
    ok             no errors
    not_modified   a 304 for a GET whose ETag matched (nothing executed)
    client_error   errors the client must fix (parse, validation, variables, limits, ...)
    unavailable    DATABASE_UNAVAILABLE or REQUEST_TIMEOUT: retry later
    server_error   INTERNAL_SERVER_ERROR: a bug, logged with its traceback

Operation names are bounded (`gql.metrics.OperationLabels`: the first 100 names, then
`(other)`). Operations without a name are `(anonymous)`; documents that do not parse or
validate `(invalid)`; requests that never reached an operation (a malformed request, an
unknown operation name, a 304) `(none)`; batches `(batch)`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql import metrics
from gql.errors import CLIENT_ERROR_CODES

__all__ = ["GraphQLMetrics", "metrics_endpoint", "note_batch", "note_errors", "note_operation"]

#: Distinct operation names counted under their own label per process; more are `(other)`.
MAX_OPERATION_NAMES = 100
_UNAVAILABLE = frozenset({"DATABASE_UNAVAILABLE", "REQUEST_TIMEOUT"})


@dataclass
class _Request:
    """What the layers below said about the request being answered."""

    reached: bool = False  # an operation ran, or was refused by parsing or validation
    name: str | None = None
    valid: bool = False
    batch: bool = False
    codes: list[str] = field(default_factory=list)


_CURRENT: ContextVar[_Request | None] = ContextVar("eventql_graphql_request", default=None)


def note_operation(name: str | None, *, valid: bool) -> None:
    """The request runs the operation `name` (None: anonymous); `valid` when its document
    parsed and validated (only then may its name become a label of its own)."""
    current = _CURRENT.get()
    if current is not None:
        current.reached = True
        current.name = name
        current.valid = valid


def note_batch() -> None:
    """The request is a batch of operations: counted as one, labelled `(batch)`."""
    current = _CURRENT.get()
    if current is not None:
        current.batch = True


def note_errors(codes: Iterable[str]) -> None:
    """The response carries errors with these codes."""
    codes = list(codes)
    for code in codes:
        metrics.GRAPHQL_ERRORS.labels(code).inc()
    current = _CURRENT.get()
    if current is not None:
        current.codes.extend(codes)


def _outcome(codes: list[str], status: int) -> str:
    if "INTERNAL_SERVER_ERROR" in codes or (status >= 500 and not codes):
        return "server_error"
    if _UNAVAILABLE.intersection(codes):
        return "unavailable"
    if codes:
        return "client_error" if CLIENT_ERROR_CODES.issuperset(codes) else "server_error"
    return "not_modified" if status == 304 else "ok"


class GraphQLMetrics:
    """ASGI middleware counting and timing `/graphql` requests by operation and outcome."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        #: The operation names counted under labels of their own.
        self.labels = metrics.OperationLabels(MAX_OPERATION_NAMES)
        #: The counter and histogram of each (operation, outcome), looked up once: `labels()`
        #: checks and locks on every call. Bounded, as the labels are.
        self._series: dict[tuple[str, str], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        current = _Request()
        token = _CURRENT.set(current)
        status = 500  # unless a response starts: the request failed before answering

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            _CURRENT.reset(token)
            if current.batch:
                operation = metrics.BATCH
            elif current.reached and not current.valid:
                operation = metrics.INVALID
            elif current.reached:
                operation = self.labels.label(current.name)
            else:
                operation = metrics.NONE
            labels = (operation, _outcome(current.codes, status))
            series = self._series.get(labels)
            if series is None:
                series = self._series[labels] = (
                    metrics.REQUESTS.labels(*labels),
                    metrics.REQUEST_SECONDS.labels(*labels),
                )
            series[0].inc()
            series[1].observe(time.perf_counter() - started)


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics`: every metric of this process, in Prometheus text format (0.0.4), or
    OpenMetrics when the scraper asks for it in `Accept`."""
    encode, media_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(REGISTRY), headers={"Content-Type": media_type})
