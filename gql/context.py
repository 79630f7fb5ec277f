"""The per-request context: the database, the settings and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request

from gql.data.database import Database
from gql.data.loaders import Loaders
from gql.settings import Settings


@dataclass
class Context:
    """What every resolver can reach; built afresh for each GraphQL operation."""

    db: Database
    settings: Settings
    request: Request | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        # Loaders cache what they loaded, so they must never outlive one operation.
        self.loaders = Loaders(self.db)


#: The `info` argument of every resolver.
Info = strawberry.Info[Context, None]
