"""Database rows back into seed records: the inverse of the loader's `seeds.rows`.

Keys become slugs again (by joining the referenced rows), spans become `DateSpan`s, and each
record is rebuilt through its pydantic model, so what comes out is a record `eventql seed`
accepts. Lists the database does not order (an event's participants and links, a statement's
subjects) come out sorted by slug. A one-day span is written as `start` alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from schema.core import (
    ACTOR,
    EVENT,
    EVENT_LINK,
    FIGURE,
    PARTICIPATION,
    SOURCE,
    STATEMENT,
    STATEMENT_ACTOR,
    STATEMENT_EVENT,
)
from schema.records import ActorRecord, EventRecord, FigureRecord, SourceRecord, StatementRecord
from seeds.exporters.scope import BATCH_SIZE

Where = ColumnElement[bool]
Record = SourceRecord | ActorRecord | EventRecord | StatementRecord | FigureRecord


def span(
    start: dt.date | None, end: dt.date | None, precision: str | None, note: str | None
) -> dict[str, Any] | None:
    """A `DateSpan` as data, or None without a start."""
    if start is None:
        return None
    return {
        "start": start,
        "end": end if end is not None and end != start else None,
        "precision": precision or "day",
        "note": note,
    }


def _provenance(row: Any) -> dict[str, Any]:
    return {
        "id": row.slug,
        "source": row.source_slug,
        "evidence": row.evidence,
        "locator": row.locator,
    }


def _batches(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Any]]:
    result = connection.execute(query, execution_options={"stream_results": True})
    yield from result.partitions(BATCH_SIZE)


def source_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Source records matching `where` (on the `source` table), by slug."""
    query = select(SOURCE).where(where).order_by(SOURCE.c.dataset_id, SOURCE.c.slug)
    for batch in _batches(connection, query):
        yield [
            SourceRecord(
                id=row.slug,
                headline=row.headline,
                outlet=row.outlet,
                published=span(
                    row.published_start,
                    row.published_end,
                    row.published_precision,
                    row.published_note,
                ),
                url=row.url,
                language=row.language,
                text=row.text,
                licence=row.licence,
                external_id=row.external_id,
            )
            for row in batch
        ]


def actor_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Actor records matching `where` (on the `actor` table), by slug."""
    parent = aliased(ACTOR)
    query = (
        select(ACTOR, SOURCE.c.slug.label("source_slug"), parent.c.slug.label("parent_slug"))
        .select_from(ACTOR)
        .outerjoin(SOURCE, SOURCE.c.id == ACTOR.c.source_id)
        .outerjoin(parent, parent.c.id == ACTOR.c.parent_id)
        .where(where)
        .order_by(ACTOR.c.dataset_id, ACTOR.c.slug)
    )
    for batch in _batches(connection, query):
        yield [
            ActorRecord(
                **_provenance(row),
                name=row.name,
                aliases=row.aliases,
                kind=row.kind,
                country=row.country_code,
                parent=row.parent_slug,
                title=row.title,
                description=row.description,
                external_id=row.external_id,
                codes=row.codes,
            )
            for row in batch
        ]


def event_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Event records matching `where` (on the `event` table), with links and participants."""
    query = (
        select(EVENT, SOURCE.c.slug.label("source_slug"))
        .select_from(EVENT)
        .outerjoin(SOURCE, SOURCE.c.id == EVENT.c.source_id)
        .where(where)
        .order_by(EVENT.c.dataset_id, EVENT.c.slug)
    )
    for batch in _batches(connection, query):
        ids = [row.id for row in batch]
        participants = _participants(connection, ids)
        links = _links(connection, ids)
        yield [
            EventRecord(
                **_provenance(row),
                title=row.title,
                type=row.type,
                sub_type=row.sub_type,
                date=span(row.start_date, row.end_date, row.date_precision, row.date_note),
                location=_location(row),
                description=row.description,
                links=links.get(row.id, []),
                participants=participants.get(row.id, []),
                external_id=row.external_id,
                codes=row.codes,
            )
            for row in batch
        ]


def _location(row: Any) -> dict[str, Any] | None:
    if row.country_code is None:
        return None
    return {
        "country": row.country_code,
        "admin1": row.admin1,
        "admin2": row.admin2,
        "place": row.place,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "precision": row.coordinate_precision,
        "geonames_id": row.geonames_id,
    }


