"""Benchmark: load a synthetic seed file of N events and print how long each stage took.

    python -m tests.bench_seed --events 100000 --database-url sqlite:///bench.sqlite3
    python -m tests.bench_seed --events 100000 --database-url postgresql://postgres@127.0.0.1/bench

The database is rebuilt first (its data is lost). Then the input is reseeded twice: edited
(the dataset is deleted and rewritten), and unedited (its content hash matches: nothing is
written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from schema.db import create_sync_engine
from seeds import load_seeds, validate_seeds
from tests.seed_helpers import large_seed, write_json


def main(argv: list[str] | None = None) -> None:
    """Generate the input, then time validation alone, a first load and two reseeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    out = sys.stdout
    with tempfile.TemporaryDirectory() as folder:
        data = large_seed(args.events)
        path = write_json(Path(folder) / "bench.json", data)
        data["dataset"]["title"] += " (edited)"
        (Path(folder) / "edited").mkdir()
        edited = write_json(Path(folder) / "edited" / "bench.json", data)
        out.write(f"input: {args.events:,} events, {path.stat().st_size / 1e6:.1f} MB of JSON\n")
        started = time.perf_counter()
        validate_seeds([path])
        out.write(f"read + validate: {time.perf_counter() - started:.2f} s\n")
        engine = create_sync_engine(args.database_url)
        runs = (
            ("first load", path, True),
            ("reseed, changed", edited, False),
            ("reseed, unchanged", edited, False),
        )
        try:
            for label, source, rebuild in runs:
                report = load_seeds([source], engine=engine, rebuild=rebuild)
                rate = report.rows_written / report.seconds
                out.write(
                    f"{label}: {report.rows_written:,} rows written in {report.seconds:.2f} s "
                    f"({rate:,.0f} rows/s, all stages)\n"
                )
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
