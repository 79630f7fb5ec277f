"""A dataset's history in GraphQL: its versions, each version's record changes, and the
changes since a version or a time, for clients that keep a copy in sync (`Query.changes`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row, Select, func, select
from strawberry.scalars import JSON

from gql.context import Info
from gql.data import history
from gql.data.connections import Connection, PageRequest, build_connection, page_window
from gql.data.cursors import Ordering
from gql.data.listing import Listing
from gql.types import lookups
from gql.types.fields import RowObject
from gql.types.node import Node, decode_id, encode_id
from gql.types.paging_arguments import After, Before, First, Last

__all__ = [
    "ChangeType",
    "DatasetVersionConnection",
    "DatasetVersionType",
    "LoadKind",
    "RecordChangeConnection",
    "RecordChangeType",
    "ChangeFeed",
    "ChangesSince",
    "change_feed",
    "dataset_versions",
]


@strawberry.enum(description="How a load ran.")
class LoadKind(Enum):
    """How a load ran."""

    SEED = strawberry.enum_value("seed", description="`eventql seed` (or the first start).")
    IMPORT = strawberry.enum_value("import", description="`eventql import` of a UCDP/GDELT file.")
    WATCH = strawberry.enum_value("watch", description="`eventql serve --watch`: files edited.")


@strawberry.enum(description="What a version did to a record.")
class ChangeType(Enum):
    """What a version did to a record."""

    ADDED = strawberry.enum_value("added", description="The record is new.")
    CHANGED = strawberry.enum_value("changed", description="Some of its fields changed.")
    REMOVED = strawberry.enum_value("removed", description="The record is gone.")


@strawberry.enum(name="HistoryRecordKind", description="The kinds of records a history tracks.")
class HistoryRecordKind(Enum):
    """Kinds of records, as history names them."""

    SOURCE = strawberry.enum_value("source", description="A report or dataset row.")
    ACTOR = strawberry.enum_value("actor", description="A person, group or institution.")
    EVENT = strawberry.enum_value("event", description="Something that happened.")
    STATEMENT = strawberry.enum_value("statement", description="Something someone said.")
    FIGURE = strawberry.enum_value("figure", description="A reported number, as a claim.")


@strawberry.type(description="A file a version was loaded from.")
class VersionFile:
    """A file a version was loaded from."""

    path: str = strawberry.field(description="The path as given to the load.")
    sha256: str | None = strawberry.field(
        description="The sha256 of the file's bytes (hex); null if it was not a file."
    )


@strawberry.type(
    name="VersionKindCount", description="How many records of one kind a version holds."
)
class KindCount:
    """Records of one kind."""

    kind: HistoryRecordKind = strawberry.field(description="The kind of record.")
    count: int = strawberry.field(description="How many the dataset holds in this version.")


@strawberry.type(
    name="FieldChange", description="One field of a record, before and after a version."
)
class FieldChange:
    """A field's old and new value."""

    field: str = strawberry.field(
        description="The field as seed files name it: `best`, `date.precision`, "
        "`location.country_code`, `participants` (a list, given whole)."
    )
    old: JSON | None = strawberry.field(description="The value before (null: none).")
    new: JSON | None = strawberry.field(description="The value after (null: none).")


@strawberry.type(
    name="RecordChange",
    description="A record added, changed or removed: by kind, slug and global ID, with the "
    "fields that changed.",
)
class RecordChangeType:
    """One record's change."""

    row: strawberry.Private[Row[Any]]
    change_type: strawberry.Private[str]
    changed_fields: strawberry.Private[list[dict[str, Any]]]

    @strawberry.field(description="What happened to the record.")
    def change(self) -> ChangeType:
        """Added, changed or removed."""
        return ChangeType[self.change_type.upper()]

    @strawberry.field(description="The kind of record.")
    def kind(self) -> HistoryRecordKind:
        """The record's kind."""
        return HistoryRecordKind[str(self.row.kind).upper()]

    @strawberry.field(description="The record's ID in its dataset's files.")
    def slug(self) -> str:
        """The record's slug."""
        return str(self.row.slug)

    @strawberry.field(
        description="The record's global ID: for a removed record, the tombstone a client "
        "cache evicts."
    )
    def record_id(self) -> strawberry.ID:
        """The record's global ID."""
        return strawberry.ID(encode_id(str(self.row.kind).capitalize(), int(self.row.record_id)))

    @strawberry.field(
        description="The fields that changed, old and new (empty for an added or removed record)."
    )
    def fields(self) -> list[FieldChange]:
        """The changed fields."""
        return [
            FieldChange(field=item["field"], old=item.get("old"), new=item.get("new"))
            for item in self.changed_fields
        ]

    @strawberry.field(description="The record as it is now; null if it is gone.")
    async def node(self, info: Info) -> Node | None:
        """The current record."""
        if self.change_type == "removed":
            return None
        return await lookups.node(info, self.record_id())

    @strawberry.field(description="The version that made this change (the latest, in a feed).")
    async def version(self, info: Info) -> DatasetVersionType:
        """The version of the change."""
        version = await _version(info, int(self.row.version_id))
        assert version is not None  # deleting a version deletes its changes (foreign key)
        return version

    @classmethod
    def from_row(cls, row: Row[Any]) -> RecordChangeType:
        """A change as recorded."""
        return cls(row=row, change_type=row.change, changed_fields=list(row.fields or []))


