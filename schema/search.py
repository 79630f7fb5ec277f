"""Full-text search over records: SQLite FTS5 or PostgreSQL text search, one interface.

Each record has one `searchentry` row (its title, description, quote or text). On SQLite an
FTS5 table indexes those rows through triggers; on PostgreSQL a GIN index over
`to_tsvector('english', body)` does. `matches` (a condition that compiles for either
database) and `matching_ids` run a search text parsed by
`schema.search_query` (one syntax, the same limits on both databases) as an FTS5 MATCH string or a
PostgreSQL tsquery, each bound as one parameter: user input never reaches either query language as
syntax, since every word it renders is letters and digits only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Float,
    Select,
    bindparam,
    column,
    false,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal

from schema.search_query import SearchQuery, Term, parse_search
from schema.tables import SearchEntry

# Core columns, not ORM attributes: a SELECT of ORM attributes makes SQLAlchemy configure every
# mapper, and the relationships of `schema.tables` cannot be configured (their annotations are
# strings under `from __future__ import annotations`).
_ENTRY = SearchEntry.__table__.c  # type: ignore[attr-defined]

_FTS_TABLE = "searchentry_fts"
#: The FTS5 table, as queried: its hidden column of the same name takes MATCH.
_FTS = table(_FTS_TABLE, column("rowid"), column(_FTS_TABLE))
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
# A literal, not a bound parameter: the planner only uses the GIN index when the configuration
# in the query is the very constant of the index expression.
_CONFIG = literal_column("'english'", type_=REGCONFIG)


def create_index(connection: Connection) -> None:
    """Create the database-specific full-text index over `searchentry`."""
    ddl = _SQLITE_DDL if connection.dialect.name == "sqlite" else _POSTGRES_DDL
    for statement in ddl:
        connection.execute(text(statement))


def drop_index(connection: Connection) -> None:
    """Drop the full-text index (the table itself is dropped with the other tables)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TABLE IF EXISTS {_FTS_TABLE}"))


def fts5_query(query: SearchQuery) -> str:
    """The query as an FTS5 MATCH string: every word quoted, so nothing in it is an operator."""

    def group(terms: tuple[Term, ...]) -> str:
        return "(" + " OR ".join(map(_fts5_phrase, terms)) + ")"

    wanted = " AND ".join(map(group, query.groups))
    if not query.excluded:
        return wanted
    return f"({wanted}) NOT {group(query.excluded)}"


def _fts5_phrase(term: Term) -> str:
    return '"' + " ".join(term) + '"'


def tsquery_text(query: SearchQuery) -> str:
    """The query as text for PostgreSQL's `to_tsquery`: every word quoted, phrases joined by
    `<->` (followed by), groups by `|`, exclusions by `& !`."""

    def group(terms: tuple[Term, ...]) -> str:
        return "(" + " | ".join(map(_tsquery_phrase, terms)) + ")"

    parts = [group(terms) for terms in query.groups]
    parts += ["!" + _tsquery_phrase(term) for term in query.excluded]
    return " & ".join(parts)


def _tsquery_phrase(term: Term) -> str:
    return "(" + " <-> ".join(f"'{word}'" for word in term) + ")"


def matching_ids(
    dialect: str, search: SearchQuery | str, kind: str | None = None
) -> Select[tuple[int]]:
    """A SELECT of the IDs of records (optionally of one kind) whose text matches the search.

    A text is parsed first (`SearchError` if it cannot run); a text without any word matches
    no record here (the API leaves such a search out instead).
    """
    query = parse_search(search) if isinstance(search, str) else search
    if query is None:
        return select(_ENTRY.id).where(false())
    statement: Select[tuple[int]]
    if dialect == "sqlite":
        matches = _FTS.c[_FTS_TABLE].op("MATCH")(bindparam(None, fts5_query(query)))
        statement = select(_ENTRY.id).where(_ENTRY.id.in_(select(_FTS.c.rowid).where(matches)))
    else:
        tsquery = func.to_tsquery(_CONFIG, bindparam(None, tsquery_text(query)))
        condition: ColumnElement[bool] = func.to_tsvector(_CONFIG, _ENTRY.body).op("@@")(tsquery)
        statement = select(_ENTRY.id).where(condition)
    if kind is not None:
        statement = statement.where(_ENTRY.kind == kind)
    return statement


class _ByDialect(ColumnElement[Any]):
    """An expression written one way for SQLite and another for PostgreSQL, chosen when the
    statement is compiled: so a filter (`schema.filters`, which knows no database) can search."""

    inherit_cache = True
    _traverse_internals = [
        ("sqlite", InternalTraversal.dp_clauseelement),
        ("postgresql", InternalTraversal.dp_clauseelement),
    ]

    def __init__(
        self, sqlite: ColumnElement[Any], postgresql: ColumnElement[Any], type_: TypeEngine[Any]
    ) -> None:
        self.sqlite = sqlite
        self.postgresql = postgresql
        self.type = type_


@compiles(_ByDialect)
def _compile_by_dialect(element: _ByDialect, compiler: SQLCompiler, **kw: Any) -> str:
    chosen = element.sqlite if compiler.dialect.name == "sqlite" else element.postgresql
    return compiler.process(chosen, **kw)


def _fts5_match(query: SearchQuery) -> ColumnElement[bool]:
    return _FTS.c[_FTS_TABLE].op("MATCH")(bindparam(None, fts5_query(query)))


def _tsquery(query: SearchQuery) -> ColumnElement[Any]:
    return func.to_tsquery(_CONFIG, bindparam(None, tsquery_text(query)))


def _tsvector() -> ColumnElement[Any]:
    return func.to_tsvector(_CONFIG, _ENTRY.body)


def matches(kind: str, key: ColumnElement[Any], query: SearchQuery) -> ColumnElement[bool]:
    """Whether the record of `kind` whose ID is `key` matches the search, on either database."""
    fts5 = select(_FTS.c.rowid).where(_fts5_match(query))
    postgresql = select(_ENTRY.id).where(_tsvector().op("@@")(_tsquery(query)))
    kind_of = _ENTRY.kind == kind
    return _ByDialect(
        key.in_(select(_ENTRY.id).where(_ENTRY.id.in_(fts5), kind_of)),
        key.in_(postgresql.where(kind_of)),
        Boolean(),
    )


def relevance(key: ColumnElement[Any], query: SearchQuery) -> ColumnElement[float]:
    """How well the record whose ID is `key` matches the search, as a sort value: lower is
    more relevant (bm25 on SQLite FTS5, minus `ts_rank` on PostgreSQL), 0 when it does not
    match. The two databases rank alike in kind (word frequency, rarity), not in number."""
    bm25 = select(func.bm25(_FTS.c[_FTS_TABLE])).where(_fts5_match(query), _FTS.c.rowid == key)
    rank = func.ts_rank(_tsvector(), _tsquery(query))
    ts_rank = select(-rank).where(_ENTRY.id == key)
    return _ByDialect(
        func.coalesce(bm25.scalar_subquery(), 0.0),
        func.coalesce(ts_rank.scalar_subquery(), 0.0),
        Float(),
    )
