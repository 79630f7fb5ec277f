"""A TCP forwarder the tests can cut and restore: a database outage without stopping the database.

    with tcp_proxy("127.0.0.1", 5432) as proxy:
        url = make_url(postgres_url).set(port=proxy.port)   # the server talks to the proxy
        proxy.cut()       # every open connection is reset; new ones are accepted and closed
        proxy.restore()   # connections are forwarded again

PostgreSQL keeps running for every other test; only the connections through the proxy see
the "server" go away, exactly as a client sees a restart (connections reset, connects refused).
The proxy runs its own event loop in a thread, so it works under sync and async tests alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import Future

__all__ = ["TcpProxy", "tcp_proxy"]


class TcpProxy:
    """Forwards connections from a loopback port to `(host, port)` until cut."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._cut = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> None:
        """Listen on a free loopback port (`self.port`)."""
        self._thread.start()
        self._call(self._listen())

    def cut(self) -> None:
        """Reset every forwarded connection and refuse to forward new ones."""
        self._call(self._cut_all())

    def restore(self) -> None:
        """Forward new connections again."""
        self._cut = False

    def stop(self) -> None:
        """Close everything and stop the proxy's thread."""
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _call(self, coroutine: object) -> None:
        future: Future[None] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)  # type: ignore[arg-type]
        future.result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut_all(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            writer.transport.abort()  # a reset, as when the server process dies
        self._writers.clear()

    async def _close(self) -> None:
        await self._cut_all()
        if self._server is not None:
            self._server.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.transport.abort()


@contextlib.contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    """A started proxy to `(host, port)`, stopped afterwards."""
    proxy = TcpProxy(host, port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
