"""Knowing that the server process is told to stop, so that event streams end.

uvicorn stops on SIGTERM or SIGINT by waiting for every open HTTP response to finish, and a
Server-Sent Events subscription never finishes by itself: one open stream would keep the
process running until it is killed. So the app wraps uvicorn's signal handlers (installed
before the app starts; uvicorn puts its own predecessors back when it stops) to also set an
event that the streams watch: each ends at once, without `complete`, so that clients
reconnect (to another server). WebSockets need none of this: uvicorn closes them itself
(1012, service restart).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncGenerator
from types import FrameType
from typing import Any, TypeVar

__all__ = ["Stopping"]

logger = logging.getLogger("eventql.live")

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopping:
    """An asyncio event set when the process gets SIGTERM or SIGINT (once `watch` ran)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        #: Per signal: the handler installed, and the one it wraps.
        self._installed: dict[int, tuple[Any, Any]] = {}

    def watch(self) -> None:
        """Start watching for the signals (in the app's startup, on the main thread; elsewhere,
        as under a test client, there are no signals to watch)."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for number in _SIGNALS:
            previous = signal.getsignal(number)
            handler = self._handler(loop, previous)
            signal.signal(number, handler)
            self._installed[number] = (handler, previous)

    def unwatch(self) -> None:
        """Put the wrapped handlers back (at the app's shutdown), unless someone replaced ours
        meanwhile (uvicorn, stopping, puts back its own predecessors itself)."""
        for number, (handler, previous) in self._installed.items():
            if signal.getsignal(number) is handler:
                signal.signal(number, previous)
        self._installed.clear()

    def _handler(self, loop: asyncio.AbstractEventLoop, previous: Any) -> Any:
        def handle(number: int, frame: FrameType | None) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.event.set)
            if callable(previous):
                previous(number, frame)
            elif previous == signal.SIG_DFL:  # what the signal did before: do it now
                signal.signal(number, signal.SIG_DFL)
                signal.raise_signal(number)

        return handle


T = TypeVar("T")


class Tick:
    """What `until_stopped` yields when `keep_alive_s` passed without an item."""


TICK = Tick()


async def until_stopped(
    queue: asyncio.Queue[T], stop: asyncio.Event, keep_alive_s: float
) -> AsyncGenerator[T | Tick, None]:
    """The items of `queue` as they come, and `TICK` after each `keep_alive_s` without one;
    ends (with no further item) once `stop` is set — a stream's loop, shared by the SSE
    modes."""
    stopped = asyncio.ensure_future(stop.wait())
    try:
        while True:
            get = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait(
                {get, stopped}, timeout=keep_alive_s, return_when=asyncio.FIRST_COMPLETED
            )
            if get in done:
                yield get.result()
                continue
            get.cancel()
            if stopped in done:
                return
            yield TICK
    finally:
        stopped.cancel()
