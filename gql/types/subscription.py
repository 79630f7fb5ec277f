"""The root `Subscription` type: events pushed to clients as datasets change.

Subscriptions run over WebSocket (`graphql-transport-ws`, at `/graphql`) and Server-Sent
Events (`graphql-sse`, at `/graphql/stream`); `gql.live` carries them. Each event is read in a
database snapshot of its own, taken when the event is sent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from gql.context import Context, Info
from gql.errors import PublicError
from gql.live.feed import VersionFeed
from gql.types.query import Query
from gql.types.versions import DatasetVersionType

_DATASETS = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Only versions of these datasets (by name); null or omitted: every dataset."
    ),
]


class SubscriptionsUnavailableError(PublicError):
    """A subscription sent where none can run (plain HTTP)."""


@strawberry.type(
    name="Subscription",
    description="Live updates, over WebSocket (graphql-transport-ws, at /graphql) or "
    "Server-Sent Events (graphql-sse, at /graphql/stream). Plain HTTP POST cannot subscribe.",
)
class Subscription:
    """The root subscription type."""

    @strawberry.subscription(
        description="An event for each new version of a dataset — a seed, an import or a "
        "`--watch` reseed that changed it, committed on any server that shares the database — "
        "with its number and change counts; select `changes` for what changed. Sent within a "
        "second of the load's commit, in the order the versions were made. Versions made "
        "before the subscription started are not sent (use `changes(since:)` to catch up). A "
        "subscriber that takes events too slowly loses the oldest of the 100 it may have "
        "waiting: compare `number` with the last one seen."
    )
    async def dataset_changed(
        self, info: Info, datasets: _DATASETS = None
    ) -> AsyncGenerator[DatasetVersionType, None]:
        """New versions of the datasets named (or of every dataset)."""
        context = info.context
        feed = _feed(context)
        wanted = None if datasets is None else frozenset(datasets)
        database = context.db
        async with feed.subscribe() as subscriber:
            while True:
                row = await subscriber.next()
                if wanted is not None and row.dataset_name not in wanted:
                    continue
                # The event's fields are resolved while the generator waits here: in one
                # snapshot, given back before the next version is awaited.
                async with database.snapshot() as snapshot:
                    context.read_through(snapshot)
                    yield DatasetVersionType.from_row(row)

    @strawberry.subscription(
        description="A live query: select any query fields under `live`, and the answer is "
        "sent at once, then again whenever a new version of the datasets named (or of any "
        "dataset) may have changed it — an answer equal to the last one sent is not sent "
        "again. Each answer is read in one snapshot, like a query over HTTP, with the same "
        "limits."
    )
    async def live(self, info: Info, datasets: _DATASETS = None) -> AsyncGenerator[Query, None]:
        """The query root, now and after each version that may change the answer."""
        context = info.context
        feed = _feed(context)
        wanted = None if datasets is None else frozenset(datasets)
        database = context.db
        # Listening before the first answer is read: a version committed meanwhile is
        # answered again, never missed.
        async with feed.subscribe() as subscriber:
            async with database.snapshot() as snapshot:
                context.read_through(snapshot)
                yield Query()
            while True:
                row = await subscriber.next()
                if wanted is not None and row.dataset_name not in wanted:
                    continue
                async with database.snapshot() as snapshot:
                    context.read_through(snapshot)
                    yield Query()


def _feed(context: Context) -> VersionFeed:
    """The app's version feed; `SubscriptionsUnavailableError` over plain HTTP (no feed)."""
    if context.feed is None:
        raise SubscriptionsUnavailableError(
            "subscriptions run over WebSocket (/graphql) or Server-Sent Events "
            "(/graphql/stream), not plain HTTP"
        )
    return context.feed
