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
from types import FrameType
from typing import Any

__all__ = ["Stopping"]

logger = logging.getLogger("eventql.live")

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopping:
    """An asyncio event set when the process gets SIGTERM or SIGINT (once `watch` ran)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    def watch(self) -> None:
        """Start watching for the signals (in the app's startup, on the main thread; elsewhere,
        as under a test client, there are no signals to watch)."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for number in _SIGNALS:
            previous = signal.getsignal(number)
            signal.signal(number, self._handler(loop, previous))

    def _handler(self, loop: asyncio.AbstractEventLoop, previous: Any) -> Any:
        def handle(number: int, frame: FrameType | None) -> None:
            loop.call_soon_threadsafe(self.event.set)
            if callable(previous):
                previous(number, frame)
            elif previous == signal.SIG_DFL:  # what the signal did before: do it now
                signal.signal(number, signal.SIG_DFL)
                signal.raise_signal(number)

        return handle
