"""Full-text search over records: SQLite FTS5 or PostgreSQL text search, one interface.

Each record has one `searchentry` row (its title, description, quote or text). On SQLite an
FTS5 table indexes those rows through triggers. On PostgreSQL the row keeps its
`to_tsvector('english', body)` in a stored generated column, `document` (a plan that tests
records one by one reads it instead of parsing the text again), and the table is partitioned
by record kind, each partition with its own GIN index over `document`. Every search names its
kind as a literal, so it reads that kind's partition alone, and the planner estimates its
matches from that kind's statistics. With one table for every kind the estimate multiplied
the kind's share and the words' share as if they were independent: 75 actors expected for
1,667 found at 100,000 events, and the count of events whose actor matched probed the event
index 39,000 times (74 ms, against 25 ms planned from the partition's statistics).
`matches` (a condition that compiles for either database) and `matching_ids` run a search text
parsed by `schema.search_query` (one syntax, the same limits on both databases) as an FTS5
MATCH string or a PostgreSQL tsquery, each bound as one parameter: user input never reaches
either query language as syntax, since every word it renders is letters and digits only.
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
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal

from schema.catalogue import RECORD_KINDS
from schema.key_sets import key_in
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
    # `SearchEntry` declares the table partitioned by kind; these are its partitions.
    *(
        f"CREATE TABLE IF NOT EXISTS searchentry_{kind} PARTITION OF searchentry "
        f"FOR VALUES IN ('{kind}')"
        for kind in RECORD_KINDS
    ),
    "ALTER TABLE searchentry ADD COLUMN IF NOT EXISTS document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED",
    # Created on every partition: a search of one kind reads its kind's index alone.
    "CREATE INDEX IF NOT EXISTS ix_searchentry_document ON searchentry USING GIN (document)",
)
#: The stored tsvector column (PostgreSQL only, so not a column of `SearchEntry`).
_DOCUMENT = literal_column("searchentry.document", type_=TSVECTOR)
# A literal, not a bound parameter: the configuration `document` is computed with, written as
# the column's definition writes it.
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
    # `dialect` is kept for callers: the SQL of either database is chosen when compiled.
    statement = select(_ENTRY.id).where(
        _ByDialect(
            _ENTRY.id.in_(_fts5_ids(query)),
            _ENTRY.id.in_(_document_ids(query, kind)),
            Boolean(),
        )
    )
    return statement if kind is None else statement.where(_of_kind(kind))


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


class _TsQuery(ColumnElement[Any]):
    """`to_tsquery('english', :text)`, which marks the statement compiled with it as planned
    per value (`plans_per_value`): how many records a search matches decides the best plan
    (walk an index in order and test each record, or read every match and sort), and a plan
    made without the words (PostgreSQL's generic plan of a prepared statement) cannot know.
    The API sends such statements unprepared (`gql.data.database`)."""

    inherit_cache = True
    _traverse_internals = [("text", InternalTraversal.dp_clauseelement)]

    def __init__(self, text: ColumnElement[Any]) -> None:
        self.text = text


@compiles(_TsQuery)
def _compile_tsquery(element: _TsQuery, compiler: SQLCompiler, **kw: Any) -> str:
    compiler.plans_per_value = True  # type: ignore[attr-defined]
    return compiler.process(func.to_tsquery(_CONFIG, element.text), **kw)


def plans_per_value(compiled: Any) -> bool:
    """Whether a compiled statement should be planned for its values each time it runs
    (it holds a full-text search), rather than prepared once for any values."""
    return bool(getattr(compiled, "plans_per_value", False))


def _tsquery(query: SearchQuery) -> ColumnElement[Any]:
    return _TsQuery(bindparam(None, tsquery_text(query)))


def matches(
    key: ColumnElement[Any], query: SearchQuery, kind: str, *, negated: bool = False
) -> ColumnElement[bool]:
    """Whether the record of `kind` whose ID is `key` matches the search, on either database;
    `negated` when it stands under a `not` (`schema.key_sets`).

    PostgreSQL reads the matches off `kind`'s partition alone (the module docstring says why).
    SQLite never narrows by `searchentry.kind`: IDs are unique across kinds (`searchentry.id`
    is the record's own ID), and testing the kind cost a lookup of each match's entry (a
    common word: 30 % of a count's time).
    """
    return _ByDialect(
        key_in(key, _fts5_ids(query), negated=negated),
        key_in(key, _document_ids(query, kind), negated=negated),
        Boolean(),
    )


def _fts5_ids(query: SearchQuery) -> Select[Any]:
    return select(_FTS.c.rowid).where(_fts5_match(query))


def _document_ids(query: SearchQuery, kind: str | None) -> Select[Any]:
    """On PostgreSQL, the IDs of records that match, of any kind or of `kind` alone."""
    found = _DOCUMENT.op("@@")(_tsquery(query))
    if kind is None:
        return select(_ENTRY.id).where(found)
    return select(_ENTRY.id).where(_of_kind(kind), found)


def _of_kind(kind: str) -> ColumnElement[bool]:
    """`searchentry.kind = '<kind>'`, the kind written as a literal (a constant of our
    catalogue): PostgreSQL chooses the partition when it plans, and a bound parameter would
    leave a prepared statement's generic plan reading every partition."""
    if kind not in RECORD_KINDS:  # written into the SQL: only a kind of the catalogue
        raise ValueError(f"not a record kind: {kind!r}")
    kind_is: ColumnElement[bool] = _ENTRY.kind == literal_column(f"'{kind}'")
    return kind_is


def relevance(key: ColumnElement[Any], query: SearchQuery, kind: str) -> ColumnElement[float]:
    """How well the record of `kind` whose ID is `key` matches the search, as a sort value: lower is
    more relevant (bm25 on SQLite FTS5, minus `ts_rank` on PostgreSQL), 0 when it does not
    match. The two databases rank alike in kind (word frequency, rarity), not in number."""
    # bm25 reads each word's document count off its whole doclist: asked per row (a correlated
    # MATCH), it did so once per matching record (0.9 s for a few thousand). Ranked once, in a
    # materialized CTE, each row's rank is a lookup.
    ranked = (
        select(_FTS.c.rowid.label("id"), func.bm25(_FTS.c[_FTS_TABLE]).label("rank"))
        .where(_fts5_match(query))
        .cte()
        .prefix_with("MATERIALIZED")
    )
    bm25 = select(ranked.c.rank).where(ranked.c.id == key)
    rank = func.ts_rank(_DOCUMENT, _tsquery(query))
    ts_rank = select(-rank).where(_of_kind(kind), _ENTRY.id == key)
    return _ByDialect(
        func.coalesce(bm25.scalar_subquery(), 0.0),
        func.coalesce(ts_rank.scalar_subquery(), 0.0),
        Float(),
    )
