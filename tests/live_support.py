"""Helpers for the live update tests: reseeds that make versions, a graphql-transport-ws
client for a real server, an SSE reader, and knowing when a subscription listens.

A subscription gives the client no sign that it has started, so a test that reseeds right
after subscribing could reseed before the server listens. The server counts the listeners of
its version feed in `/metrics` (`eventql_version_feed_subscribers`), each counted once it will
hear every version committed from then on: tests wait for that count, never for a time.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.sync.client import ClientConnection, connect

from tests.api_support import load, world

__all__ = [
    "PATIENCE_S",
    "SUBSCRIPTION",
    "Seeds",
    "feed_subscribers",
    "sse_events",
    "wait_for_subscribers",
    "ws_connect",
]

#: How long a delivery may take before a test gives up: generous, the machine is shared
#: (the promise is one second; this is a deadline against hanging, not a measurement).
PATIENCE_S = 10.0
SUBSCRIPTION = "subscription { datasetChanged { number added changed removed } }"
_GAUGE = re.compile(r"^eventql_version_feed_subscribers (\S+)$", re.MULTILINE)


class Seeds:
    """Seed files in a folder, loaded into a database; each `reseed` makes a new version."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.datasets: dict[str, dict[str, Any]] = {}
        self.edits = 0

    def load(self, *names: str) -> None:
        """Load the test world as datasets named `names` (a first version of each)."""
        for name in names:
            self.datasets[name] = world(name)
        self._write()

    def reseed(self, name: str) -> None:
        """Edit one event's title in dataset `name` and load every file again: one new
        version of that dataset (the others are unchanged)."""
        self.edits += 1
        self.datasets[name]["events"][0]["title"] = f"Riots in Almaty, edit {self.edits}"
        self._write()

    def _write(self) -> None:
        load(self.url, self.folder, *self.datasets.values())


def feed_subscribers(get: Callable[[str], httpx.Response]) -> float:
    """How many listen to the server's version feed now (`get` fetches a path)."""
    found = _GAUGE.search(get("/metrics").text)
    return float(found.group(1)) if found else 0.0


def wait_for_subscribers(get: Callable[[str], httpx.Response], count: int) -> None:
    """Wait until `count` listen to the version feed (raise after `PATIENCE_S`)."""
    deadline = time.monotonic() + PATIENCE_S
    while feed_subscribers(get) != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"the version feed never had {count} subscribers")
        time.sleep(0.05)


class WsClient:
    """A graphql-transport-ws client over a real socket (the `websockets` library)."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    def send(self, message: dict[str, Any] | str) -> None:
        """Send a message (a dict as JSON; a string as it is)."""
        text = message if isinstance(message, str) else orjson.dumps(message).decode()
        self.connection.send(text)

    def receive(self) -> dict[str, Any]:
        """The next message, skipping the server's keep-alive pings."""
        while True:
            message: dict[str, Any] = orjson.loads(self.connection.recv(timeout=PATIENCE_S))
            if message["type"] != "ping":
                return message

    def init(self) -> None:
        """ConnectionInit, and its ConnectionAck."""
        self.send({"type": "connection_init"})
        assert self.receive() == {"type": "connection_ack"}


@contextmanager
def ws_connect(base_url: str, *, protocol: str = "graphql-transport-ws") -> Iterator[WsClient]:
    """A socket to `/graphql` of the server at `base_url`, speaking `protocol`."""
    url = base_url.replace("http://", "ws://", 1) + "/graphql"
    with connect(url, subprotocols=[protocol], open_timeout=PATIENCE_S) as connection:  # type: ignore[list-item]
        yield WsClient(connection)


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """The (event, data) pairs of an event stream, comments (keep-alives) skipped."""
    event, data = "message", list[str]()
    for line in lines:
        if line == "":
            if data or event != "message":
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
