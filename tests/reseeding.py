"""Reseeds that change a dataset, on demand, for tests that watch a live server's updates.

A test copies the bundled seed and loads it with `seeded_copy(folder, url)`, serves that
database, and hands the server's client tests `reseed_command(copy, url)` (a JSON argv in
`EVENTQL_RESEED`). Each run of that command (`python -m tests.reseeding <copy> <url>`) edits
the copy and runs `eventql seed` on it, as a user would, then prints what the reseed made as
one JSON line:

    {"dataset": "kazakhstan-2022", "number": 3, "added": 1, "changed": 1, "removed": 1,
     "changes": [{"change": "CHANGED", "kind": "ACTOR", "slug": "kazakhstan", "fields": [...]},
                 ...]}

`number` is the version the database recorded for the reseed; the counts and `changes` (by
slug, with the changed fields' old and new values) are those the edit implies, not read back,
so a client told anything else has been told wrong. The edit of revision `k`: the actor
`kazakhstan` gets the alias "Live revision k" (one record changed), an actor
`live-revision-k` is added, and `live-revision-(k-1)` is removed (none on the first
revision). Runs take a lock, so concurrent callers each get a version of their own.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from sqlalchemy import func, select
from typer.testing import CliRunner

from eventql.cli import app
from schema.db import create_sync_engine
from schema.history import DatasetVersion
from seeds import bundled_seed_paths

__all__ = ["DATASET", "reseed", "reseed_command", "seed_copy", "seeded_copy"]

#: The dataset of the bundled seed, the one every reseed changes.
DATASET = "kazakhstan-2022"
_CHANGED_ACTOR = "kazakhstan"
_REVISION_FILE = ".revision"
_LOCK_FILE = ".lock"
_VERSION = DatasetVersion.__table__  # type: ignore[attr-defined]


def seed_copy(folder: Path) -> Path:
    """A copy of the bundled seed files in `folder/seed` (edited by each reseed)."""
    target = folder / "seed"
    shutil.copytree(bundled_seed_paths()[0], target)
    return target


def seeded_copy(folder: Path, database_url: str) -> Path:
    """`seed_copy(folder)`, loaded with `eventql seed` into the database at `database_url`."""
    copy = seed_copy(folder)
    _seed(copy, database_url)
    return copy


def reseed_command(copy: Path, database_url: str) -> list[str]:
    """The command line of one reseed of `copy` into the database at `database_url` (run from
    tests/node, so it names the project's root for `tests` to be found)."""
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "tests.reseeding", str(copy), database_url]
    return ["env", f"PYTHONPATH={root}", *command]


def reseed(copy: Path, database_url: str) -> dict[str, Any]:
    """Edit `copy` to its next revision and seed it; the version made and the edit's counts."""
    with (copy.parent / _LOCK_FILE).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = copy.parent / _REVISION_FILE
        revision = int(state.read_text()) + 1 if state.exists() else 1
        _edit(copy, revision)
        _seed(copy, database_url)
        state.write_text(str(revision))
        return {
            "dataset": DATASET,
            "number": _newest_version(database_url),
            "added": 1,
            "changed": 1,
            "removed": 0 if revision == 1 else 1,
            "changes": _changes(revision),
        }


def _changes(revision: int) -> list[dict[str, Any]]:
    """The record changes revision `revision` makes, as GraphQL lists them (by kind, slug)."""
    previous = [] if revision == 1 else [f"Live revision {revision - 1}"]
    aliases = {"field": "aliases", "old": previous, "new": [f"Live revision {revision}"]}
    changes: list[dict[str, Any]] = [
        {"change": "CHANGED", "kind": "ACTOR", "slug": _CHANGED_ACTOR, "fields": [aliases]},
        {"change": "ADDED", "kind": "ACTOR", "slug": f"live-revision-{revision}", "fields": []},
    ]
    if revision > 1:
        removed = f"live-revision-{revision - 1}"
        changes.append({"change": "REMOVED", "kind": "ACTOR", "slug": removed, "fields": []})
    return sorted(changes, key=lambda change: change["slug"])


def _seed(copy: Path, database_url: str) -> None:
    # `eventql seed` itself, run in this process: a second interpreter would double each
    # reseed's start-up time, and the Node tests reseed a dozen times.
    loaded = CliRunner().invoke(app, ["seed", str(copy), "--database-url", database_url])
    if loaded.exit_code != 0:
        raise RuntimeError(f"eventql seed failed:\n{loaded.output}")


def _edit(copy: Path, revision: int) -> None:
    (path,) = copy.rglob("*.yaml")
    # Round-trip: the copy keeps its comments and layout, so only the edit differs.
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    document = yaml.load(path.read_text(encoding="utf-8"))
    actors: list[dict[str, Any]] = document["actors"]
    changed = next(actor for actor in actors if actor["id"] == _CHANGED_ACTOR)
    changed["aliases"] = [f"Live revision {revision}"]
    actors[:] = [actor for actor in actors if not actor["id"].startswith("live-revision-")]
    actors.append(
        {
            "id": f"live-revision-{revision}",
            "name": f"Live revision {revision}",
            "kind": "group",
            "country": "KZ",
            # Evidence is a verbatim span of the report: its headline.
            "evidence": document["source"]["headline"],
        }
    )
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(document, file)


def _newest_version(database_url: str) -> int:
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as connection:
            number: int = connection.execute(
                select(func.max(_VERSION.c.number)).where(_VERSION.c.dataset_name == DATASET)
            ).scalar_one()
            return number
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.stdout.write(json.dumps(reseed(Path(sys.argv[1]), sys.argv[2])) + "\n")
