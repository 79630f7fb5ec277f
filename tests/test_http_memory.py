"""Memory stays bounded however many distinct requests arrive: the caches hold at most
`max_cache_bytes`, and filters built from large variable values are not kept at all."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

from tests.api_support import bulk_world, load
from tests.server_process import serve

#: Aliases × conditions: the most filter conditions one request may hold by default.
ALIASES, CONDITIONS = 10, 100
QUERY = (
    "query($f: EventFilter) {"
    + " ".join(f"a{i}: events(filter: $f, first: 1) {{ nodes {{ slug }} }}" for i in range(ALIASES))
    + "}"
)


def _filter(salt: str) -> dict[str, object]:
    return {
        "or": [{"title": {"includesInsensitive": f"{salt} word {i}"}} for i in range(CONDITIONS)]
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_distinct_filters_do_not_grow_memory(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, bulk_world(50))
    env = {"EVENTQL_MAX_CACHE_BYTES": "4000000"}
    with serve(sqlite_url, env=env) as server, httpx.Client(base_url=server.base_url) as client:
        # Warm up: imports, the plan, the first of everything.
        for i in range(3):
            warm = client.post(
                "/graphql", json={"query": QUERY, "variables": {"f": _filter(f"w{i}")}}
            )
            assert warm.status_code == 200 and "errors" not in warm.json(), warm.text
        before = _rss_mb(server.pid)
        for i in range(30):
            response = client.post(
                "/graphql", json={"query": QUERY, "variables": {"f": _filter(f"s{i}")}}, timeout=60
            )
            assert response.status_code == 200 and "errors" not in response.json()
        growth = _rss_mb(server.pid) - before
    sys.stdout.write(f"\n30 distinct-filter requests: {growth:+.1f} MB resident\n")
    # Kept, each request's ten prepared filters took about 4 MB (120 MB for these 30).
    assert growth < 40
