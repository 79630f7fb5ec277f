"""What an `eventql` exit code means: one meaning per code, all defined here.

| code | meaning |
|---|---|
| 0 | done |
| 1 | the input has problems (seed or import files, a filter, a dataset name; a file that
      `--check` found out of date): all are listed, nothing was written |
| 2 | the command line is wrong (an unknown option, a missing argument, a file that does not
      exist): click's own code for usage errors |
| 3 | the database could not be reached, read or written (or, for `export`, does not exist) |
| 4 | a setting is invalid (an `EVENTQL_*` variable or the option that overrides it) |
| 5 | the database was built by another eventql schema version: `eventql seed --rebuild` |

`fail()` ends a command with a code and its message; it raises `SystemExit`, so it ends the
ASGI factory (`eventql.asgi`) just as cleanly as a command, without a traceback.
"""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import NoReturn

__all__ = ["ExitCode", "fail"]


class ExitCode(IntEnum):
    """The exit codes of `eventql` (see the module docstring)."""

    OK = 0
    BAD_INPUT = 1
    USAGE = 2
    DATABASE = 3
    SETTINGS = 4
    SCHEMA_VERSION = 5


def fail(code: ExitCode, *lines: str) -> NoReturn:
    """Write `lines` to stderr and exit with `code` (no traceback)."""
    for line in lines:
        sys.stderr.write(f"{line}\n")
    sys.stderr.flush()
    raise SystemExit(int(code))
