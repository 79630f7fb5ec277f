"""Tables for a dataset's history: its versions, and what changed in each.

Every load that changes a dataset (a seed, an import, a `--watch` reseed) records a version:
a number counting up per dataset, the time, the content hash, the files read and how the load
ran, and counts per record kind. Its `id` counts up across all datasets, so the newest
`datasetversion.id` is the version of the whole database: servers compare it to learn that
data changed (ETags, subscriptions, read replicas), whichever process or host loaded it.

A version's record changes are rows of `recordchange`: a record added, changed (with the
fields that changed, old and new values) or removed. They describe records by kind, slug and
key, not by reference, so a removed record's change outlives the record. Pruning old versions
(`retain`) deletes history rows only; the data itself is never touched.
"""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

#: How a version's load ran.
LOAD_KINDS = ("seed", "import", "watch")
#: What happened to a record in a version.
CHANGE_TYPES = ("added", "changed", "removed")
#: The history's tables.
HISTORY_TABLES = ("datasetversion", "recordchange")
#: PostgreSQL `NOTIFY` channel told the new version's `id` when a load commits.
NOTIFY_CHANNEL = "eventql_versions"

# A 64-bit key that counts up by itself: SQLite does that only for an INTEGER PRIMARY KEY.
_SERIAL = BigInteger().with_variant(Integer(), "sqlite")


class DatasetVersion(SQLModel, table=True):
    """One load that changed a dataset."""

    __tablename__ = "datasetversion"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)

    id: int | None = Field(default=None, sa_column=Column(_SERIAL, primary_key=True))
    #: The dataset's key (`schema.ids.dataset_id`); not a foreign key, so history can name a
    #: dataset that a rebuild or a removal took away.
    dataset_id: int = Field(sa_type=BigInteger, index=True)
    dataset_name: str = Field(max_length=200)
    #: 1 for a dataset's first version, then one more per load that changed it.
    number: int
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    content_hash: str = Field(max_length=64)
    #: "seed", "import" or "watch" (`LOAD_KINDS`).
    load_kind: str = Field(max_length=10)
    #: The files read: `[{"path": ..., "sha256": ...}]`.
    files: list[dict[str, str | None]] = Field(default_factory=list, sa_column=Column(JSON))
    #: Records per kind after the load: `{"event": 16, ...}`.
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON))
    added: int = 0
    changed: int = 0
    removed: int = 0
    #: False once the retention has dropped this version's record changes.
    changes_kept: bool = True


class RecordChange(SQLModel, table=True):
    """A record added, changed or removed by a version."""

    __tablename__ = "recordchange"
    __table_args__ = (Index("ix_recordchange_version_kind", "version_id", "kind", "change"),)

    id: int | None = Field(default=None, sa_column=Column(_SERIAL, primary_key=True))
    version_id: int = Field(sa_type=BigInteger, foreign_key="datasetversion.id", ondelete="CASCADE")
    kind: str = Field(max_length=20)
    slug: str = Field(sa_column=Column(String(200), nullable=False))
    #: The record's key (`schema.ids.record_id`), which its GraphQL global ID encodes.
    record_id: int = Field(sa_type=BigInteger, index=True)
    #: "added", "changed" or "removed" (`CHANGE_TYPES`).
    change: str = Field(max_length=10)
    #: For a change: `[{"field": "best", "old": 164, "new": 225}, ...]`; else empty.
    fields: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
