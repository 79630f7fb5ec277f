"""Database failures as errors a client can act on, never as a stack trace or a hang.

    DBAPI / pool error                        client sees (code)
    ─────────────────────────────────────     ─────────────────────────────────────────────
    server down, connection lost or refused,  "database unavailable: ..." (DATABASE_UNAVAILABLE)
    pool exhausted, SQLite locked, read-only    answered with HTTP 503 and `Retry-After`
    file, tables missing (a rebuild), a read
    replica's conflict with recovery
    statement ran past `statement_timeout_ms` "statement timeout: ..." (LIMIT_EXCEEDED)
    a statement over the database's limits    "query too complex: ..." (LIMIT_EXCEEDED)
      (SQLite's expression depth of 1000)
    a value the database cannot take (NUL in  "invalid input: ..." (BAD_REQUEST)
    text, a number out of range, too long)
    anything else                             masked as "Unexpected error." (a bug; logged)

Driver messages are never passed on: they can hold SQL, host names and file paths. The
original is logged on the server instead.
"""

from __future__ import annotations

import logging
import re
import sqlite3

from sqlalchemy import exc

from gql.errors import DatabaseUnavailableError, LimitError, PublicError

logger = logging.getLogger("eventql.database")

#: PostgreSQL SQLSTATE classes and codes that mean "the database cannot serve right now".
#: 40001 is a read replica cancelling a query whose rows its replay must remove ("conflict with
#: recovery"): retrying reads a newer snapshot. (Read-only snapshots never fail so otherwise.)
_UNAVAILABLE_STATES = ("08", "53", "57P", "42P01", "40001")
#: SQLSTATE classes that mean "the request carried a value the database refuses".
_BAD_INPUT_STATES = ("22", "54")
_STATEMENT_TIMEOUT_STATE = "57014"
_TOO_COMPLEX_STATE = "54001"
#: SQLite's words for a statement over one of its limits (expression depth, terms, length).
_TOO_COMPLEX = re.compile(r"too (large|many|big|complex)|stack overflow")


def translate(
    error: BaseException, *, statement_timeout_ms: int, pool_timeout_s: float
) -> PublicError | None:
    """The public error for a database failure, or None when it is not one (then it is a bug)."""
    if isinstance(error, exc.TimeoutError):  # the pool had no free connection in time
        logger.warning("database pool exhausted: %s", error)
        return DatabaseUnavailableError(
            f"database unavailable: no database connection became free within "
            f"{pool_timeout_s:g} s (pool_timeout_s); the server is overloaded, retry shortly"
        )
    if not isinstance(error, exc.DBAPIError):
        return None
    original = error.orig
    state = str(getattr(original, "sqlstate", None) or "")
    text = str(original).lower()
    if state == _STATEMENT_TIMEOUT_STATE or (
        isinstance(original, sqlite3.OperationalError) and text == "interrupted"
    ):
        return LimitError(
            f"statement timeout: a database statement ran longer than {statement_timeout_ms} ms "
            "(statement_timeout_ms); narrow the query (filters, smaller pages)"
        )
    if state == _TOO_COMPLEX_STATE or (
        isinstance(original, sqlite3.OperationalError) and _TOO_COMPLEX.search(text)
    ):
        return LimitError(
            "query too complex: the database cannot run a filter this large; use fewer "
            "conditions (an `in` list holds many values in one condition)"
        )
    if state.startswith(_BAD_INPUT_STATES) or isinstance(error, exc.DataError):
        logger.info("database refused a value: %s", original)
        return PublicError(
            "invalid input: the database cannot use a value in this request (for example "
            "text with a NUL character, a number out of range, or text too long to search)"
        )
    reason = _unavailable_reason(error, state, text)
    if reason is None:
        return None
    logger.warning("database unavailable (%s): %s", reason, original)
    return DatabaseUnavailableError(f"database unavailable: {reason}; retry shortly")


def _unavailable_reason(error: exc.DBAPIError, state: str, text: str) -> str | None:
    if isinstance(error.orig, sqlite3.Error):
        if "locked" in text or "busy" in text:
            return "the SQLite database is locked by another process"
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return "the SQLite database file cannot be opened or is read-only"
        if "no such table" in text:
            return "the database has no eventql tables (being rebuilt?)"
        if "disk i/o" in text or "malformed" in text or "not a database" in text:
            return "the SQLite database file cannot be read"
        return None
    if state == "40001":
        return "a read replica cancelled the query to replay newer data"
    if state.startswith(_UNAVAILABLE_STATES):
        return "the database server is shutting down, restarting or out of connections"
    if error.connection_invalidated or (
        not state and isinstance(error, exc.OperationalError | exc.InterfaceError)
    ):
        return "the database server cannot be reached"
    return None
