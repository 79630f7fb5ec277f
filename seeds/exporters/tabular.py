"""CSV and GeoJSON exports of events, written as a stream of chunks.

Both are built from the flat rows of `seeds.exporters.flat` and yield one chunk per batch of
events, so an export of any size holds one batch in memory. The first chunk comes only once
the first batch is read (the CSV header, or the GeoJSON opening, goes out with it): a
selection the database cannot serve fails before a single byte is written. The CSV is UTF-8
with `\\r\\n` line ends (RFC 4180, what spreadsheets expect); with `bom=True` it starts with a
byte order mark, without which Excel reads UTF-8 as the local code page and garbles
non-ASCII text. The GeoJSON is a FeatureCollection of Point features ([longitude, latitude],
RFC 7946) for the events that have coordinates, each feature's properties being the CSV's
columns; the events left out are counted in a foreign member at its end (`GEOJSON_MEMBER`),
since a streamed document knows them only once it is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from sqlalchemy import Engine

from seeds.exporters.flat import COLUMNS, Flat, flat_batches
from seeds.exporters.guard import ExportGuard
from seeds.exporters.scope import Selection, dataset_rows, reading

#: The FeatureCollection's foreign member (RFC 7946, 6.1) that counts what was written.
GEOJSON_MEMBER = "eventql"
#: The UTF-8 byte order mark an Excel-friendly CSV starts with.
BOM = "\ufeff"


@dataclass
class GeoJsonCount:
    """What a GeoJSON export wrote: events selected, features, events without coordinates."""

    events: int = 0
    features: int = 0

    @property
    def without_coordinates(self) -> int:
        """Events left out because they have no coordinates (a Point needs them)."""
        return self.events - self.features


def csv_chunks(
    engine: Engine, selection: Selection, guard: ExportGuard | None = None, *, bom: bool = False
) -> Iterator[bytes]:
    """The selected events as CSV: a header line, then one row per event (`bom`: for Excel)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()  # sent with the first batch
    with reading(engine, guard) as connection:
        if selection.datasets:
            dataset_rows(connection, selection.datasets)  # unknown names are refused
        for batch in flat_batches(connection, selection):
            writer.writerows(batch)
            yield _take(buffer)
    if buffer.tell():
        yield _take(buffer)  # no events: the header alone


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def geojson_chunks(
    engine: Engine,
    selection: Selection,
    guard: ExportGuard | None = None,
    *,
    count: GeoJsonCount | None = None,
) -> Iterator[bytes]:
    """The selected events that have coordinates, as one GeoJSON FeatureCollection.

    Its last member, `"eventql": {"events", "features", "withoutCoordinates"}`, says how
    many selected events were left out for want of coordinates; `count` receives the same.
    """
    count = GeoJsonCount() if count is None else count
    opening = b'{"type":"FeatureCollection","features":['  # sent with the first batch
    first = True
    with reading(engine, guard) as connection:
        if selection.datasets:
            dataset_rows(connection, selection.datasets)  # unknown names are refused
        for batch in flat_batches(connection, selection):
            features = [_feature(row) for row in batch if row["latitude"] is not None]
            count.events += len(batch)
            count.features += len(features)
            if not features:
                continue
            chunk = b",".join(orjson.dumps(feature) for feature in features)
            yield opening + chunk if first else b"," + chunk
            first = False
    summary = {
        "events": count.events,
        "features": count.features,
        "withoutCoordinates": count.without_coordinates,
    }
    closing = b"]," + orjson.dumps(GEOJSON_MEMBER) + b":" + orjson.dumps(summary) + b"}\n"
    yield (opening if first else b"") + closing


def _feature(row: Flat) -> dict[str, object]:
    return {
        "type": "Feature",
        "id": f"{row['dataset']}:{row['event_slug']}",
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": row,
    }
