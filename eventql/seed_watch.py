"""`eventql serve --watch`: reseed when seed files change, keep the served data when they break.

For people editing seed files with the explorer open. A background thread of the `serve`
process watches the files (watchfiles; changes within its debounce window count as one), and
on every change runs the one seed loader: validate everything, then replace the datasets the
files define in one transaction. The server needs no signal: each request reads a snapshot
of committed data, so it shows the old records until the new ones are committed, then the new.

An invalid edit writes nothing; each problem is logged with its file, line, record and field
(`seeds.Issue`), and the served data stays as it was until the files are fixed. A deleted
file's dataset stays too: the loader replaces only datasets that the files define.

Each reseed is counted and timed for `/metrics` (`eventql_reseeds_total` by outcome: loaded,
unchanged, failed; `eventql_reseed_duration_seconds`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from watchfiles import Change, DefaultFilter, watch

from gql import metrics
from schema.db import SchemaMismatchError, create_sync_engine
from seeds import LoadError, load_seeds
from seeds.files import SEED_SUFFIXES
from seeds.versions import DEFAULT_KEEP, History

__all__ = ["SeedWatcher"]

logger = logging.getLogger("eventql.watch")


class _SeedFiles(DefaultFilter):
    """Changes to seed files only (not editor swap files, not the JSON Schema's neighbours)."""

    def __call__(self, change: Change, path: str) -> bool:
        return path.lower().endswith(SEED_SUFFIXES) and super().__call__(change, path)


class SeedWatcher:
    """Watches seed files in a daemon thread and reseeds `database_url` when they change."""

    def __init__(
        self, paths: Sequence[Path], database_url: str, *, history_keep: int = DEFAULT_KEEP
    ) -> None:
        self.paths = list(paths)
        self.database_url = database_url
        self.history = History("watch", keep=history_keep)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="eventql-watch", daemon=True)

    def start(self) -> None:
        """Load the files once, then reload them on every change, until `stop()`."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (a reseed under way finishes first)."""
        self._stop.set()
        self._thread.join(timeout=30)

    def reseed(self) -> bool:
        """Validate the files and replace their datasets; False (and logged) when they are bad."""
        started = time.perf_counter()
        outcome = "failed"
        try:
            outcome = self._reseed()
        finally:
            metrics.RESEED_SECONDS.observe(time.perf_counter() - started)
            metrics.RESEEDS.labels(outcome).inc()
        return outcome != "failed"

    def _reseed(self) -> str:
        engine = create_sync_engine(self.database_url)
        try:
            report = load_seeds(self.paths, engine=engine, history=self.history)
        except LoadError as error:
            logger.error(
                "seed files not loaded (%d problem%s); the served data stays as it was:",
                len(error.issues),
                "" if len(error.issues) == 1 else "s",
            )
            for issue in error.issues:
                logger.error("  %s", issue)
            return "failed"
        except (SchemaMismatchError, SQLAlchemyError) as error:
            logger.error("seed files not loaded; the served data stays as it was: %s", error)
            return "failed"
        finally:
            engine.dispose()
        logger.info(
            "reseeded %s: %d rows from %d files in %.1f s",
            ", ".join(d.name for d in report.datasets),
            report.row_count,
            len(report.files),
            report.seconds,
        )
        unchanged = all(dataset.change == "unchanged" for dataset in report.datasets)
        return "unchanged" if unchanged else "loaded"

    def _run(self) -> None:
        shown = ", ".join(str(path) for path in self.paths)
        logger.info("watching %s for seed file changes", shown)
        self.reseed()
        try:
            for changes in watch(
                *self.paths,
                watch_filter=_SeedFiles(),
                stop_event=self._stop,
                raise_interrupt=False,
            ):
                changed = sorted({Path(path).name for _, path in changes})
                logger.info("seed files changed (%s): validating and reseeding", ", ".join(changed))
                self.reseed()
        except Exception:  # the server keeps serving even if watching fails
            logger.exception("stopped watching %s", shown)
