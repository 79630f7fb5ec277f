"""Benchmark: load the API benchmark's synthetic dataset, then reseed it; rows/s and peak RSS.

    python -m tests.benchmarks.seeding --events 1000000 --database postgresql
    python -m tests.benchmarks.seeding --events 100000 --database sqlite --workdir /tmp/seeding

Each load runs in a fresh process, so its peak RSS (`ru_maxrss`) is the load's alone: a first
load into a rebuilt database, then a reseed of an edited copy (the dataset's title changed, so
its content hash differs and every row is replaced). The seed files are generated once and
kept in the work folder (`bench-N.json`, `bench-N.edited.json`). The PostgreSQL database
`eventql_seeding` is created for the run and dropped after it. Prints the load average with
each figure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import orjson
from sqlalchemy import make_url, text

from schema.db import create_sync_engine
from tests.seed_helpers import large_seed, write_json

_DATABASE = "eventql_seeding"


def _files(folder: Path, events: int) -> tuple[Path, Path]:
    """The seed file and its edited copy, generated if not already in `folder`."""
    first = folder / f"bench-{events}.json"
    edited = folder / f"bench-{events}.edited.json"
    if not (first.exists() and edited.exists()):
        data = large_seed(events, varied=True)
        write_json(first, data)
        data["dataset"]["title"] += " (reseeded)"
        write_json(edited, data)
    return first, edited


def _admin(url: str, statement: str) -> None:
    engine = create_sync_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _load_in_this_process(path: str, url: str, rebuild: bool) -> None:
    """One load; prints a JSON line with its figures (run as a child process)."""
    from seeds import load_seeds

    engine = create_sync_engine(url)
    try:
        report = load_seeds([path], engine=engine, rebuild=rebuild)
    finally:
        engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "rows": report.rows_written,
        "seconds": report.seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        # CPU time of this process alone (not the database server's): a figure that a busy
        # machine changes less than the wall-clock time.
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }
    sys.stdout.write(json.dumps(figures) + "\n")


def _timed_load(path: Path, url: str, *, rebuild: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "tests.benchmarks.seeding", "--child", str(path), url]
    if rebuild:
        command.append("--rebuild")
    load_before = os.getloadavg()[0]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures: dict[str, float] = orjson.loads(output.splitlines()[-1])
    figures["load_average"] = max(load_before, os.getloadavg()[0])
    return figures


def main(argv: list[str] | None = None) -> None:
    """Generate the files (once), then time a first load and a reseed, each in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workdir", default="/tmp/eventql-seeding")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _load_in_this_process(args.child[0], args.child[1], args.rebuild)
        return
    folder = Path(args.workdir)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    first, edited = _files(folder, args.events)
    out = sys.stdout
    out.write(f"input: {args.events:,} events, {first.stat().st_size / 1e6:.0f} MB of JSON ")
    out.write(f"({time.perf_counter() - started:.0f} s to generate or find)\n")
    if args.database == "sqlite":
        database = folder / f"seeding-{args.events}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    else:
        _admin(args.postgres_url, f"DROP DATABASE IF EXISTS {_DATABASE}")
        _admin(args.postgres_url, f"CREATE DATABASE {_DATABASE}")
        url = make_url(args.postgres_url).set(database=_DATABASE).render_as_string(False)
    try:
        for label, path, rebuild in (("first load", first, True), ("reseed", edited, False)):
            f = _timed_load(path, url, rebuild=rebuild)
            out.write(
                f"{args.database} {label}: {f['rows']:,} rows in {f['seconds']:.1f} s "
                f"({f['rows'] / f['seconds']:,.0f} rows/s; Python CPU {f['cpu_s']:.1f} s), "
                f"peak RSS {f['peak_rss_mb']:,.0f} MB, "
                f"load average {f['load_average']:.2f}\n"
            )
            out.flush()
    finally:
        if args.database == "postgresql":
            _admin(args.postgres_url, f"DROP DATABASE IF EXISTS {_DATABASE}")


if __name__ == "__main__":
    main()
