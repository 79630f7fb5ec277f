"""The table of automatic persisted queries: GraphQL documents by their sha256.

Queries a client registered (Apollo's protocol, `gql.http.persisted_queries`), kept in the
database so that every worker and every host knows a query as soon as one of them has been
sent it. It is not dataset data: loads and reseeds leave it alone (only `seed --rebuild`,
which drops every eventql table, empties it). Its size is bounded by count, the oldest rows
deleted first (`gql.http.persisted_table`).
"""

import datetime as dt

from sqlalchemy import Column, DateTime, String, Text
from sqlmodel import Field, SQLModel


class PersistedQuery(SQLModel, table=True):
    """A GraphQL document registered under its hash."""

    __tablename__ = "persistedquery"

    #: sha256 of the document's UTF-8 bytes, 64 lower-case hex digits.
    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    query: str = Field(sa_column=Column(Text, nullable=False))
    #: When it was first registered; the oldest go first when the table is over its bound.
    created_at: dt.datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
