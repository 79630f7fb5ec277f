"""The version feed of one server process (`gql.live.feed.VersionFeed`): a slow subscriber
loses its oldest versions and never holds up the others; the feed runs only while someone
listens. Versions are written by the loader (a real reseed) and, to make many at once, as
rows by hand."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from gql.data.database import open_database
from gql.errors import DatabaseUnavailableError
from gql.live.feed import QUEUE_SIZE, VersionFeed
from gql.settings import Settings
from schema.db import create_sync_engine
from tests.live_support import PATIENCE_S, Seeds

#: Copies of testland's first version, numbered from 2 (as if loaded many times).
_VERSIONS = text(
    "INSERT INTO datasetversion (dataset_id, dataset_name, number, created_at, content_hash, "
    "load_kind, files, counts, changes_kept, added, changed, removed) SELECT dataset_id, "
    "dataset_name, :number, created_at, content_hash, load_kind, files, counts, changes_kept, "
    "0, 0, 0 FROM datasetversion WHERE dataset_name = 'testland' AND number = 1"
)


def _add_versions(url: str, numbers: range) -> None:
    engine = create_sync_engine(url)
    try:
        with engine.begin() as connection:
            for number in numbers:
                connection.execute(_VERSIONS, {"number": number})
    finally:
        engine.dispose()


async def test_a_slow_subscriber_loses_its_oldest_versions_and_holds_up_no_one(
    database_url: str, tmp_path: Path
) -> None:
    seeds = Seeds(database_url, tmp_path)
    seeds.load("testland")
    settings = Settings(database_url=database_url, live_poll_ms=50, live_fallback_poll_s=0.2)
    database = open_database(database_url, pool_size=2, statement_timeout_ms=0)
    feed = VersionFeed(lambda: database, settings)
    count = QUEUE_SIZE + 50
    try:
        async with feed.subscribe() as slow, feed.subscribe() as quick:
            assert feed.subscribers == 2
            heard: list[int] = []

            async def listen() -> None:
                while len(heard) < count + 1:
                    heard.append((await quick.next()).number)

            listening = asyncio.create_task(listen())
            await asyncio.to_thread(seeds.reseed, "testland")  # version 2, by the loader
            await asyncio.to_thread(_add_versions, database_url, range(3, 3 + count))
            async with asyncio.timeout(PATIENCE_S):
                await listening
            assert heard == list(range(2, 3 + count))
            # The slow one never read: it holds the newest QUEUE_SIZE, the oldest dropped.
            assert slow.dropped == count + 1 - QUEUE_SIZE
            kept = [(await slow.next()).number for _ in range(QUEUE_SIZE)]
            assert kept == list(range(3 + count - QUEUE_SIZE, 3 + count))
        # Nobody listens: the feed stopped.
        assert feed.subscribers == 0
        async with feed.subscribe() as again:
            await asyncio.to_thread(seeds.reseed, "testland")
            async with asyncio.timeout(PATIENCE_S):
                assert (await again.next()).number == count + 3
    finally:
        await feed.close()
        await database.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_feed_that_cannot_read_the_database_says_so(
    database_url: str, tmp_path: Path
) -> None:
    # No tables: the feed cannot start, and the subscriber gets the database's error.
    settings = Settings(database_url=database_url)
    database = open_database(database_url, pool_size=2, statement_timeout_ms=0)
    feed = VersionFeed(lambda: database, settings)
    try:
        with pytest.raises(DatabaseUnavailableError, match="no eventql tables"):
            async with feed.subscribe():
                pass
        assert feed.subscribers == 0
    finally:
        await feed.close()
        await database.dispose()
