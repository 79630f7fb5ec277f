"""Bounds on one export's database work: a statement timeout, and cancellation from any thread.

An export reads through one connection (`seeds.exporters.scope.reading`); an `ExportGuard`
attached to it makes both databases behave alike:

- **Statement timeout.** No statement, and no fetch of the next batch of a streamed statement,
  runs longer than `statement_timeout_ms`. PostgreSQL enforces its own `statement_timeout`
  (each FETCH of a streamed cursor is a statement of its own); on SQLite a progress handler
  interrupts the statement, its clock restarted at each statement and each chunk handed out.
  The export then raises `ExportTimeout`.
- **Cancellation.** `cancel()`, called from another thread (the HTTP layer, when the client
  goes away), stops the export within moments: the running statement is cancelled on the
  server (PostgreSQL's cancel request, SQLite's interrupt) and no further statement starts.
  The export then raises `ExportCancelled`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError

#: SQLite VM instructions between two checks of the deadline (a fraction of a millisecond).
PROGRESS_STEPS = 10_000
#: PostgreSQL's SQLSTATE for a statement cancelled (by its timeout or a cancel request).
_QUERY_CANCELED = "57014"
#: How long a PostgreSQL cancel request may take before it is given up.
_CANCEL_TIMEOUT_S = 2.0


class ExportCancelled(Exception):
    """The export was cancelled (`ExportGuard.cancel`) before it was complete."""


class ExportTimeout(Exception):
    """A statement of the export ran longer than the guard's statement timeout."""

    def __init__(self, timeout_ms: int) -> None:
        super().__init__(f"a database statement ran longer than {timeout_ms} ms")
        self.timeout_ms = timeout_ms


class ExportGuard:
    """One export's statement timeout (`statement_timeout_ms`, 0 for none) and cancel switch."""

    def __init__(self, statement_timeout_ms: int = 0) -> None:
        self.statement_timeout_ms = statement_timeout_ms
        self._cancelled = threading.Event()
        self._lock = threading.Lock()  # `cancel()` uses `_driver` only while it is attached
        self._driver: Any = None  # the attached DBAPI connection, while attached
        self._dialect = ""
        self._started = time.monotonic()
        self._timed_out = False

    @property
    def cancelled(self) -> bool:
        """Whether `cancel()` was called."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop the export: cancel its running statement and refuse any further one.

        Safe to call from any thread, any number of times (a PostgreSQL cancel request that
        arrives between two statements is lost, so callers repeat it until the export ends).
        """
        self._cancelled.set()
        # Under the lock: the export cannot detach (and close) the connection meanwhile.
        with self._lock:
            driver = self._driver
            if driver is None:
                return
            try:
                if self._dialect == "sqlite":
                    driver.interrupt()
                else:
                    driver.cancel_safe(timeout=_CANCEL_TIMEOUT_S)
            except Exception:  # the statement may have ended meanwhile; the export stops anyway
                pass

    def step(self) -> None:
        """Between two chunks: raise `ExportCancelled` if cancelled, else restart the clock
        (time spent waiting for the client to read is no database time)."""
        if self.cancelled:
            raise ExportCancelled
        self._started = time.monotonic()

    @contextmanager
    def attached(self, connection: Connection) -> Iterator[None]:
        """Apply the timeout and the cancel switch to `connection` (inside its transaction)."""
        if self.cancelled:
            raise ExportCancelled
        driver: Any = connection.connection.dbapi_connection
        dialect = connection.dialect.name
        timeout_ms = self.statement_timeout_ms
        if dialect == "postgresql" and timeout_ms:
            # LOCAL: it ends with the transaction, so a pooled connection keeps its own setting.
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
        elif dialect == "sqlite":
            driver.set_progress_handler(self._progress, PROGRESS_STEPS)
        event.listen(connection, "before_cursor_execute", self._before_statement)
        with self._lock:
            self._driver, self._dialect = driver, dialect
        try:
            yield
        except DBAPIError as error:
            explained = self._explain(error)
            if explained is error:
                raise
            raise explained from error
        finally:
            with self._lock:
                self._driver = None
            event.remove(connection, "before_cursor_execute", self._before_statement)
            if dialect == "sqlite":
                driver.set_progress_handler(None, 0)

    def _before_statement(self, *_args: Any) -> None:
        if self.cancelled:
            raise ExportCancelled
        self._started = time.monotonic()

    def _progress(self) -> int:
        # Called by SQLite every PROGRESS_STEPS instructions; non-zero interrupts the statement.
        if self.cancelled:
            return 1
        timeout_ms = self.statement_timeout_ms
        if timeout_ms and (time.monotonic() - self._started) * 1000 > timeout_ms:
            self._timed_out = True
            return 1
        return 0

    def _explain(self, error: DBAPIError) -> Exception:
        """What a failed statement means: cancelled, timed out, or a failure of its own."""
        if self.cancelled:
            return ExportCancelled()
        state = str(getattr(error.orig, "sqlstate", None) or "")
        if self._timed_out or state == _QUERY_CANCELED:
            return ExportTimeout(self.statement_timeout_ms)
        return error


__all__ = ["PROGRESS_STEPS", "ExportCancelled", "ExportGuard", "ExportTimeout"]
