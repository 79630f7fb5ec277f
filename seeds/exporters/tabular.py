"""CSV and GeoJSON exports of events, written as a stream of chunks.

Both are built from the flat rows of `seeds.exporters.flat` and yield one chunk per batch of
events, so an export of any size holds one batch in memory. The first chunk comes only once
the first batch is read (the CSV header, or the GeoJSON opening, goes out with it): a
selection the database cannot serve fails before a single byte is written. The CSV is UTF-8
with a BOM-less header line and `\\r\\n` line ends (RFC 4180, what spreadsheets expect). The
GeoJSON is a FeatureCollection of Point features ([longitude, latitude], RFC 7946) for the
events that have coordinates, each feature's properties being the CSV's columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import orjson
from sqlalchemy import Engine

from seeds.exporters.flat import COLUMNS, Flat, flat_batches
from seeds.exporters.guard import ExportGuard
from seeds.exporters.scope import Selection, dataset_rows, reading


def csv_chunks(
    engine: Engine, selection: Selection, guard: ExportGuard | None = None
) -> Iterator[bytes]:
    """The selected events as CSV: a header line, then one row per event."""
    buffer = io.StringIO()
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
    engine: Engine, selection: Selection, guard: ExportGuard | None = None
) -> Iterator[bytes]:
    """The selected events that have coordinates, as one GeoJSON FeatureCollection."""
    opening = b'{"type":"FeatureCollection","features":['  # sent with the first batch
    first = True
    with reading(engine, guard) as connection:
        if selection.datasets:
            dataset_rows(connection, selection.datasets)  # unknown names are refused
        for batch in flat_batches(connection, selection):
            features = [_feature(row) for row in batch if row["latitude"] is not None]
            if not features:
                continue
            chunk = b",".join(orjson.dumps(feature) for feature in features)
            yield opening + chunk if first else b"," + chunk
            first = False
    yield (opening if first else b"") + b"]}\n"


def _feature(row: Flat) -> dict[str, object]:
    return {
        "type": "Feature",
        "id": f"{row['dataset']}:{row['event_slug']}",
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": row,
    }
