"""Benchmark: how long after a reseed a subscriber hears of it, on SQLite and PostgreSQL.

    python -m tests.benchmarks.live_delivery --reseeds 20

Starts `eventql serve` on a fresh database of each kind, subscribes to `datasetChanged` over
graphql-transport-ws then reseeds one event's title `--reseeds`
times, one after another. For each version it prints two delays: from the version's row
(`createdAt`, written just before the load commits) to the event's arrival — an upper bound
on "after the commit" — and from the loader returning (after the commit; on PostgreSQL also
after the VACUUM the loader runs once committed) to the arrival. The promise is one second.
Both clocks are this machine's, so they compare directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import POSTGRES_URL
from tests.harness import scratch_postgres
from tests.live_support import Seeds, wait_for_subscribers, ws_connect
from tests.server_process import serve

_QUERY = "subscription { datasetChanged { number createdAt } }"


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'live.sqlite3'}"
    else:
        with scratch_postgres(POSTGRES_URL, prefix="eventql_live_bench") as url:
            yield url


def _measure(kind: str, reseeds: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as work, _database(kind, Path(work)) as url:
        (Path(work) / "seeds").mkdir()
        seeds = Seeds(url, Path(work) / "seeds")
        seeds.load("live")
        from_version: list[float] = []
        from_return: list[float] = []
        with serve(url) as server, ws_connect(server.base_url) as client:
            client.init()
            client.send({"id": "1", "type": "subscribe", "payload": {"query": _QUERY}})
            wait_for_subscribers(lambda path: httpx.get(server.base_url + path), 1)
            for _ in range(reseeds):
                seeds.reseed("live")
                returned = time.time()
                message = client.receive()
                arrived = time.time()
                created = dt.datetime.fromisoformat(
                    message["payload"]["data"]["datasetChanged"]["createdAt"]
                ).timestamp()
                from_version.append(arrived - created)
                from_return.append(max(arrived - returned, 0.0))
        return from_version, from_return


def _line(kind: str, label: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"{kind:10} {label:36} p50 {statistics.median(ms):6.0f} ms   max {ms[-1]:6.0f} ms   "
        f"({len(ms)} versions)"
    )


def main() -> None:
    """Measure and print the delivery delays."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseeds", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    arguments = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if arguments.database == "both" else [arguments.database]
    print(f"live delivery, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")  # noqa: T201
    for kind in kinds:
        from_version, from_return = _measure(kind, arguments.reseeds)
        print(_line(kind, "version row written -> event arrived", from_version))  # noqa: T201
        print(_line(kind, "loader returned -> event arrived", from_return))  # noqa: T201


if __name__ == "__main__":
    main()
