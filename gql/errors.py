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

Logging follows the same line (`log_errors`): a client's mistake or a limit is one INFO line
with no traceback (the client got the message; the server has nothing to fix), the database
being unavailable one WARNING line, and only an unexpected error is logged at ERROR with its
traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, ClassVar

from graphql import GraphQLError

from schema.filters import FilterError

#: What a client sees in place of an unexpected error.
MASKED_MESSAGE = "Unexpected error."
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