@strawberry.type(description="A page of record changes.")
class RecordChangeConnection(Connection[RecordChangeType]):
    """A page of record changes."""


@strawberry.type(
    name="DatasetVersion",
    description="One load that changed a dataset: a seed, an import or a `--watch` reseed. An "
    "unchanged reseed makes no version.",
)
class DatasetVersionType(Node, RowObject):
    """A dataset version. Its `id` is what `changes(since: {version: ...})` takes."""

    node_kind: ClassVar[str] = "DatasetVersion"
    table_listing: ClassVar[Listing] = history.VERSION_LISTING
    row: strawberry.Private[Row[Any]]

    @strawberry.field(
        description="The version of the whole database this one made: counts up across "
        "datasets, so a higher sequence is newer data."
    )
    def sequence(self) -> int:
        """The database-wide version number."""
        return int(self.row.id)

    @strawberry.field(description="1 for the dataset's first version, one more per change.")
    def number(self) -> int:
        """The dataset's version number."""
        return int(self.row.number)

    @strawberry.field(description="The dataset's name.")
    def dataset_name(self) -> str:
        """The dataset's name."""
        return str(self.row.dataset_name)

    @strawberry.field(description="When the load committed (UTC).")
    def created_at(self) -> dt.datetime:
        """When the version was made."""
        created: dt.datetime = self.row.created_at
        return created if created.tzinfo else created.replace(tzinfo=dt.UTC)

    @strawberry.field(description="The hash of the dataset's records in this version.")
    def content_hash(self) -> str:
        """The content hash."""
        return str(self.row.content_hash)

    @strawberry.field(description="How the load ran.")
    def load_kind(self) -> LoadKind:
        """Seed, import or watch."""
        return LoadKind[str(self.row.load_kind).upper()]

    @strawberry.field(description="The files read, with their sha256.")
    def files(self) -> list[VersionFile]:
        """The files of the load."""
        return [VersionFile(path=f["path"], sha256=f.get("sha256")) for f in self.row.files or []]

    @strawberry.field(description="Records per kind in this version.")
    def counts(self) -> list[KindCount]:
        """Records per kind."""
        return [
            KindCount(kind=HistoryRecordKind[kind.upper()], count=count)
            for kind, count in (self.row.counts or {}).items()
        ]

    @strawberry.field(description="Records the version added.")
    def added(self) -> int:
        """Records added."""
        return int(self.row.added)

    @strawberry.field(description="Records whose fields the version changed.")
    def changed(self) -> int:
        """Records changed."""
        return int(self.row.changed)

    @strawberry.field(description="Records the version removed.")
    def removed(self) -> int:
        """Records removed."""
        return int(self.row.removed)

    @strawberry.field(
        description="Whether the record changes of this version are still kept; older "
        "versions keep only this summary (EVENTQL_HISTORY_KEEP)."
    )
    def changes_kept(self) -> bool:
        """Whether `changes` still lists this version's changes."""
        return bool(self.row.changes_kept)

    @strawberry.field(
        description="The records this version added, changed or removed, in the order of "
        "kind and slug."
    )
    async def changes(
        self,
        info: Info,
        kinds: Annotated[
            list[HistoryRecordKind] | None,
            strawberry.argument(description="Only records of these kinds."),
        ] = None,
        change: Annotated[
            list[ChangeType] | None,
            strawberry.argument(description="Only these changes, e.g. `[REMOVED]`."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> RecordChangeConnection:
        """A page of the version's record changes."""
        page = _page(info, history.CHANGES, first, after, last, before)
        statement = history.version_changes_statement(
            int(self.row.id),
            [k.name.lower() for k in kinds or []],
            [c.name.lower() for c in change or []],
            page,
        )
        connection: RecordChangeConnection = await _connection(
            info,
            RecordChangeConnection,
            statement,
            history.CHANGES,
            page,
            RecordChangeType.from_row,
        )
        return connection


@strawberry.type(description="A page of dataset versions, newest first.")
class DatasetVersionConnection(Connection[DatasetVersionType]):
    """A page of dataset versions."""


def _page(
    info: Info,
    ordering: Ordering,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    settings = info.context.settings
    return PageRequest.parse(
        ordering,
        first=first,
        after=after,
        last=last,
        before=before,
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
    )


async def _connection(
    info: Info,
    cls: Callable[..., Any],
    statement: Select[Any],
    ordering: Ordering,
    page: PageRequest,
    to_node: Callable[[Row[Any]], Any],
    rows: Sequence[Row[Any]] | None = None,
) -> Any:
    """A connection from a `history` page statement (rows with `sort_<i>` values; `rows`:
    already fetched), counted only when `totalCount` is asked for."""
    if rows is None:
        rows = await info.context.db.all(statement)
    counted = statement.limit(None).order_by(None)

    async def counter() -> int:
        total = await info.context.db.scalar(select(func.count()).select_from(counted.subquery()))
        return int(total)

    return build_connection(
        cls, rows, ordering=ordering, page=page, to_node=to_node, counter=counter, scope=None
    )


async def dataset_versions(
    info: Info,
    dataset_id: int | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> DatasetVersionConnection:
    """A page of versions (of one dataset, or of all), newest first."""
    page = _page(info, history.VERSIONS, first, after, last, before)
    statement = history.versions_statement(dataset_id, page)
    result: DatasetVersionConnection = await _connection(
        info,
        DatasetVersionConnection,
        statement,
        history.VERSIONS,
        page,
        DatasetVersionType.from_row,
    )
    return result


async def _version(info: Info, key: int) -> DatasetVersionType | None:
    """A version by its id, batched with the other versions the response asks for."""
    row = await info.context.loaders.by_id(history.VERSION_LISTING).load(key)
    return None if row is None else DatasetVersionType.from_row(row)


def version_key(global_id: str) -> int:
    """The `datasetversion` id a version's global ID holds; `HistoryError` for another ID."""
    kind, key = decode_id(global_id)
    if kind != "DatasetVersion":
        raise history.HistoryError(
            f"`since.version` takes a DatasetVersion's `id`; this ID is a {kind}'s"
        )
    return key


@strawberry.input(
    one_of=True,
    description="Where a change feed starts: after a version, or after a time. Exactly one.",
)
class ChangesSince:
    """The start of a change feed."""

    version: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A version's `id`: the feed holds what the versions after it changed.",
    )
    time: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="A time (ISO 8601; UTC if no offset): the feed holds what the versions "
        "made after it changed.",
    )


@strawberry.type(
    name="ChangeFeed",
    description="The records changed since a version or a time, one entry per record "
    "(its net change over the span: added, changed with each field's first old and last new "
    "value, or removed), for a client cache to apply. Removed records come as tombstones "
    "(`recordId`, `node` null). Pass `through.id` as the next `since`.",
)
class ChangeFeed(Connection[RecordChangeType]):
    """A page of a change feed."""

    through_id: strawberry.Private[int]

    @strawberry.field(
        description="The newest version the feed covers (null when no version exists yet): "
        "sync next time with `since: {version: through.id}`."
    )
    async def through(self, info: Info) -> DatasetVersionType | None:
        """The newest version covered."""
        return await _version(info, self.through_id)


async def change_feed(
    info: Info,
    since: ChangesSince,
    datasets: Sequence[str],
    kinds: Sequence[HistoryRecordKind],
    first: int | None,
    after: str | None,
) -> ChangeFeed:
    """A page of the net record changes since `since`."""
    if since.version:
        start = history.Since(version=version_key(since.version))
    elif since.time:
        start = history.Since(time=since.time)
    else:
        raise history.HistoryError("`since` needs a `version` or a `time`")
    after_id, through = await history.feed_bound(info.context.db, start)
    page = _page(info, history.CHANGES, first, after, None, None)
    statement = history.change_feed_page(
        after_id, through, list(datasets), [k.name.lower() for k in kinds], page
    )
    rows = await info.context.db.all(statement)
    window = page_window(rows, page)[0]
    spans: dict[int, list[Row[Any]]] = {}
    if window:
        record_ids = [int(row.record_id) for row in window]
        span = history.span_changes_statement(record_ids, after_id, through)
        for change in await info.context.db.all(span):
            spans.setdefault(int(change.record_id), []).append(change)

    def to_node(row: Row[Any]) -> RecordChangeType:
        net, fields = history.merged_fields(spans.get(int(row.record_id)) or [row])
        return RecordChangeType(row=row, change_type=net, changed_fields=fields)

    feed: ChangeFeed = await _connection(
        info,
        lambda **kw: ChangeFeed(through_id=through, **kw),
        statement,
        history.CHANGES,
        page,
        to_node,
        rows=rows,
    )
    return feed
