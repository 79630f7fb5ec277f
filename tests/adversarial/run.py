"""Run the attacks of issue 17 and print what each did to the server.

    python -m tests.adversarial                                  # SQLite (a temporary file)
    python -m tests.adversarial --database postgresql://postgres@127.0.0.1:5432/test
    python -m tests.adversarial --attack totals --attack batch   # some attacks only

Each attack gets a fresh server over one seeded database (a new database on the PostgreSQL
server). Printed per attack: the requests' outcome and duration, the probe's p50/p99/max,
the server's memory before, after and at peak, busy PostgreSQL backends and server CPU after
the grace; then a table for the README. Exit status 1 if any attack broke a bound.
"""

from __future__ import annotations

import argparse
import time

from tests.adversarial.attacks import ATTACKS
from tests.adversarial.bounds import GRACE_S, RSS_BOUND_BYTES, STALL_BOUND_S
from tests.adversarial.harness import EVENTS, Report, run_attack, seeded


def table(reports: list[Report]) -> str:
    """A Markdown table of the figures, one row per attack and database."""
    rows = [
        "| attack | database | outcome | duration | probe p50 / p99 / max | peak RSS "
        "| busy backends after | holds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        q = r.query
        rss = "n/a" if r.rss_peak is None else f"{r.rss_peak / 2**20:.0f} MB"
        busy = str(len(r.busy)) if r.backend == "postgresql" else "—"
        rows.append(
            f"| {r.attack.name} | {r.backend} | {r.outcome} | {r.seconds:.1f} s "
            f"| {q.p(0.5) * 1000:.0f} / {q.p(0.99) * 1000:.0f} / {q.max * 1000:.0f} ms "
            f"| {rss} | {busy} | {'yes' if not r.problems() else 'NO'} |"
        )
    return "\n".join(rows)


def main() -> None:
    """Command line: seed, run the chosen attacks, print reports and the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--events", type=int, default=EVENTS, help=f"default {EVENTS:,}")
    parser.add_argument(
        "--attack",
        action="append",
        choices=[attack.name for attack in ATTACKS],
        help="run only this attack (repeatable)",
    )
    options = parser.parse_args()
    chosen = [a for a in ATTACKS if not options.attack or a.name in options.attack]
    reports = []
    started = time.monotonic()
    with seeded(options.database, options.events) as url:
        print(f"seeded {options.events:,} events in {time.monotonic() - started:.1f} s")  # noqa: T201
        for attack in chosen:
            report = run_attack(attack, url)
            print(report.render(), flush=True)  # noqa: T201
            reports.append(report)
    print(  # noqa: T201
        f"\nBounds: probe waits under {STALL_BOUND_S} s, server memory under "
        f"{RSS_BOUND_BYTES / 2**20:.0f} MB, nothing busy {GRACE_S:.0f} s after an attack.\n"
    )
    print(table(reports))  # noqa: T201
    raise SystemExit(1 if any(r.problems() for r in reports) else 0)
