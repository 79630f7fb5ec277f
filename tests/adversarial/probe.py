"""A probe: a small query every 100 ms and `/healthz` every 500 ms, each timed.

The two run in threads of their own, each over one kept-alive connection, so a stalled
`/graphql` does not keep `/healthz` from being asked (and the other way round). A request
that is late is not skipped: the next one is sent as soon as it returns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

import httpx

from tests.adversarial.measure import percentile

__all__ = ["PROBE_QUERY", "Probe", "Samples"]

#: The small query a client of the API would send while the attack runs.
PROBE_QUERY = "{ events(first: 1) { nodes { title } } }"
QUERY_EVERY_S = 0.1
HEALTHZ_EVERY_S = 0.5
#: How long a probe request may wait at most before it counts as failed (and is given up).
PROBE_TIMEOUT_S = 10.0


@dataclass
class Samples:
    """The latencies of one probe's requests, and what went wrong with any of them."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Requests sent (answered or not)."""
        return len(self.seconds)

    def p(self, fraction: float) -> float:
        """A latency percentile in seconds."""
        return percentile(self.seconds, fraction)

    @property
    def max(self) -> float:
        """The longest wait in seconds."""
        return max(self.seconds, default=0.0)

    def stalls(self, bound_s: float) -> int:
        """Requests that waited longer than `bound_s`."""
        return sum(s > bound_s for s in self.seconds)


def _query_failure(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"{response.status_code}: {response.text[:200]}"
    body = response.json()
    if body.get("errors") or len(body["data"]["events"]["nodes"]) != 1:
        return f"unexpected answer: {response.text[:200]}"
    return None


def _healthz_failure(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"/healthz {response.status_code}: {response.text[:200]}"
    return None


class Probe:
    """Probes a server from two threads until stopped (use as a context manager)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.query = Samples()
        self.healthz = Samples()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, args=(self._ask_query, self.query, QUERY_EVERY_S)),
            threading.Thread(
                target=self._loop, args=(self._ask_healthz, self.healthz, HEALTHZ_EVERY_S)
            ),
        ]

    def __enter__(self) -> Probe:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop probing (waits for requests in flight, at most `PROBE_TIMEOUT_S`)."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join()

    @staticmethod
    def _ask_query(client: httpx.Client) -> str | None:
        return _query_failure(client.post("/graphql", json={"query": PROBE_QUERY}))

    @staticmethod
    def _ask_healthz(client: httpx.Client) -> str | None:
        return _healthz_failure(client.get("/healthz"))

    def _loop(
        self, ask: Callable[[httpx.Client], str | None], samples: Samples, every_s: float
    ) -> None:
        with httpx.Client(base_url=self.base_url, timeout=PROBE_TIMEOUT_S) as client:
            next_at = time.monotonic()
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    failure = ask(client)
                except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
                    failure = f"{type(error).__name__}: {error}"
                samples.seconds.append(time.monotonic() - started)
                if failure is not None:
                    samples.failures.append(failure)
                next_at = max(next_at + every_s, time.monotonic())
                self._stop.wait(next_at - time.monotonic())
