"""Reading the datasets' history: versions, a version's record changes, and the changes since
a version or a time, netted per record for a client that syncs (`Query.changes`).

Versions are ordered by `id`, which counts up across datasets (`schema.history`); a change
feed is bounded by the newest version when it is asked (`through`), so a reseed that commits
while a client pages through the feed shows up in its next sync, not half in this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, select, true

from gql.data.connections import PageRequest, paged
from gql.data.cursors import Ordering, SortKey
from gql.data.database import Database
from gql.data.listing import Listing, Sort
from gql.errors import PublicError
from schema.history import DatasetVersion, RecordChange

__all__ = [
    "CHANGES",
    "VERSIONS",
    "VERSION_LISTING",
    "HistoryError",
    "Since",
    "change_feed_page",
    "feed_bound",
    "merged_fields",
    "span_changes_statement",
    "version_changes_statement",
    "versions_statement",
]

VERSION = DatasetVersion.__table__  # type: ignore[attr-defined]
CHANGE = RecordChange.__table__  # type: ignore[attr-defined]

#: Versions as a listing of rows (`DatasetVersion` is a node), newest first.
VERSION_LISTING = Listing(
    name="datasetversion",
    table=VERSION,
    keys=(VERSION.c.id,),
    orders={"SEQUENCE": Sort(VERSION.c.id, "int")},
    default_order=(("SEQUENCE", True),),
    filter_entity="datasetversion",
)
#: Versions newest first; a version's changes (and a feed) in the order they were recorded.
VERSIONS: Ordering = VERSION_LISTING.ordering()
CHANGES: Ordering = (SortKey("change", CHANGE.c.id, "int"),)


class HistoryError(PublicError):
    """`since` names a version that does not exist, or reaches before the kept history."""

    code = "HISTORY_UNAVAILABLE"


@dataclass(frozen=True)
class Since:
    """Where a change feed starts: after the version with this `id`, or after this time."""

    version: int | None = None
    time: dt.datetime | None = None


def versions_statement(dataset_id: int | None, page: PageRequest) -> Select[Any]:
    """A page of versions (of one dataset, or of all), newest first."""
    condition = true() if dataset_id is None else VERSION.c.dataset_id == dataset_id
    return paged(select(*VERSION.c).where(condition), VERSIONS, page)


def version_changes_statement(
    version_id: int, kinds: Sequence[str], changes: Sequence[str], page: PageRequest
) -> Select[Any]:
    """A page of one version's record changes, optionally only of some kinds and types."""
    condition = and_(
        CHANGE.c.version_id == version_id,
        *([CHANGE.c.kind.in_(kinds)] if kinds else []),
        *([CHANGE.c.change.in_(changes)] if changes else []),
    )
    return paged(select(*CHANGE.c).where(condition), CHANGES, page)


async def feed_bound(db: Database, since: Since) -> tuple[int, int]:
    """The versions a feed covers, as ids (after, through]; raises `HistoryError` when they
    are not all there with their changes."""
    through = await db.scalar(select(func.coalesce(func.max(VERSION.c.id), 0)))
    if since.version is not None:
        after = since.version
        if after > through or (
            after > 0 and await db.scalar(select(VERSION.c.id).where(VERSION.c.id == after)) is None
        ):
            raise HistoryError(
                f"there is no version {after}: {await _history_span(db)} (pass a version "
                "`id` from `datasetVersions`, `Dataset.versions` or a previous `changes`)"
            )
    else:
        assert since.time is not None
        when = since.time if since.time.tzinfo else since.time.replace(tzinfo=dt.UTC)
        last_before = await db.scalar(
            select(func.coalesce(func.max(VERSION.c.id), 0)).where(VERSION.c.created_at <= when)
        )
        after = int(last_before)
    lost = await db.scalar(
        select(func.min(VERSION.c.id)).where(
            VERSION.c.id > after, VERSION.c.id <= through, VERSION.c.changes_kept.is_(False)
        )
    )
    if lost is not None:
        raise HistoryError(
            f"the record changes of version {lost} are no longer kept (EVENTQL_HISTORY_KEEP): "
            f"{await _history_span(db)}; fetch the data again instead, then sync from "
            "`changes(since:)` with its `through`"
        )
    return after, int(through)


async def _history_span(db: Database) -> str:
    """How far back the kept record changes go, in words."""
    oldest = (
        await db.all(
            select(VERSION.c.id, VERSION.c.created_at)
            .where(VERSION.c.changes_kept.is_(True))
            .order_by(VERSION.c.id)
            .limit(1)
        )
    )[:1]
    newest = await db.scalar(select(func.max(VERSION.c.id)))
    if not oldest or newest is None:
        return "no versions are recorded yet"
    first, at = oldest[0].id, oldest[0].created_at
    dropped = await db.scalar(
        select(func.max(VERSION.c.id)).where(VERSION.c.changes_kept.is_(False))
    )
    since = f"changes since version {dropped}" if dropped is not None else "every change"
    when = at.isoformat() if isinstance(at, dt.datetime) else str(at)
    return (
        f"history holds versions {first} to {newest} ({since}, from {when}); "
        f"use `since: {{version: {dropped if dropped is not None else 0}}}` or later"
    )


def change_feed_page(
    after: int,
    through: int,
    datasets: Sequence[str],
    kinds: Sequence[str],
    page: PageRequest,
) -> Select[Any]:
    """A page of the records changed by versions (after, through], one row per record (its
    latest change in that span), ordered by that change."""
    in_span: list[ColumnElement[bool]] = [VERSION.c.id > after, VERSION.c.id <= through]
    if datasets:
        in_span.append(VERSION.c.dataset_name.in_(datasets))
    if kinds:
        in_span.append(CHANGE.c.kind.in_(kinds))
    per_record = (
        select(
            CHANGE.c.record_id,
            func.max(CHANGE.c.id).label("last_id"),
        )
        .select_from(CHANGE.join(VERSION, VERSION.c.id == CHANGE.c.version_id))
        .where(*in_span)
        .group_by(CHANGE.c.record_id)
        .subquery()
    )
    latest = select(*CHANGE.c).select_from(
        per_record.join(CHANGE, CHANGE.c.id == per_record.c.last_id)
    )
    return paged(latest, CHANGES, page)


def span_changes_statement(record_ids: Sequence[int], after: int, through: int) -> Select[Any]:
    """Every change of these records in versions (after, through], oldest first."""
    return (
        select(CHANGE.c.record_id, CHANGE.c.change, CHANGE.c.fields)
        .where(
            CHANGE.c.record_id.in_(record_ids),
            CHANGE.c.version_id > after,
            CHANGE.c.version_id <= through,
        )
        .order_by(CHANGE.c.id)
    )


def merged_fields(changes: Sequence[Row[Any]]) -> tuple[str, list[dict[str, Any]]]:
    """One record's changes over several versions as one: what happened to it in all, and
    each field that differs from before the first to after the last (old, then new)."""
    first, last = changes[0].change, changes[-1].change
    if last == "removed":
        return "removed", []
    if first == "added":
        return "added", []
    # (Removed, then added again: a change, whose fields the record as it is now tells.)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for change in changes:
        for item in _fields(change.fields):
            old.setdefault(item["field"], item.get("old"))
            new[item["field"]] = item.get("new")
    merged = [
        {"field": name, "old": old[name], "new": new[name]}
        for name in old
        if old[name] != new[name]
    ]
    return "changed", merged


def _fields(value: Any) -> list[dict[str, Any]]:
    return list(value or [])
