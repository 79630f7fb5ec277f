"""Full-text search over records: SQLite FTS5 or PostgreSQL text search, one interface.

Each record has one `searchentry` row (its title, description, quote or text). On SQLite an
FTS5 table indexes those rows through triggers; on PostgreSQL a GIN index over
`to_tsvector('english', body)` does. `matching_ids` turns any user string into a safe query:
user input never reaches either query language as syntax.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Select, bindparam, func, literal_column, select, text
from sqlalchemy.sql.elements import ColumnElement

from schema.tables import SearchEntry

# Core columns, not ORM attributes: a SELECT of ORM attributes makes SQLAlchemy configure every
# mapper, and the relationships of `schema.tables` cannot be configured (their annotations are
# strings under `from __future__ import annotations`).
_ENTRY = SearchEntry.__table__.c  # type: ignore[attr-defined]

_FTS_TABLE = "searchentry_fts"
_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {_FTS_TABLE} USING fts5("
    "body, content='searchentry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS searchentry_ai AFTER INSERT ON searchentry BEGIN "
    f"INSERT INTO {_FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS searchentry_ad AFTER DELETE ON searchentry BEGIN "
    f"INSERT INTO {_FTS_TABLE}({_FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); END",
)
_POSTGRES_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_searchentry_body_tsv ON searchentry "
    "USING GIN (to_tsvector('english', body))",
)
_WORD = re.compile(r"\w+", re.UNICODE)


def create_index(connection: Connection) -> None:
    """Create the database-specific full-text index over `searchentry`."""
    ddl = _SQLITE_DDL if connection.dialect.name == "sqlite" else _POSTGRES_DDL
    for statement in ddl:
        connection.execute(text(statement))


def drop_index(connection: Connection) -> None:
    """Drop the full-text index (the table itself is dropped with the other tables)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TABLE IF EXISTS {_FTS_TABLE}"))


def fts5_query(user_query: str) -> str | None:
    """The words of `user_query` as an FTS5 query that matches records containing all of them.

    Every word is quoted, so FTS5 operators, column filters and stray quotes in user input are
    plain text. Returns None when the input has no words.
    """
    words = _WORD.findall(user_query)
    if not words:
        return None
    return " ".join(f'"{word}"' for word in words[:64])


def matching_ids(dialect: str, user_query: str, kind: str | None = None) -> Select[tuple[int]]:
    """A SELECT of the IDs of records (optionally of one kind) whose text matches the query."""
    query: Select[tuple[int]]
    if dialect == "sqlite":
        fts = fts5_query(user_query.replace("\x00", " "))
        if fts is None:
            return select(_ENTRY.id).where(literal_column("0") == 1)
        query = select(_ENTRY.id).where(
            _ENTRY.id.in_(
                text(f"SELECT rowid FROM {_FTS_TABLE} WHERE {_FTS_TABLE} MATCH :fts").bindparams(
                    bindparam("fts", fts)
                )
            )
        )
    else:
        condition: ColumnElement[bool] = func.to_tsvector("english", _ENTRY.body).op("@@")(
            func.websearch_to_tsquery("english", user_query.replace("\x00", " "))
        )
        query = select(_ENTRY.id).where(condition)
    if kind is not None:
        query = query.where(_ENTRY.kind == kind)
    return query
