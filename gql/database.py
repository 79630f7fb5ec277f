"""The database as the API sees it: an async engine and short-lived connections per statement.

Every statement borrows a pooled connection only while it runs and returns it before any other
await, so concurrent requests (each running several DataLoader batches at once) can never
deadlock waiting for connections, whatever the pool size: a pool that is too small only queues.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import BigInteger, Row, Select, any_, bindparam, func, make_url, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from schema.db import create_async_db_engine, is_sqlite


#: IDs for `Database.any_of`: the IDs, or a function returning them when the statement runs.
Ids = Sequence[int] | Callable[[], Sequence[int]]


class Database:
    """An async engine plus the dialect-specific pieces queries need."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    async def all(self, statement: Select[Any]) -> Sequence[Row[Any]]:
        """Run a SELECT and return all its rows."""
        async with self.engine.connect() as connection:
            result = await connection.execute(statement)
            rows: Sequence[Row[Any]] = result.all()
            return rows

    async def scalar(self, statement: Select[Any]) -> Any:
        """Run a SELECT and return the first column of its first row."""
        async with self.engine.connect() as connection:
            return (await connection.execute(statement)).scalar()

    def any_of(self, column: ColumnElement[Any], ids: Ids) -> ColumnElement[bool]:
        """`column IN ids` as one bound parameter, whatever the number of IDs.

        One parameter keeps the SQL text the same for every batch size (so statements are
        prepared once) and stays clear of SQLite's and PostgreSQL's parameter-count limits.
        `ids` may be a function returning the IDs, called each time the statement runs: then
        one statement object serves every batch (`gql.fastpath` builds its statements once).
        """
        if self.dialect == "sqlite":
            param: BindParameter[Any]
            if callable(ids):
                late = ids
                param = bindparam(None, callable_=lambda: orjson.dumps(list(late())).decode())
            else:
                param = bindparam(None, orjson.dumps(list(ids)).decode())
            values = func.json_each(param).table_valued("value")
            return column.in_(select(values.c.value))
        if callable(ids):
            late_ids = ids
            array = bindparam(None, callable_=lambda: list(late_ids()), type_=ARRAY(BigInteger))
        else:
            array = bindparam(None, list(ids), type_=ARRAY(BigInteger))
        return column == any_(array)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def open_database(url: str, *, pool_size: int, statement_timeout_ms: int) -> Database:
    """An engine for serving: a pool of `pool_size` (+ as many again on bursts)."""
    kwargs: dict[str, Any] = {}
    if make_url(url).database not in (None, "", ":memory:"):
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=30)
    if not is_sqlite(url) and statement_timeout_ms:
        # A runaway query is cancelled by the server, not left holding a connection.
        kwargs["connect_args"] = {"options": f"-c statement_timeout={statement_timeout_ms}"}
    return Database(create_async_db_engine(url, **kwargs))
