"""STAND-IN until the lead's `gql/types/versions.py` lands on main: take main's file when
merging. The `DatasetVersion` type: one load that changed a dataset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from sqlalchemy import Row


@strawberry.type(name="DatasetVersion", description="One load that changed a dataset.")
class DatasetVersionType:
    """A dataset version."""

    number: int = strawberry.field(description="1 for a dataset's first version, then one more.")
    dataset_name: str = strawberry.field(description="The dataset's name.")
    created_at: dt.datetime = strawberry.field(description="When the load committed.")
    content_hash: str = strawberry.field(description="The dataset's content hash.")
    load_kind: str = strawberry.field(description="seed, import or watch.")
    added: int = strawberry.field(description="Records added.")
    changed: int = strawberry.field(description="Records changed.")
    removed: int = strawberry.field(description="Records removed.")

    @classmethod
    def from_row(cls, row: Row[Any]) -> DatasetVersionType:
        """The version of a `datasetversion` row."""
        return cls(
            number=row.number,
            dataset_name=row.dataset_name,
            created_at=row.created_at,
            content_hash=row.content_hash,
            load_kind=row.load_kind,
            added=row.added,
            changed=row.changed,
            removed=row.removed,
        )
