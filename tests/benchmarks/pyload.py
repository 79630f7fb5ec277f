"""The Python load generator (used when `wrk` is not installed), run as its own process.

    python -m tests.benchmarks.pyload URL BODY_FILE SECONDS CONCURRENCY [TIMEOUT_S]

Prints one JSON line: requests, seconds, errors, non_2xx, p50_ms, p99_ms.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import httpx
import orjson


async def _load(
    url: str, body: bytes, seconds: float, concurrency: int, timeout: float
) -> dict[str, float]:
    latencies: list[float] = []
    errors = non_2xx = graphql_errors = 0
    headers = {"content-type": "application/json", "accept": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal errors, non_2xx, graphql_errors
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    response = await client.post(url, content=body, headers=headers)
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - sent)
                if response.status_code // 100 != 2:
                    non_2xx += 1
                if b'"errors":' in response.content:
                    graphql_errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(fraction: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "errors": errors,
        "non_2xx": non_2xx,
        "graphql_errors": graphql_errors,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
    }


def main() -> None:
    """Run the load described by the command line and print the JSON summary."""
    url, body_file, seconds, concurrency = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
    body = Path(body_file).read_bytes()
    result = asyncio.run(_load(url, body, float(seconds), int(concurrency), timeout))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
