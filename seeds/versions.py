"""Recording a dataset's new version, in the transaction of the load that made it.

`record_versions` adds one `datasetversion` row per dataset the load changed, with its record
changes (`seeds.record_changes`), then forgets the record changes of versions beyond the
retention (`keep`): version rows themselves are kept, marked `changes_kept = false`, so the
history always says how far back it goes. On PostgreSQL it then sends `NOTIFY` on
`schema.history.NOTIFY_CHANNEL` with the newest version's id: PostgreSQL delivers it when the
load commits, and not at all if it rolls back, so servers listening hear of exactly the
versions that exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, func, select, update

from schema.history import NOTIFY_CHANNEL, DatasetVersion, RecordChange
from seeds.record_changes import RecordChangeRow
from seeds.rows import DatasetRows
from seeds.seedset import DatasetSeed
from seeds.write import insert_rows

__all__ = ["DEFAULT_KEEP", "VERSION_ORDER_LOCK", "History", "LoadKind", "record_versions"]

LoadKind = Literal["seed", "import", "watch"]
#: Versions per dataset whose record changes are kept, unless a load says otherwise.
DEFAULT_KEEP = 50

#: Key of the PostgreSQL advisory lock that orders versions: a constant of eventql's own, not
#: the key `eventql.startup` holds while it seeds an empty database (its load takes this one).
VERSION_ORDER_LOCK = 0x65716C5F76657273  # "eql_vers"
_VERSION = DatasetVersion.__table__  # type: ignore[attr-defined]
_CHANGE = RecordChange.__table__  # type: ignore[attr-defined]
_CHANGE_COLUMNS = ("version_id", "kind", "slug", "record_id", "change", "fields")


@dataclass(frozen=True)
class History:
    """How a load is recorded in the datasets' history."""

    #: How the load ran: "seed", "import" or "watch".
    load_kind: LoadKind = "seed"
    #: Versions per dataset whose record changes are kept (at least 1).
    keep: int = DEFAULT_KEEP


def record_versions(
    connection: Connection,
    datasets: Sequence[tuple[DatasetRows, DatasetSeed]],
    changes: dict[int, list[RecordChangeRow]],
    history: History,
    *,
    fresh: bool = False,
) -> list[int]:
    """Add a version for each of `datasets` (each changed by this load); their ids.

    `fresh`: the tables were created in this transaction (`seeds.write.insert_rows`).
    """
    ids: list[int] = []
    now = dt.datetime.now(dt.UTC)
    if datasets and connection.dialect.name == "postgresql":
        # Loads that version take ids and commit one at a time, in id order, so the newest
        # id is a watermark: a snapshot holding version N holds every version before it
        # (read replicas are chosen by it, `gql.data.replicas`). Without this, two loads at
        # once could commit out of id order, and a snapshot could hold N but not N - 1.
        # SQLite has one writer at a time anyway. Held until the load commits.
        connection.execute(select(func.pg_advisory_xact_lock(VERSION_ORDER_LOCK)))
    for rows, seed in datasets:
        records = changes.get(rows.id, [])
        number = connection.execute(
            select(func.coalesce(func.max(_VERSION.c.number), 0)).where(
                _VERSION.c.dataset_id == rows.id
            )
        ).scalar_one()
        tally = dict.fromkeys(("added", "changed", "removed"), 0)
        for change in records:
            tally[change.change] += 1
        version_id = connection.execute(
            _VERSION.insert()
            .values(
                dataset_id=rows.id,
                dataset_name=rows.name,
                number=number + 1,
                created_at=now,
                content_hash=rows.content_hash,
                load_kind=history.load_kind,
                files=_files(seed),
                counts=seed.counts(),
                changes_kept=True,
                **tally,
            )
            .returning(_VERSION.c.id)
        ).scalar_one()
        insert_rows(
            connection,
            _CHANGE,
            _CHANGE_COLUMNS,
            [(version_id, c.kind, c.slug, c.record_id, c.change, c.fields) for c in records],
            fresh=fresh,
        )
        _forget_old_changes(connection, rows.id, number + 1 - max(history.keep, 1))
        ids.append(version_id)
    if ids and connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(max(ids)))))
    return ids


def _files(seed: DatasetSeed) -> list[dict[str, str | None]]:
    """The files a version was read from (an import's: the file imported), each with the
    sha256 of its bytes: as read, or else (an import, a JSONL file) read again now."""
    return [
        {"path": path, "sha256": seed.file_hashes.get(path) or _sha256(Path(path))}
        for path in dict.fromkeys(seed.files)
    ]


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None  # not a file (records built in memory)
    return digest.hexdigest()


def _forget_old_changes(connection: Connection, dataset_id: int, up_to: int) -> None:
    """Delete the record changes of the dataset's versions numbered `up_to` or less."""
    if up_to < 1:
        return
    old = select(_VERSION.c.id).where(
        _VERSION.c.dataset_id == dataset_id,
        _VERSION.c.number <= up_to,
        _VERSION.c.changes_kept.is_(True),
    )
    connection.execute(_CHANGE.delete().where(_CHANGE.c.version_id.in_(old)))
    connection.execute(
        update(_VERSION)
        .where(_VERSION.c.dataset_id == dataset_id, _VERSION.c.number <= up_to)
        .values(changes_kept=False)
    )
