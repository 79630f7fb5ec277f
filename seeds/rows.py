"""Turning a validated dataset into table rows, in an order the foreign keys accept.

Rows are plain dicts keyed by column name, ready for SQLAlchemy Core `executemany` or
PostgreSQL `COPY`. Keys come from `schema.ids.record_id`, and rows are ordered by slug, so the
same records always give the same rows, whichever files or folders they were read from. The
dataset's `content_hash` is the hash of exactly these rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from schema.ids import dataset_id, record_id
from schema.records import (
    ActorRecord,
    DateSpan,
    EventRecord,
    FigureRecord,
    SourceRecord,
    StatementRecord,
)
from seeds.provenance import country_name
from seeds.seedset import DatasetSeed, Placed

#: Tables in the order rows are inserted: every row's references are already there.
TABLE_ORDER = (
    "dataset",
    "source",
    "actor",
    "event",
    "eventlink",
    "participation",
    "statement",
    "statementevent",
    "statementactor",
    "figure",
    "searchentry",
)

Row = dict[str, Any]


@dataclass
class DatasetRows:
    """Every row of one dataset, by table, and the hash of their content."""

    name: str
    id: int
    tables: dict[str, list[Row]]
    content_hash: str

    @property
    def row_count(self) -> int:
        """Rows over all tables."""
        return sum(len(rows) for rows in self.tables.values())


def dataset_rows(dataset: DatasetSeed) -> DatasetRows:
    """All rows for `dataset`, ordered for insertion, with its content hash filled in."""
    builder = _Builder(dataset)
    tables = builder.build()
    # Every row of a table is built with its keys in the same order, so no key sorting needed.
    digest = hashlib.sha256(orjson.dumps(tables)).hexdigest()
    tables["dataset"][0]["content_hash"] = digest
    return DatasetRows(dataset.name, builder.dataset_id, tables, digest)


def _dates(prefix: str, span: DateSpan | None) -> Row:
    return {
        f"{prefix}start": span.start if span else None,
        f"{prefix}end": span.last if span else None,
        f"{prefix}precision": span.precision.value if span else None,
        f"{prefix}note": span.note if span else None,
    }


def _search_body(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def _chain_depths(records: dict[str, Placed[Any]], field: str) -> dict[str, int]:
    """How many `field` steps each record is from one whose `field` is empty."""
    depths: dict[str, int] = {}
    for slug in records:
        steps, seen, current = 0, {slug}, slug
        while (current := getattr(records[current].record, field)) in records:
            if current in seen:
                break
            seen.add(current)
            steps += 1
        depths[slug] = steps
    return depths


#: The primary key of each link table, which its rows are sorted by.
_LINK_KEYS = {
    "eventlink": ("event_id", "target_id", "kind"),
    "participation": ("event_id", "actor_id", "role"),
    "statementevent": ("statement_id", "event_id"),
    "statementactor": ("statement_id", "actor_id"),
}


class _Builder:
    def __init__(self, dataset: DatasetSeed) -> None:
        self.dataset = dataset
        self.name = dataset.name
        self.dataset_id = dataset_id(dataset.name)
        self.tables: dict[str, list[Row]] = {table: [] for table in TABLE_ORDER}
        self.keys: dict[tuple[str, str], int] = {}

    def key(self, kind: str, slug: str | None) -> int | None:
        if slug is None:
            return None
        # Hashing is the costliest step per row; the same actor is named by many rows.
        key = self.keys.get((kind, slug))
        if key is None:
            key = self.keys[(kind, slug)] = record_id(self.name, kind, slug)
        return key

    def build(self) -> dict[str, list[Row]]:
        info = self.dataset.info
        self.tables["dataset"].append(
            {
                "id": self.dataset_id,
                "name": info.name,
                "title": info.title,
                "description": info.description,
                "licence": info.licence,
                "citation": info.citation,
                "url": info.url,
                "content_hash": "",
            }
        )
        for source in self.dataset.sources.values():
            self.source(source.record)
        for actor in self.dataset.actors.values():
            self.actor(actor)
        for event in self.dataset.events.values():
            self.event(event)
        for statement in self.dataset.statements.values():
            self.statement(statement)
        for figure in self.dataset.figures.values():
            self.figure(figure)
        self.sort()
        return self.tables

    def sort(self) -> None:
        """Put rows in primary-key order (parents first where a table refers to itself).

        The order makes the rows, and so the content hash, independent of file order, and
        inserting in key order keeps B-tree and full-text index writes sequential.
        """
        depths = {
            "actor": _chain_depths(self.dataset.actors, "parent"),
            "figure": _chain_depths(self.dataset.figures, "part_of"),
        }
        for name, rows in self.tables.items():
            if name in _LINK_KEYS:
                rows.sort(key=itemgetter(*_LINK_KEYS[name]))
            elif name in depths:
                depth = depths[name]
                rows.sort(key=lambda row: (depth[row["slug"]], row["id"]))
            else:
                rows.sort(key=itemgetter("id"))

    def search(self, key: int, kind: str, body: str) -> None:
        self.tables["searchentry"].append(
            {"id": key, "dataset_id": self.dataset_id, "kind": kind, "body": body}
        )

    def provenance(self, kind: str, placed: Placed[Any]) -> Row:
        record = placed.record
        start, end = placed.span if placed.span else (None, None)
        return {
            "id": self.key(kind, record.id),
            "dataset_id": self.dataset_id,
            "slug": record.id,
            "source_id": self.key("source", placed.source),
            "evidence": record.evidence,
            "evidence_start": start,
            "evidence_end": end,
            "locator": record.locator,
        }

    def source(self, record: SourceRecord) -> None:
        key = record_id(self.name, "source", record.id)  # sources are named once
        self.tables["source"].append(
            {
                "id": key,
                "dataset_id": self.dataset_id,
                "slug": record.id,
                "headline": record.headline,
                "outlet": record.outlet,
                **_dates("published_", record.published),
                "url": record.url,
                "language": record.language,
                "text": record.text,
                "licence": record.licence,
                "external_id": record.external_id,
            }
        )
        self.search(key, "source", _search_body(record.headline, record.text))

    def actor(self, placed: Placed[ActorRecord]) -> None:
        record = placed.record
        row = self.provenance("actor", placed)
        row.update(
            name=record.name,
            aliases=list(record.aliases),
            kind=record.kind.value,
            country_code=record.country,
            parent_id=self.key("actor", record.parent),
            title=record.title,
            description=record.description,
            external_id=record.external_id,
            codes=dict(record.codes),
        )
        self.tables["actor"].append(row)
        self.search(row["id"], "actor", _search_body(record.name, *record.aliases, record.title))

    def event(self, placed: Placed[EventRecord]) -> None:
        record = placed.record
        where = record.location
        row = self.provenance("event", placed)
        row.update(
            title=record.title,
            type=record.type.value,
            sub_type=record.sub_type.value,
            start_date=record.date.start,
            end_date=record.date.last,
            date_precision=record.date.precision.value,
            date_note=record.date.note,
            country_code=where.country if where else None,
            country=country_name(where.country) if where else None,
            admin1=where.admin1 if where else None,
            admin2=where.admin2 if where else None,
            place=where.place if where else None,
            latitude=where.latitude if where else None,
            longitude=where.longitude if where else None,
            coordinate_precision=where.precision.value if where and where.precision else None,
            geonames_id=where.geonames_id if where else None,
            description=record.description,
            external_id=record.external_id,
            codes=dict(record.codes),
        )
        self.tables["event"].append(row)
        key = row["id"]
        for link in record.links:
            self.tables["eventlink"].append(
                {
                    "event_id": key,
                    "target_id": self.key("event", link.event),
                    "kind": link.kind.value,
                    "dataset_id": self.dataset_id,
                    "evidence": link.evidence,
                }
            )
        for part in record.participants:
            self.tables["participation"].append(
                {
                    "event_id": key,
                    "actor_id": self.key("actor", part.actor),
                    "role": part.role.value,
                    "dataset_id": self.dataset_id,
                    "note": part.note,
                    "evidence": part.evidence,
                }
            )
        place = where.place if where else None
        self.search(key, "event", _search_body(record.title, record.description, place))

    def statement(self, placed: Placed[StatementRecord]) -> None:
        record = placed.record
        row = self.provenance("statement", placed)
        row.update(
            speaker_id=self.key("actor", record.speaker),
            speaker_title=record.speaker_title,
            start_date=record.date.start if record.date else None,
            end_date=record.date.last if record.date else None,
            date_precision=record.date.precision.value if record.date else None,
            date_note=record.date.note if record.date else None,
            kind=record.kind.value,
            mode=record.mode.value,
            text=record.text,
            attribution=record.attribution,
        )
        self.tables["statement"].append(row)
        key = row["id"]
        for slug in record.about_events:
            self.tables["statementevent"].append(
                {
                    "statement_id": key,
                    "event_id": self.key("event", slug),
                    "dataset_id": self.dataset_id,
                }
            )
        for slug in record.about_actors:
            self.tables["statementactor"].append(
                {
                    "statement_id": key,
                    "actor_id": self.key("actor", slug),
                    "dataset_id": self.dataset_id,
                }
            )
        self.search(key, "statement", _search_body(record.text, record.attribution))

    def figure(self, placed: Placed[FigureRecord]) -> None:
        record = placed.record
        row = self.provenance("figure", placed)
        row.update(
            event_id=self.key("event", record.event),
            kind=record.kind.value,
            unit=record.unit,
            status=record.status.value,
            value=record.value,
            lower=record.lower,
            upper=record.upper,
            qualifier=record.qualifier.value,
            raw=record.raw,
            **_dates("as_of_", record.as_of),
            claimant_id=self.key("actor", record.claimant),
            statement_id=self.key("statement", record.statement),
            attribution=record.attribution,
            part_of_id=self.key("figure", record.part_of),
            counted_actor_id=self.key("actor", record.counted_actor),
            counted_group=record.counted_group,
            note=record.note,
        )
        self.tables["figure"].append(row)
        self.search(row["id"], "figure", _search_body(record.raw, record.note))
