"""The `Record` interface: what every record read from a source shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row

from gql.data import listing
from gql.types.fields import RowObject, column, to_one, value_object
from gql.types.node import Node
from gql.types.values import EVIDENCE, Evidence

if TYPE_CHECKING:
    from gql.types.source import DatasetType, SourceType


@strawberry.interface(
    name="Record",
    description="A record read from a source: it belongs to a dataset, has a human-readable "
    "slug, and points to the source and the words it came from.",
)
class Record(Node, RowObject):
    """Fields every record shares."""

    row: strawberry.Private[Row[Any]]
    slug: str = column(
        "slug",
        description="The record's ID in its seed file: stable and human-readable, unique per "
        "kind within its dataset. Look a record up with it, e.g. `event(slug:)`.",
    )
    dataset: Annotated[DatasetType, strawberry.lazy("gql.types.source")] = to_one(
        listing.DATASETS, "dataset_id", description="The dataset the record belongs to."
    )
    source: Annotated[SourceType, strawberry.lazy("gql.types.source")] | None = to_one(
        listing.SOURCES,
        "source_id",
        description="The source (report, dataset row) the record was read from.",
    )
    evidence: Evidence | None = value_object(
        EVIDENCE,
        description="The exact words of the source this record was read from, and where they "
        "are; null when the record names none.",
    )
