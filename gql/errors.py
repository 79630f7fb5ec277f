"""Which errors reach clients, and which are masked.

    Exception
    ├── PublicError            a client mistake or a limit; its message is safe to show
    │   ├── LimitError         a request over one of the limits in `gql.execution.limits` (names it)
    │   ├── DatabaseUnavailableError  the database is down, locked or overloaded: retry
    │   ├── InvalidIdError     not a global ID (`gql.types.node`)
    │   └── ...                bad cursors, ambiguous slugs
    ├── schema.filters.FilterError   a filter that cannot be compiled (safe to show)
    └── anything else          a bug or an outage: masked as "Unexpected error." with no
                               stack trace, SQL or path, and logged on the server

GraphQL's own errors (syntax, validation, variable coercion) carry no original exception and
are shown as they are: they only describe the client's document.

Every error a client gets carries `extensions.code`, one of `ERROR_CODES` (the HTTP layer adds
it where graphql-core gives none, with `error_code`):

    code                       when                                                HTTP
    ─────────────────────────  ──────────────────────────────────────────────────  ─────────
    GRAPHQL_PARSE_FAILED       the document is not GraphQL (a syntax error)        200 / 400*
    GRAPHQL_VALIDATION_FAILED  the document does not fit the schema                200 / 400*
    BAD_USER_INPUT             a variable that does not fit its type; a filter     200 / 400*
                               that cannot be compiled
    BAD_REQUEST                a malformed HTTP request (body, media type, method,  4xx
                               no query, unknown operation name); a value the
                               database refuses; a persisted-query extension
                               that is not well-formed
    LIMIT_EXCEEDED             over a limit; the message names the setting         200 / 413
    INVALID_ID                 not a global ID                                      200
    INVALID_CURSOR             not a cursor of this connection                      200
    AMBIGUOUS_SLUG             a slug found in several datasets                     200
    PERSISTED_QUERY_NOT_FOUND  a persisted-query hash the server does not know      200
    PERSISTED_QUERY_HASH_MISMATCH  a persisted query whose text does not hash to    400
                               its hash
    DATABASE_UNAVAILABLE       the database is down, locked or overloaded           503
    REQUEST_TIMEOUT            the request ran past `request_timeout_s`             503
    INTERNAL_SERVER_ERROR      a bug or an outage: "Unexpected error."              200 / 500

    * 400 when the client accepts application/graphql-response+json (nothing was executed)

Downloads (`/export/...`) use the same codes, and NOT_FOUND for an unknown format.

Logging follows the same line (`log_errors`): a client's mistake or a limit is one INFO line
with no traceback (the client got the message; the server has nothing to fix), the database
being unavailable one WARNING line, and only an unexpected error is logged at ERROR with its
traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, ClassVar

from graphql import GraphQLError, GraphQLSyntaxError

from schema.filters import FilterError

#: What a client sees in place of an unexpected error.
MASKED_MESSAGE = "Unexpected error."
#: Every `extensions.code` a client may get (the table above).
ERROR_CODES = frozenset(
    {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "BAD_REQUEST",
        "LIMIT_EXCEEDED",
        "INVALID_ID",
        "INVALID_CURSOR",
        "AMBIGUOUS_SLUG",
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_HASH_MISMATCH",
        "DATABASE_UNAVAILABLE",
        "REQUEST_TIMEOUT",
        "INTERNAL_SERVER_ERROR",
        "NOT_FOUND",
    }
)
#: The codes of errors that are the client's to fix (the others: retry, or the server's bug).
CLIENT_ERROR_CODES = ERROR_CODES - {
    "DATABASE_UNAVAILABLE",
    "REQUEST_TIMEOUT",
    "INTERNAL_SERVER_ERROR",
}
#: Longest message logged: messages may quote the client's input.
_LOGGED_CHARS = 300

logger = logging.getLogger("eventql.graphql")


class PublicError(Exception):
    """An expected failure whose message is meant for the client."""

    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, Any]:
        """GraphQL error extensions: a stable machine-readable `code`."""
        return {"code": self.code}


class LimitError(PublicError):
    """A request over a limit; the message names the limit and its value."""

    code = "LIMIT_EXCEEDED"


class DatabaseUnavailableError(PublicError):
    """The database cannot serve right now (down, restarting, locked, pool exhausted).

    Not the client's fault and usually brief: the response is a 503 with `Retry-After`
    (`gql.data.database_errors` says which failures count).
    """

    code = "DATABASE_UNAVAILABLE"


def should_mask(error: GraphQLError) -> bool:
    """Mask errors that come from an unexpected exception; show the client's own mistakes."""
    original = error.original_error
    if original is None:
        return False
    # A variable that does not fit its type: graphql-core wraps its own coercion error.
    return not isinstance(original, PublicError | FilterError | GraphQLError)


def error_code(error: GraphQLError, *, executed: bool) -> str:
    """The `extensions.code` of an error as sent (after masking); `executed` is False when the
    operation never ran (a parse or validation error)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if isinstance(error, GraphQLSyntaxError) or isinstance(
        error.original_error, GraphQLSyntaxError
    ):
        return "GRAPHQL_PARSE_FAILED"
    if not executed:
        return "GRAPHQL_VALIDATION_FAILED"
    if isinstance(error.original_error, FilterError):
        # Filter and search limits say so in their message ("filter depth limit exceeded").
        return "LIMIT_EXCEEDED" if "limit exceeded" in error.message else "BAD_USER_INPUT"
    if error.path is None:
        # No field was resolved: graphql-core refused the variables before executing.
        return "BAD_USER_INPUT"
    # A masked error, or graphql-core's own complaint about a value a resolver returned
    # (a null for a non-null field): either way the server's fault.
    return "INTERNAL_SERVER_ERROR"


def one_line(message: str) -> str:
    """`message` fit for one log line: its first line, shortened."""
    first = message.strip().split("\n", 1)[0]
    return first if len(first) <= _LOGGED_CHARS else first[:_LOGGED_CHARS] + "…"


def log_errors(errors: Iterable[GraphQLError]) -> None:
    """Log the errors of one operation (before masking), each as its kind deserves."""
    for error in errors:
        where = f" at {'.'.join(map(str, error.path))}" if error.path else ""
        message = one_line(error.message)
        if should_mask(error):
            logger.error("unexpected error%s: %s", where, message, exc_info=error.original_error)
        elif isinstance(error.original_error, DatabaseUnavailableError):
            logger.warning("database unavailable%s: %s", where, message)
        else:
            logger.info("client error%s: %s", where, message)
