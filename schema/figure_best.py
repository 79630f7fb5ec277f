"""A figure's `best` number as SQL, and the key figure lists sort by it with.

Its own module so that the tables (`schema.tables`) can index the sort key: the key is then
the very expression an index holds. Its constants are written into the SQL, not bound as
parameters: an index matches a query's expression only when both read alike, and a bound
parameter is not the constant the index was built with (on SQLite never; on PostgreSQL not
in a generic plan).
"""

from __future__ import annotations

from sqlalchemy import Integer, Table, case, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from schema.enums import FigureStatus

#: The sort key of a figure without a best number (its status unknown, or no number given):
#: before every figure with one, as 0 and up are the numbers a figure can hold.
NO_BEST = -1


def _text(value: str) -> ColumnElement[str]:
    return literal_column(f"'{value}'")  # a constant of our own enums, never user input


def best_expression(figure: Table) -> ColumnElement[int]:
    """SQL for a figure's `best` number (NULL when it has none), matching
    `schema.figures.read_figure`."""
    return case(
        (figure.c.status == _text(FigureStatus.NONE.value), literal_column("0", Integer)),
        (
            figure.c.status == _text(FigureStatus.VALUE.value),
            func.coalesce(figure.c.value, figure.c.lower, figure.c.upper),
        ),
        else_=None,
    )


def best_sort_key(figure: Table) -> ColumnElement[int]:
    """What `orderBy: BEST` sorts figures by: the best number, `NO_BEST` for none."""
    return func.coalesce(best_expression(figure), literal_column(str(NO_BEST), Integer))


__all__ = ["NO_BEST", "best_expression", "best_sort_key"]
