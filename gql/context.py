"""The per-request context: the database, the settings and this request's DataLoaders (and,
for operations over the live transports, the version feed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry
from starlette.requests import Request

from gql.data.database import Database
from gql.data.loaders import Loaders
from gql.settings import Settings

if TYPE_CHECKING:
    from gql.live.feed import VersionFeed


@dataclass
class Context:
    """What every resolver can reach; built afresh for each GraphQL operation."""

    db: Database
    settings: Settings
    request: Request | None = None
    #: New dataset versions, for subscriptions (None where subscriptions cannot run: HTTP).
    feed: VersionFeed | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        # Loaders cache what they loaded, so they must never outlive one operation.
        self.loaders = Loaders(self.db)

    def read_through(self, db: Database) -> None:
        """Read through `db` from now on, with fresh DataLoaders: a subscription reads each
        of its events in a snapshot of its own, and must not see what an earlier one cached."""
        self.db = db
        self.loaders = Loaders(db)


#: The `info` argument of every resolver.
Info = strawberry.Info[Context, None]
