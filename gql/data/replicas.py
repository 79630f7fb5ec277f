"""Which database a request reads: the primary, or a read replica that has caught up.

The data version of a database is its newest `datasetversion.id` (`data_version`; 0 before
the first load): every load that changes a dataset adds a row on the primary, and streaming
replication replays it on each replica, in commit order. A server (`ReadDatabases`) remembers
the newest version it has seen — read from the primary every `data_version_poll_s`, and at
once when a client asks for a newer one — and reports it to clients (`EventQL-Data-Version`,
`gql.http.read_routing`). A client never sees data older than a version it has been given:

- a request reads from a replica only if the replica's version is at least the newest this
  server has seen and at least the client's `EventQL-Min-Version`; otherwise the next replica,
  otherwise the primary;
- a replica's version only grows (replay goes forward), so a version read from it earlier is
  a lower bound of what the request's snapshot, begun later, will see. The version of each
  replica is read on the same poll, and again just before a request whenever the one held is
  too old (at most every `_RECHECK_S` per replica, so a replica that lags is not asked on
  every request);
- the version reported with an answer is a lower bound of the data it was read from: the
  replica's version, or the primary's as last read.

A replica that cannot be reached is skipped until a check reaches it again. Loads, the
persisted-query table and the health checks use the primary. Without replicas every read
goes to the primary, and the version is still polled for the header.

Versions are read through handles of their own (`version_reader`), never through the pools
requests use: a poll must not take the connection a request is waiting for, and it keeps no
SQLite connection open between reads (another process may want the file to itself). On
PostgreSQL each keeps one connection per database and worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import func, make_url, select
from sqlalchemy.pool import NullPool

from gql import metrics
from gql.data.database import Database
from gql.errors import PublicError
from schema.db import create_async_db_engine, is_sqlite
from schema.history import DatasetVersion

__all__ = [
    "READ_DATABASE",
    "ReadChoice",
    "ReadDatabases",
    "Replica",
    "data_version",
    "shown_url",
    "version_reader",
]

logger = logging.getLogger("eventql.replicas")

#: The database chosen for the request being answered (`gql.http.read_routing` sets it): the
#: GraphQL endpoint and the ETag read through it, so a body and its tag come from one database.
READ_DATABASE: ContextVar[Database | None] = ContextVar("eventql_read_database", default=None)
#: Longest a version read waits (a replica that does not answer is skipped, not waited for).
_CHECK_TIMEOUT_S = 1.0
#: Least time between two reads of one replica's version on behalf of requests.
_RECHECK_S = 0.05


async def data_version(database: Database) -> int:
    """The database's data version: its newest `datasetversion.id`, 0 before any load."""
    column = DatasetVersion.__table__.c.id  # type: ignore[attr-defined]
    return int(await database.scalar(select(func.coalesce(func.max(column), 0))))


def version_reader(url: str, *, connect_timeout_s: int = 3) -> Database:
    """A handle on the database at `url` for reading its version (`data_version`) only: one
    pooled connection on PostgreSQL, none kept on SQLite."""
    if is_sqlite(url):
        return Database(create_async_db_engine(url, poolclass=NullPool))
    engine = create_async_db_engine(
        url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=_CHECK_TIMEOUT_S,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": connect_timeout_s},
    )
    return Database(engine)


