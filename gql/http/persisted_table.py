"""Persisted queries shared by every worker and host: the `persistedquery` table.

`SharedQueryStore` keeps an LRU per process in front (`PersistedQueryStore`), so a query
already seen costs no database read; a hash it does not hold is looked up in the table, and a
query registered with any worker of any host is found there. Both go to the primary
(`database`): a replica may not have replayed a registration made a moment ago elsewhere.

The table is bounded: after each registration, rows beyond the newest `max_rows` are deleted
(oldest first; a client whose query went simply registers it again, as the protocol expects).
A query over `MAX_SHARED_QUERY_BYTES` is kept by this process only. A database that cannot be
written or read is logged and otherwise ignored: the request carries its query anyway, or the
client is asked for it (`PersistedQueryNotFound`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gql.data.database import Database
from schema.persisted import PersistedQuery

if TYPE_CHECKING:
    from gql.http.persisted_queries import PersistedQueryStore

__all__ = ["MAX_SHARED_QUERY_BYTES", "SharedQueryStore"]

logger = logging.getLogger("eventql.persisted_queries")

#: Largest query kept in the table (UTF-8 bytes); larger ones stay in the process's LRU.
MAX_SHARED_QUERY_BYTES = 100_000

_TABLE: Any = PersistedQuery.__table__  # type: ignore[attr-defined]


class SharedQueryStore:
    """Queries by hash: this process's LRU, then the table on the primary (if any)."""

    def __init__(
        self,
        cache: PersistedQueryStore,
        database: Callable[[], Database] | None = None,
        *,
        max_rows: int = 10_000,
    ) -> None:
        self.cache = cache
        self.database = database
        self.max_rows = max_rows

    async def get(self, sha256: str) -> str | None:
        """The query registered under `sha256`, if this process or the table holds it."""
        query = self.cache.get(sha256)
        if query is not None or self.database is None:
            return query
        try:
            query = await self.database().scalar(
                select(_TABLE.c.query).where(_TABLE.c.sha256 == sha256)
            )
        except Exception:
            logger.warning("could not read persisted query %s", sha256, exc_info=True)
            return None
        if query is not None:
            self.cache.put(sha256, query)
        return query  # type: ignore[no-any-return]

    async def put(self, sha256: str, query: str) -> None:
        """Register `query` (already checked against `sha256`) here and in the table."""
        known = self.cache.get(sha256) is not None
        self.cache.put(sha256, query)
        if known or self.database is None or len(query.encode()) > MAX_SHARED_QUERY_BYTES:
            return
        try:
            await self._insert(self.database(), sha256, query)
        except Exception:
            logger.warning("could not store persisted query %s", sha256, exc_info=True)

    async def _insert(self, database: Database, sha256: str, query: str) -> None:
        insert = sqlite_insert if database.dialect == "sqlite" else postgresql_insert
        row = {"sha256": sha256, "query": query, "created_at": dt.datetime.now(dt.UTC)}
        # The newest `max_rows` rows' oldest time: rows before it are over the bound.
        cutoff = (
            select(_TABLE.c.created_at)
            .order_by(_TABLE.c.created_at.desc())
            .limit(1)
            .offset(self.max_rows - 1)
            .scalar_subquery()
        )
        async with database.engine.begin() as connection:
            await connection.execute(insert(_TABLE).values(row).on_conflict_do_nothing())
            await connection.execute(delete(_TABLE).where(_TABLE.c.created_at < cutoff))