def _participants(connection: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    p = PARTICIPATION.c
    query = (
        select(p.event_id, p.role, p.note, p.evidence, ACTOR.c.slug)
        .join(ACTOR, ACTOR.c.id == p.actor_id)
        .where(p.event_id.in_(ids))
        .order_by(p.event_id, ACTOR.c.slug, p.role)
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.event_id].append(
            {"actor": row.slug, "role": row.role, "note": row.note, "evidence": row.evidence}
        )
    return found


def _links(connection: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    link, target = EVENT_LINK.c, aliased(EVENT)
    query = (
        select(link.event_id, link.kind, link.evidence, target.c.slug)
        .join(target, target.c.id == link.target_id)
        .where(link.event_id.in_(ids))
        .order_by(link.event_id, link.kind, target.c.slug)
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.event_id].append({"kind": row.kind, "event": row.slug, "evidence": row.evidence})
    return found


def statement_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Statement records matching `where` (on the `statement` table), with their subjects."""
    query = (
        select(STATEMENT, SOURCE.c.slug.label("source_slug"), ACTOR.c.slug.label("speaker_slug"))
        .select_from(STATEMENT)
        .join(ACTOR, ACTOR.c.id == STATEMENT.c.speaker_id)
        .outerjoin(SOURCE, SOURCE.c.id == STATEMENT.c.source_id)
        .where(where)
        .order_by(STATEMENT.c.dataset_id, STATEMENT.c.slug)
    )
    for batch in _batches(connection, query):
        ids = [row.id for row in batch]
        events = _about(connection, STATEMENT_EVENT, STATEMENT_EVENT.c.event_id, EVENT, ids)
        actors = _about(connection, STATEMENT_ACTOR, STATEMENT_ACTOR.c.actor_id, ACTOR, ids)
        yield [
            StatementRecord(
                **_provenance(row),
                speaker=row.speaker_slug,
                speaker_title=row.speaker_title,
                date=span(row.start_date, row.end_date, row.date_precision, row.date_note),
                kind=row.kind,
                mode=row.mode,
                text=row.text,
                about_events=events.get(row.id, []),
                about_actors=actors.get(row.id, []),
                attribution=row.attribution,
            )
            for row in batch
        ]


def _about(
    connection: Connection, link: Any, key: Any, target: Any, ids: list[int]
) -> dict[int, list[str]]:
    query = (
        select(link.c.statement_id, target.c.slug)
        .join(target, target.c.id == key)
        .where(link.c.statement_id.in_(ids))
        .order_by(link.c.statement_id, target.c.slug)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.statement_id].append(row.slug)
    return found


def figure_records(connection: Connection, where: Where) -> Iterator[list[Record]]:
    """Figure records matching `where` (on the `figure` table), by slug."""
    event, claimant, counted = aliased(EVENT), aliased(ACTOR), aliased(ACTOR)
    statement, whole = aliased(STATEMENT), aliased(FIGURE)
    query = (
        select(
            FIGURE,
            SOURCE.c.slug.label("source_slug"),
            event.c.slug.label("event_slug"),
            claimant.c.slug.label("claimant_slug"),
            counted.c.slug.label("counted_slug"),
            statement.c.slug.label("statement_slug"),
            whole.c.slug.label("part_of_slug"),
        )
        .select_from(FIGURE)
        .outerjoin(SOURCE, SOURCE.c.id == FIGURE.c.source_id)
        .outerjoin(event, event.c.id == FIGURE.c.event_id)
        .outerjoin(claimant, claimant.c.id == FIGURE.c.claimant_id)
        .outerjoin(counted, counted.c.id == FIGURE.c.counted_actor_id)
        .outerjoin(statement, statement.c.id == FIGURE.c.statement_id)
        .outerjoin(whole, whole.c.id == FIGURE.c.part_of_id)
        .where(where)
        .order_by(FIGURE.c.dataset_id, FIGURE.c.slug)
    )
    for batch in _batches(connection, query):
        yield [
            FigureRecord(
                **_provenance(row),
                event=row.event_slug,
                kind=row.kind,
                unit=row.unit,
                status=row.status,
                value=row.value,
                lower=row.lower,
                upper=row.upper,
                qualifier=row.qualifier,
                raw=row.raw,
                as_of=span(row.as_of_start, row.as_of_end, row.as_of_precision, row.as_of_note),
                claimant=row.claimant_slug,
                statement=row.statement_slug,
                attribution=row.attribution,
                part_of=row.part_of_slug,
                counted_actor=row.counted_slug,
                counted_group=row.counted_group,
                note=row.note,
            )
            for row in batch
        ]