def shown_url(url: str) -> str:
    """A database URL as reported (health, logs): its password masked."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass(eq=False)
class Replica:
    """A read replica and what this server last learnt of it."""

    name: str
    #: Where requests read (the pool of `open_database`).
    database: Database
    #: Where its version is read (`version_reader`).
    versions: Database
    #: The newest version seen on it (-1: never read); a lower bound of its current one.
    version: int = -1
    #: Why the last read of its version failed; None when it succeeded.
    error: str | None = None
    checked_at: float = float("-inf")
    checking: bool = False

    def report(self, newest: int) -> dict[str, object]:
        """What `/healthz` and `/readyz` say of it."""
        report: dict[str, object] = {
            "url": self.name,
            "reachable": self.error is None and self.version >= 0,
            "version": None if self.version < 0 else self.version,
            "behind": self.version < newest,
        }
        if self.error is not None:
            report["error"] = self.error
        return report


@dataclass(frozen=True)
class ReadChoice:
    """Where one request reads, and the data version it is guaranteed to see at least."""

    database: Database
    version: int
    replica: Replica | None = None


class ReadDatabases:
    """The primary and the read replicas of one server, and the newest version it has seen."""

    def __init__(
        self,
        primary: Database,
        replicas: Sequence[Replica] = (),
        *,
        versions: Database | None = None,
        poll_s: float = 1.0,
    ) -> None:
        self.primary = primary
        #: Where the primary's version is read (`version_reader`; the primary itself if None).
        self.versions = primary if versions is None else versions
        self.replicas = list(replicas)
        self.poll_s = poll_s
        #: The newest data version seen (from the primary, or handed out from a replica).
        self.newest = 0
        self.primary_error: str | None = None
        self._turn = 0
        self._poller: asyncio.Task[None] | None = None
        self._primary_read: asyncio.Future[None] | None = None
        self._primary_read_at = float("-inf")

    async def start(self) -> None:
        """Read every database's version once, then keep reading them every `poll_s`."""
        await self.refresh()
        self._poller = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        """Stop polling and close the replicas' and the version readers' connections (the
        primary's pool is the caller's)."""
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        if self.versions is not self.primary:
            await self.versions.dispose()
        for replica in self.replicas:
            await replica.database.dispose()
            await replica.versions.dispose()

    async def refresh(self) -> None:
        """Read the primary's version and every replica's (each bounded by a second)."""
        await asyncio.gather(self._read_primary(), *(self._check(r) for r in self.replicas))

    async def choose(self, min_version: int = 0) -> ReadChoice:
        """Where a request reads: a replica at least as new as every version this server has
        seen and as `min_version` (the client's), taking turns among them; else the primary."""
        if min_version > self.newest:
            await self._read_primary_soon()  # the client knows of newer data than this server
        required = max(self.newest, min_version)
        choice = self._caught_up(required)
        if choice is None:
            stale = [r for r in self._in_turn() if self._may_recheck(r)]
            if stale:
                await asyncio.gather(*(self._check(r) for r in stale))
                choice = self._caught_up(required)
        if choice is None:
            choice = ReadChoice(self.primary, self.newest)
        metrics.READS.labels("primary" if choice.replica is None else "replica").inc()
        return choice

    def report(self) -> list[dict[str, object]]:
        """Each replica's state, for the health checks."""
        return [replica.report(self.newest) for replica in self.replicas]

    def _in_turn(self) -> list[Replica]:
        """The replicas, starting from the next one in turn."""
        count = len(self.replicas)
        start = self._turn % count if count else 0
        return self.replicas[start:] + self.replicas[:start]

    def _caught_up(self, required: int) -> ReadChoice | None:
        for replica in self._in_turn():
            if replica.error is None and replica.version >= required:
                self._turn += 1
                self.newest = max(self.newest, replica.version)
                return ReadChoice(replica.database, replica.version, replica)
        return None

    @staticmethod
    def _may_recheck(replica: Replica) -> bool:
        # One that could not be reached is left to the poller: a request must not wait for it.
        return (
            replica.error is None
            and not replica.checking
            and time.monotonic() - replica.checked_at >= _RECHECK_S
        )

    async def _read_primary_soon(self) -> None:
        """Read the primary's version on a request's behalf: one read at a time, at most one
        every `_RECHECK_S`, however many clients ask (whatever they ask, the primary has the
        newest data, so a read skipped costs only a replica's turn)."""
        if self._primary_read is None or self._primary_read.done():
            if time.monotonic() - self._primary_read_at < _RECHECK_S:
                return
            self._primary_read_at = time.monotonic()
            self._primary_read = asyncio.ensure_future(self._read_primary())
        await asyncio.shield(self._primary_read)

    async def _read_primary(self) -> None:
        try:
            async with asyncio.timeout(_CHECK_TIMEOUT_S):
                version = await data_version(self.versions)
        except Exception as error:
            self.primary_error = _reason(error)
            return
        self.primary_error = None
        self.newest = max(self.newest, version)

    async def _check(self, replica: Replica) -> None:
        replica.checking = True
        try:
            async with asyncio.timeout(_CHECK_TIMEOUT_S):
                version = await data_version(replica.versions)
        except Exception as error:
            if replica.error is None:
                logger.warning("read replica %s skipped: %s", replica.name, _reason(error))
            replica.error = _reason(error)
        else:
            if replica.error is not None:
                logger.info("read replica %s answers again", replica.name)
            replica.error = None
            replica.version = max(replica.version, version)
        finally:
            replica.checking = False
            replica.checked_at = time.monotonic()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                await self.refresh()
            except Exception:  # never let the poller die: log, and try again next time
                logger.exception("reading the data versions failed")


def _reason(error: Exception) -> str:
    """A one-line reason for a failed version read (no SQL, no traceback)."""
    if isinstance(error, TimeoutError):
        return f"no answer within {_CHECK_TIMEOUT_S:g} s"
    if isinstance(error, PublicError):
        return error.message
    return "the database cannot be reached"
