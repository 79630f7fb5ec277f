"""What the server counts, for `/metrics` (Prometheus): one place every layer can record in.

The metrics live in prometheus_client's default registry, one set per process, so the HTTP
layer (`gql.http.metrics`: requests, latency, error codes, and the `/metrics` route), the fast
path (answered or declined, by reason), the database (pool use, failures) and the seed
watcher of `eventql serve --watch` (reseeds, their duration) record without importing each
other. This module imports nothing of eventql's, so any layer may import it.

Every label takes values from a closed set (`OperationLabels` bounds operation names), so a
client cannot create series at will: a public API must not grow the scrape without limit.

Values are per process. With `--workers N`, each worker counts its own requests and a scrape
reaches whichever worker accepts it (see the README's Operations section).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

__all__ = [
    "DATABASE_ERRORS",
    "FAST_PATH",
    "GRAPHQL_ERRORS",
    "REQUESTS",
    "REQUEST_SECONDS",
    "RESEEDS",
    "RESEED_SECONDS",
    "SUBSCRIBERS",
    "SUBSCRIPTIONS",
    "VERSIONS_DROPPED",
    "OperationLabels",
    "forget_pool",
    "watch_pool",
]

# No `*_created` series: they double the scrape and say only when the process started.
disable_created_metrics()  # type: ignore[no-untyped-call]

#: Latency buckets in seconds: from a cached fast path answer (a few ms) to the default request
#: deadline (`request_timeout_s`, 15 s).
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)
_RESEED_BUCKETS = (0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

REQUESTS = Counter(
    "eventql_graphql_requests",
    "HTTP requests to /graphql, by operation name and outcome (ok, not_modified, "
    "client_error, unavailable, server_error).",
    ["operation", "outcome"],
)
REQUEST_SECONDS = Histogram(
    "eventql_graphql_request_duration_seconds",
    "Time to answer a /graphql request, from its first byte to the last of the response.",
    ["operation", "outcome"],
    buckets=_LATENCY_BUCKETS,
)
GRAPHQL_ERRORS = Counter(
    "eventql_graphql_errors",
    "Errors sent to clients, by extensions.code (gql.errors.ERROR_CODES).",
    ["code"],
)
FAST_PATH = Counter(
    "eventql_fastpath_operations",
    "Operations tried on the fast path: answered, or declined by reason (then the general "
    "executor answers).",
    ["result", "reason"],
)
DATABASE_ERRORS = Counter(
    "eventql_database_errors",
    "Failed database statements of requests, by kind (pool_timeout, unavailable, "
    "limit_exceeded, bad_input, unexpected).",
    ["kind"],
)
RESEEDS = Counter(
    "eventql_reseeds",
    "Seed loads run by this server (serve --watch), by outcome (loaded, unchanged, failed).",
    ["outcome"],
)
RESEED_SECONDS = Histogram(
    "eventql_reseed_duration_seconds",
    "Time a seed load took, validation included.",
    buckets=_RESEED_BUCKETS,
)

SUBSCRIPTIONS = Gauge(
    "eventql_subscriptions",
    "GraphQL subscriptions running now, by transport (ws, sse).",
    ["transport"],
)
SUBSCRIBERS = Gauge(
    "eventql_version_feed_subscribers",
    "Listeners of this process's feed of new dataset versions (gql.live.feed), each "
    "counted once it hears every version committed from then on.",
)
VERSIONS_DROPPED = Counter(
    "eventql_versions_dropped",
    "Dataset versions a subscriber too slow to take them lost (its queue was full).",
)

#: Label values of operations that have no usable name of their own. Parentheses cannot
#: occur in a GraphQL name, so none of these collides with a real operation's name.
ANONYMOUS = "(anonymous)"
OTHER = "(other)"
INVALID = "(invalid)"
NONE = "(none)"
BATCH = "(batch)"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


class OperationLabels:
    """Operation names as label values: the first `limit` distinct names, then `(other)`.

    Only names of operations that validated are given (`gql.http.metrics`), so documents that
    do not even validate cannot take the places.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        """The label value for an operation named `name` (None: anonymous)."""
        if name is None:
            return ANONYMOUS
        if name in self._names:
            return name
        if not _NAME.fullmatch(name):
            return OTHER
        with self._lock:
            if len(self._names) >= self.limit:
                return OTHER
            self._names.add(name)
        return name


_WATCHED: weakref.WeakSet[Any] = weakref.WeakSet()


def watch_pool(engine: Any) -> None:
    """Report the connection pool of `engine` (a SQLAlchemy `AsyncEngine`) until
    `forget_pool(engine)` (or until it is collected)."""
    _WATCHED.add(engine)


def forget_pool(engine: Any) -> None:
    """Stop reporting the pool of `engine` (disposed of)."""
    _WATCHED.discard(engine)


class _PoolCollector(Collector):
    """Pool sizes read at scrape time from every live engine (a server has one)."""

    def collect(self) -> Iterator[Metric]:
        size = GaugeMetricFamily(
            "eventql_database_pool_size", "Connections the pool keeps (pool_size)."
        )
        in_use = GaugeMetricFamily(
            "eventql_database_pool_in_use", "Pooled connections serving a request now."
        )
        idle = GaugeMetricFamily("eventql_database_pool_idle", "Open pooled connections idle now.")
        totals = [0, 0, 0]
        for engine in list(_WATCHED):
            pool = engine.pool
            if not all(hasattr(pool, n) for n in ("size", "checkedout", "checkedin")):
                continue  # an in-memory SQLite database: one static connection, no pool
            totals[0] += pool.size()
            totals[1] += pool.checkedout()
            totals[2] += pool.checkedin()
        for family, value in zip((size, in_use, idle), totals, strict=True):
            family.add_metric([], value)
            yield family


REGISTRY.register(_PoolCollector())
