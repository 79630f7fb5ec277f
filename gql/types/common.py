"""Value types shared by records (date spans, locations, evidence) and the `Record` interface."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row

from gql.context import Info
from gql.node import Node
from schema import enums

if TYPE_CHECKING:
    from gql.types.source import DatasetType, SourceType


@strawberry.type(
    name="DateSpan",
    description="A date or date range, with how precisely it is known and how it was derived. "
    "A one-day date has `start` = `end`.",
)
class DateSpan:
    """A date or date range."""

    start: dt.date = strawberry.field(description="The first possible day.")
    end: dt.date = strawberry.field(description="The last possible day (= `start` for one day).")
    precision: enums.DatePrecision = strawberry.field(
        description="How precisely the date is known."
    )
    note: str | None = strawberry.field(
        description="How the date was derived, e.g. 'on Sunday' resolved against the "
        "publication date; null when the source states it plainly."
    )

    @classmethod
    def of(
        cls, start: dt.date | None, end: dt.date | None, precision: str | None, note: str | None
    ) -> DateSpan | None:
        """A span from stored columns, or None when there is no date."""
        if start is None:
            return None
        return cls(
            start=start,
            end=end or start,
            precision=enums.DatePrecision(precision or enums.DatePrecision.DAY.value),
            note=note,
        )


@strawberry.type(
    name="Location",
    description="Where something happened: country, regions, place and optional coordinates.",
)
class Location:
    """A location."""

    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. KZ.")
    country: str | None = strawberry.field(description="The country's English name.")
    admin1: str | None = strawberry.field(
        description="First-order division: region, or a city with regional status (Almaty)."
    )
    admin2: str | None = strawberry.field(description="Second-order division (district).")
    place: str | None = strawberry.field(description="The named place: city, town or site.")
    latitude: float | None = strawberry.field(description="Latitude in decimal degrees (WGS 84).")
    longitude: float | None = strawberry.field(description="Longitude in decimal degrees (WGS 84).")
    coordinate_precision: enums.CoordinatePrecision | None = strawberry.field(
        description="What the coordinates stand for (the exact site, a city centroid, ...)."
    )
    geonames_id: int | None = strawberry.field(
        description="GeoNames ID of the place the coordinates were taken from."
    )

    @classmethod
    def of(cls, row: Row[Any]) -> Location | None:
        """The location of an event row, or None when it has no country."""
        if row.country_code is None:
            return None
        precision = row.coordinate_precision
        return cls(
            country_code=row.country_code,
            country=row.country,
            admin1=row.admin1,
            admin2=row.admin2,
            place=row.place,
            latitude=row.latitude,
            longitude=row.longitude,
            coordinate_precision=enums.CoordinatePrecision(precision) if precision else None,
            geonames_id=row.geonames_id,
        )


@strawberry.type(
    name="Evidence",
    description="The words of the source a record was read from: the exact sentence or span, "
    "and where it sits in the source's text.",
)
class Evidence:
    """An evidence span."""

    text: str | None = strawberry.field(description="The exact words, verbatim from the source.")
    start: int | None = strawberry.field(
        description="Offset of the first character in the source's `text` (0-based, in "
        "Unicode code points); null when the source has no text."
    )
    end: int | None = strawberry.field(
        description="Offset just past the last character in the source's `text`."
    )
    locator: str | None = strawberry.field(
        description="Where in a source without text the record comes from (e.g. 'row 1234')."
    )


@strawberry.interface(
    name="Record",
    description="A record read from a source: it belongs to a dataset, has a human-readable "
    "slug, and points to the source and the words it came from.",
)
class Record(Node):
    """Fields every record shares."""

    slug: str = strawberry.field(
        description="The record's ID in its seed file: stable and human-readable, unique per "
        "kind within its dataset. Look a record up with it, e.g. `event(slug:)`."
    )
    dataset_id: strawberry.Private[int]
    source_id: strawberry.Private[int | None]
    evidence_text: strawberry.Private[str | None]
    evidence_start: strawberry.Private[int | None]
    evidence_end: strawberry.Private[int | None]
    locator: strawberry.Private[str | None]

    @strawberry.field(description="The dataset the record belongs to.")
    async def dataset(
        self, info: Info
    ) -> Annotated[DatasetType, strawberry.lazy("gql.types.source")]:
        """The record's dataset."""
        from gql.listing import DATASETS
        from gql.lists import by_id
        from gql.types.source import DatasetType

        found = await by_id(info, DATASETS, self.dataset_id, DatasetType.from_row)
        assert found is not None  # a foreign key guarantees it
        return found

    @strawberry.field(description="The source (report, dataset row) the record was read from.")
    async def source(
        self, info: Info
    ) -> Annotated[SourceType, strawberry.lazy("gql.types.source")] | None:
        """The record's source."""
        from gql.listing import SOURCES
        from gql.lists import by_id
        from gql.types.source import SourceType

        return await by_id(info, SOURCES, self.source_id, SourceType.from_row)

    @strawberry.field(
        description="The exact words of the source this record was read from, and where they "
        "are; null when the record names none."
    )
    def evidence(self) -> Evidence | None:
        """The record's evidence span."""
        if self.evidence_text is None and self.locator is None:
            return None
        return Evidence(
            text=self.evidence_text,
            start=self.evidence_start,
            end=self.evidence_end,
            locator=self.locator,
        )


def record_fields(row: Row[Any]) -> dict[str, Any]:
    """The `Record` fields of a record row, as constructor arguments."""
    return {
        "db_id": row.id,
        "slug": row.slug,
        "dataset_id": row.dataset_id,
        "source_id": row.source_id,
        "evidence_text": row.evidence,
        "evidence_start": row.evidence_start,
        "evidence_end": row.evidence_end,
        "locator": row.locator,
    }
