"""Exports of records as CSV (ACLED-like columns), GeoJSON and JSONL, streamed in chunks.

Each export takes a `Selection` (the JSON form of the GraphQL EventFilter, and dataset names)
and yields bytes a batch at a time, so the CLI can write a file and the HTTP layer a streaming
response without holding the export in memory; an optional `ExportGuard` bounds its database
work (a statement timeout, cancellation from another thread). Knows nothing of HTTP.
"""

from collections.abc import Iterator
from typing import Protocol

from sqlalchemy import Engine

from seeds.exporters.flat import COLUMNS
from seeds.exporters.guard import ExportCancelled, ExportGuard, ExportTimeout
from seeds.exporters.jsonl import jsonl_chunks
from seeds.exporters.scope import FilterError, Selection
from seeds.exporters.tabular import csv_chunks, geojson_chunks


class Chunks(Protocol):
    """An export: the database, what to select and an optional guard in; bytes out."""

    def __call__(
        self, engine: Engine, selection: Selection, guard: ExportGuard | None = None
    ) -> Iterator[bytes]: ...


#: Export formats by name, with their chunk writer and media type.
FORMATS: dict[str, tuple[Chunks, str]] = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "geojson": (geojson_chunks, "application/geo+json"),
    "jsonl": (jsonl_chunks, "application/jsonl"),
}

__all__ = [
    "COLUMNS",
    "FORMATS",
    "Chunks",
    "ExportCancelled",
    "ExportGuard",
    "ExportTimeout",
    "FilterError",
    "Selection",
    "csv_chunks",
    "geojson_chunks",
    "jsonl_chunks",
]
