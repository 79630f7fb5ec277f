"""A request's CPU-heavy steps run in a few worker threads, so the event loop keeps answering.

Parsing, validating and checking the limits of a document the server has not seen, compiling
a fast path plan, converting variables and building the SQL of a filter can each take from
milliseconds to seconds of pure Python. On the event loop that time stops every other
request, `/healthz` included; in a worker thread it only slows them by sharing the CPU (the
GIL is handed over every few milliseconds).

The threads are few (`THREADS`), and the pool is the app's own, so heavy requests can neither
take the threads that other work (database drivers, file reads) runs in, nor run more of
themselves at once than that. A request whose deadline passes while its step waits for a
thread never starts it; a step already running finishes (the limits bound its work), and
holds its thread until then — which is what keeps the number of busy threads bounded.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["THREADS", "Workers"]

#: Threads for CPU work: Python runs one at a time anyway (the GIL), so more would only queue
#: more work at once; two let a short step pass a long one.
THREADS = 2

P = ParamSpec("P")
T = TypeVar("T")


class Workers:
    """The worker threads of one app (started on first use, stopped by `close`)."""

    def __init__(self, threads: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="eventql-cpu")

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`function(*args, **kwargs)` in a worker thread; cancelling the caller stops the
        wait at once (and drops the call if it has not started)."""
        loop = asyncio.get_running_loop()
        # In the caller's context, so the request ID (gql.http.request_id) tags its log lines.
        context = contextvars.copy_context()
        return await loop.run_in_executor(
            self._pool, lambda: context.run(function, *args, **kwargs)
        )

    def close(self) -> None:
        """Stop the threads once their current steps finish; queued steps are dropped."""
        self._pool.shutdown(wait=False, cancel_futures=True)
