"""Why the fast path declines: a closed, named set of reasons.

The fast path answers what it covers and declines the rest, so that the general executor
answers instead. Only these exceptions mean "decline"; anything else the fast path raises is
a bug, which `gql.fastpath.runner` logs at ERROR and counts (and tests fail on that log).
"""

from __future__ import annotations

from gql.errors import PublicError
from schema.filters import FilterError


class Unsupported(Exception):
    """A part of the operation the fast path does not answer (found when compiling a plan)."""


class Unservable(Exception):
    """A value the fast path must not write itself (found when running a plan)."""


#: Every reason to decline: the two above, and a mistake in the request whose error the general
#: executor must word (a limit, a bad filter), so both paths answer it alike.
DECLINES: tuple[type[Exception], ...] = (Unsupported, Unservable, PublicError, FilterError)
