"""The tables as SQLAlchemy Core `Table` objects, for queries that need no ORM.

Filters, pages, loaders and aggregates are built with SQLAlchemy Core: rows come back as plain
tuples, which is several times cheaper than ORM objects on large pages.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from schema import tables  # noqa: F401  (registers the tables on the metadata)

_TABLES = SQLModel.metadata.tables

DATASET: Table = _TABLES["dataset"]
SOURCE: Table = _TABLES["source"]
ACTOR: Table = _TABLES["actor"]
EVENT: Table = _TABLES["event"]
EVENT_LINK: Table = _TABLES["eventlink"]
EVENT_LOCATION: Table = _TABLES["eventlocation"]
PARTICIPATION: Table = _TABLES["participation"]
STATEMENT: Table = _TABLES["statement"]
STATEMENT_EVENT: Table = _TABLES["statementevent"]
STATEMENT_ACTOR: Table = _TABLES["statementactor"]
FIGURE: Table = _TABLES["figure"]

__all__ = [
    "ACTOR",
    "DATASET",
    "EVENT",
    "EVENT_LINK",
    "EVENT_LOCATION",
    "FIGURE",
    "PARTICIPATION",
    "SOURCE",
    "STATEMENT",
    "STATEMENT_ACTOR",
    "STATEMENT_EVENT",
]
