"""One download as an ASGI response: the export runs in a worker thread, bounded and cancellable.

The export (a generator of chunks, `seeds.exporters`) runs start to finish in one worker
thread and hands its chunks over a one-chunk channel, so a slow reader slows the export down
instead of filling memory. The answer waits for the first chunk before it starts: a failure
of the first statement (the heavy one, where a filter is evaluated and rows sorted) is
answered with a status and a JSON error, not a broken download.

- **Client gone.** A task listens for `http.disconnect` all along; when the client goes away
  the export's `ExportGuard` is cancelled (its running statement cancelled on the server, no
  further statement started), again every `_RECANCEL_S` until the thread has ended, and only
  then does the download give its slot back.
- **Failure mid-stream.** Once the 200 is sent, an error can no longer be reported in the
  status; the response then ends without its last chunk, so the server closes the connection
  and the client sees an incomplete transfer, never a download that looks complete. The server
  logs one line saying why (uvicorn adds its own line noting the incomplete response).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping

import anyio
import anyio.from_thread
import anyio.to_thread
import orjson
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gql.data.database_errors import translate
from gql.errors import DatabaseUnavailableError, PublicError
from seeds.exporters import ExportGuard, ExportTimeout, FilterError

logger = logging.getLogger("eventql.export")

#: How often the statement of an export whose client went away is cancelled again until the
#: export has stopped: a PostgreSQL cancel request that arrives between two statements is lost.
_RECANCEL_S = 0.25
#: Seconds a client is told to wait before retrying after a 503.
RETRY_AFTER_S = 10

#: An export bound to its selection: the guard in, chunks of bytes out.
Export = Callable[[ExportGuard], Iterator[bytes]]


def error_response(
    status: int, message: str, code: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON error in the shape of GraphQL errors: `{"errors": [{"message", "extensions"}]}`."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status, dict(headers or {}), "application/json")


class ExportResponse(Response):
    """Stream one export (see the module docstring); `release` is called once it has ended."""

    def __init__(
        self,
        export: Export,
        guard: ExportGuard,
        *,
        media_type: str,
        headers: Mapping[str, str],
        limiter: anyio.CapacityLimiter,
        release: Callable[[], None],
        label: str,
    ) -> None:
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)
        self._export = export
        self._guard = guard
        self._limiter = limiter
        self._release = release
        self._label = label
        self._failure: BaseException | None = None
        self._done = anyio.Event()
        self._gone = False
        self._complete = False
        self._sent = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sender, chunks = anyio.create_memory_object_stream[bytes](1)
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._produce, sender)
                try:
                    async with anyio.create_task_group() as answering:
                        answering.start_soon(self._watch, receive, answering.cancel_scope)
                        await self._answer(chunks, scope, receive, send)
                        answering.cancel_scope.cancel()
                finally:
                    chunks.close()  # a producer waiting to hand over a chunk stops now
                    if not self._done.is_set():
                        with anyio.CancelScope(shield=True):
                            await self._stop()
        finally:
            self._release()

    async def _produce(self, sender: MemoryObjectSendStream[bytes]) -> None:
        try:
            with sender:
                await anyio.to_thread.run_sync(self._run, sender, limiter=self._limiter)
        finally:
            self._done.set()

    def _run(self, sender: MemoryObjectSendStream[bytes]) -> None:
        """The export, in its worker thread (which also gives its connection back)."""
        chunks = self._export(self._guard)
        try:
            for chunk in chunks:
                anyio.from_thread.run(sender.send, chunk)
                self._guard.step()
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass  # nobody reads any more: the client went away
        except Exception as error:  # cancelled included: an answer under way must not complete
            self._failure = error
        finally:
            close = getattr(chunks, "close", None)  # a generator: its connection goes back now
            try:
                if close is not None:
                    close()
            except Exception as error:  # rolling back on a broken connection, say
                self._failure = self._failure or error

    async def _watch(self, receive: Receive, answering: anyio.CancelScope) -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                if not self._complete:
                    self._gone = True
                    answering.cancel()
                return

    async def _stop(self) -> None:
        """Cancel the export until its thread has ended."""
        gone_at = time.monotonic()
        while not self._done.is_set():
            await anyio.to_thread.run_sync(self._guard.cancel, limiter=self._limiter)
            with anyio.move_on_after(_RECANCEL_S):
                await self._done.wait()
        if self._gone:
            logger.info(
                "export cancelled: the client of %s went away after %d bytes; its database "
                "work stopped %.2f s later",
                self._label,
                self._sent,
                time.monotonic() - gone_at,
            )

    async def _answer(
        self, chunks: MemoryObjectReceiveStream[bytes], scope: Scope, receive: Receive, send: Send
    ) -> None:
        try:
            first: bytes | None = await chunks.receive()
        except anyio.EndOfStream:
            first = None
        if first is None and self._failure is not None:
            await self._refuse(self._failure)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        if first:
            await self._send_chunk(send, first)
        async for chunk in chunks:
            await self._send_chunk(send, chunk)
        if self._failure is not None:
            self._log_abort(self._failure)
            return  # without the last chunk: the client sees an incomplete transfer
        self._complete = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send_chunk(self, send: Send, chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        self._sent += len(chunk)

    def _refuse(self, error: BaseException) -> Response:
        """The answer to an export that failed before its first byte."""
        self._complete = True
        if isinstance(error, FilterError):
            return error_response(400, str(error), "BAD_REQUEST")
        if isinstance(error, ExportTimeout):
            logger.info("export refused: %s: %s", self._label, _timeout_message(error))
            return error_response(400, _timeout_message(error), "LIMIT_EXCEEDED")
        public = translate(error, statement_timeout_ms=0, pool_timeout_s=0)
        if isinstance(public, DatabaseUnavailableError):
            headers = {"Retry-After": str(RETRY_AFTER_S)}
            return error_response(503, public.message, public.code, headers)
        if isinstance(public, PublicError):
            return error_response(400, public.message, public.code)
        logger.error("export failed: %s", self._label, exc_info=error)
        return error_response(500, "Unexpected error.", "INTERNAL_SERVER_ERROR")

    def _log_abort(self, error: BaseException) -> None:
        if isinstance(error, ExportTimeout):
            reason = _timeout_message(error)
        elif isinstance(error, SQLAlchemyError):
            original = getattr(error, "orig", None) or error
            reason = f"database error: {type(original).__name__}: {original}".splitlines()[0]
        else:
            logger.error(
                "export aborted after %d bytes: %s", self._sent, self._label, exc_info=error
            )
            return
        logger.warning("export aborted after %d bytes: %s: %s", self._sent, self._label, reason)


def _timeout_message(error: ExportTimeout) -> str:
    return (
        f"statement timeout: a database statement of this export ran longer than "
        f"{error.timeout_ms} ms (export_statement_timeout_ms); narrow the filter or the datasets"
    )
