"""Database failures of a command, said in one line with their own exit code.

A database built by another schema version exits `ExitCode.SCHEMA_VERSION` with the way out
(`eventql seed --rebuild`); any other SQLAlchemy error (unreachable, locked, read-only, a
folder that does not exist) exits `ExitCode.DATABASE`, naming the database (password hidden)
and the driver's own reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from eventql.exit_codes import ExitCode, fail
from schema.db import SchemaMismatchError

__all__ = ["exit_on_database_errors", "shown_url"]


def shown_url(url: str) -> str:
    """The database URL as shown to people: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def exit_on_database_errors(url: str) -> Iterator[None]:
    """Turn a schema-version mismatch or a database error inside into a message and exit."""
    try:
        yield
    except SchemaMismatchError as error:
        fail(ExitCode.SCHEMA_VERSION, f"Database schema mismatch ({shown_url(url)}): {error}")
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        first_line = (str(reason).strip().splitlines() or [""])[0]
        fail(
            ExitCode.DATABASE,
            f"Database error ({shown_url(url)}): {type(error).__name__}: {first_line}",
        )
