"""The version feed: one per app (per worker process), telling subscribers of every new
dataset version, whichever process or host loaded it.

A load that changes a dataset writes a `datasetversion` row in its transaction (its `id`
counts up across datasets: `schema.history`). The feed learns that such a row committed:

- on PostgreSQL by `LISTEN` on `schema.history.NOTIFY_CHANNEL` (the loader sends
  `pg_notify` in the load's transaction, so the notification arrives at its commit), on a
  dedicated psycopg connection that is reconnected after a failure; besides, it reads the
  newest id every `live_fallback_poll_s`, and at once after each (re)connection, so a
  notification missed meanwhile loses no version;
- on SQLite by reading `SELECT max(id) FROM datasetversion` every `live_poll_ms` (one
  index lookup).

After each wake-up it reads the new rows (`WHERE id > last_seen ORDER BY id`) and hands each
to every subscriber's bounded queue. On PostgreSQL ids are taken when a load inserts its
version, not when it commits, so two loads at once may commit out of order: an id skipped
over is remembered as a hole and read again at each wake-up (for `_HOLE_WAIT_S`; a rolled-back
load leaves a hole that never fills), so its version is sent when it commits. A subscriber
whose queue is full loses its oldest version, never blocking the others (a client can catch
up with `changes(since:)`).

The feed runs only while someone listens: the first subscriber starts it, the last one to
leave stops it, and a subscriber that goes away is forgotten at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Row, func, or_, select

from gql import metrics
from gql.data.database import Database
from gql.settings import Settings
from schema.db import sync_url
from schema.history import NOTIFY_CHANNEL, DatasetVersion

__all__ = ["QUEUE_SIZE", "Subscriber", "VersionFeed"]

logger = logging.getLogger("eventql.live")

#: Versions a subscriber may have waiting; beyond that its oldest is dropped.
QUEUE_SIZE = 100
#: Wait between attempts while the database cannot be read or listened to.
_RETRY_S = 1.0
#: How long an id skipped over is looked for (longer than a load's commit takes), and how
#: many such ids are looked for at most.
_HOLE_WAIT_S = 600.0
_MAX_HOLES = 1000
_VERSIONS = DatasetVersion.__table__  # type: ignore[attr-defined]


class Subscriber:
    """One listener's queue of new versions (rows of `datasetversion`)."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Row[Any]] = asyncio.Queue(QUEUE_SIZE)
        #: Versions dropped because the queue was full.
        self.dropped = 0

    async def next(self) -> Row[Any]:
        """The next new version, waiting for it."""
        return await self._queue.get()

    def _offer(self, row: Row[Any]) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
            metrics.VERSIONS_DROPPED.inc()
            if self.dropped == 1:
                logger.warning("a subscriber is too slow: its oldest versions are dropped")
        self._queue.put_nowait(row)


class VersionFeed:
    """New `datasetversion` rows, fanned out to this process's subscribers."""

    def __init__(self, database: Callable[[], Database], settings: Settings) -> None:
        self._database = database
        self._settings = settings
        self._subscribers: set[Subscriber] = set()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._last_seen = 0
        #: Ids below `_last_seen` not seen yet (their loads may still commit): when first missed.
        self._holes: dict[int, float] = {}
        self._wake = asyncio.Event()

    @property
    def subscribers(self) -> int:
        """How many subscribers listen right now."""
        return len(self._subscribers)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscriber]:
        """Listen for new versions while the block runs: every version committed after it
        was entered arrives (`Subscriber.next`). Raises the database's error when the feed
        must start and cannot read the current data version."""
        subscriber = Subscriber()
        async with self._lock:
            if self._task is None:
                # Read before anyone is told they listen: a version committed after this
                # read is never missed.
                self._last_seen = await self._newest()
                self._task = asyncio.create_task(self._run(), name="eventql version feed")
            self._subscribers.add(subscriber)
        metrics.SUBSCRIBERS.inc()
        try:
            yield subscriber
        finally:
            metrics.SUBSCRIBERS.dec()
            self._subscribers.discard(subscriber)
            if not self._subscribers:
                await self._stop()

    async def close(self) -> None:
        """Stop the feed (at the end of the app's lifespan)."""
        self._subscribers.clear()
        await self._stop()

    async def _stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _newest(self) -> int:
        newest = await self._database().scalar(select(func.max(_VERSIONS.c.id)))
        return int(newest or 0)

    async def _run(self) -> None:
        database = self._database()
        if database.dialect == "sqlite":
            await self._poll(self._settings.live_poll_ms / 1000)
            return
        listener = asyncio.create_task(self._listen(), name="eventql version listener")
        try:
            await self._poll(self._settings.live_fallback_poll_s)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _poll(self, interval_s: float) -> None:
        """Read new versions at every wake-up, and every `interval_s` anyway."""
        failing = False
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), interval_s)
            self._wake.clear()
            try:
                await self._read_new()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not failing:
                    logger.warning("cannot read new dataset versions (retrying): %s", error)
                failing = True
                await asyncio.sleep(_RETRY_S)
            else:
                if failing:
                    logger.info("reading dataset versions again")
                failing = False

    async def _read_new(self) -> None:
        database = self._database()
        if database.dialect == "sqlite" and await self._newest() <= self._last_seen:
            # The cheap check said nothing changed (SQLite has no holes: one writer at a time
            # takes ids in commit order).
            return
        now = time.monotonic()
        self._holes = {i: at for i, at in self._holes.items() if now - at < _HOLE_WAIT_S}
        wanted = _VERSIONS.c.id > self._last_seen
        if self._holes:
            wanted = or_(wanted, _VERSIONS.c.id.in_(list(self._holes)))
        rows: Sequence[Row[Any]] = await database.all(
            select(_VERSIONS).where(wanted).order_by(_VERSIONS.c.id)
        )
        for row in rows:
            version_id = int(row.id)
            if self._holes.pop(version_id, None) is None:
                if version_id <= self._last_seen:
                    continue
                for skipped in range(self._last_seen + 1, version_id):
                    if len(self._holes) >= _MAX_HOLES:
                        break
                    self._holes[skipped] = now
                self._last_seen = version_id
            for subscriber in list(self._subscribers):
                subscriber._offer(row)
            # Let waiting subscribers take it before the next: a burst of versions (after an
            # outage) fills only the queues of subscribers that are busy.
            await asyncio.sleep(0)

    async def _listen(self) -> None:
        """LISTEN on the notify channel, waking the poller at each notification; reconnect
        after a failure (and wake the poller then, to read whatever was missed)."""
        url = sync_url(self._settings.database_url).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        failing = False
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo,
                    autocommit=True,
                    connect_timeout=self._settings.connect_timeout_s,
                ) as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    if failing:
                        logger.info("listening for dataset versions again")
                    failing = False
                    self._wake.set()  # anything committed while not listening
                    async for _notify in connection.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not failing:
                    logger.warning("lost the dataset version listener (reconnecting): %s", error)
                failing = True
            await asyncio.sleep(_RETRY_S)
