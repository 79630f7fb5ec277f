"""`eventql serve --workers N` serves as one server: what one worker learns, all know.

Two workers over PostgreSQL; every request on a new connection, so the kernel hands them to
either worker. The workers' own metrics (`/metrics` is answered by whichever worker accepts
the scrape) show that both answered.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import httpx

from tests.api_support import load, world
from tests.server_process import serve

QUERY = "query Shared { datasets { name } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()
EXTENSIONS = {"persistedQuery": {"version": 1, "sha256Hash": SHA}}
FETCHES = 20
_OK = re.compile(r'eventql_graphql_requests_total\{operation="Shared",outcome="ok"\} (\d+)')


def answered_by_scraped_worker(base_url: str) -> int:
    """How many `Shared` requests the worker that answers this scrape has answered."""
    found = _OK.search(httpx.get(f"{base_url}/metrics", timeout=30).text)
    return 0 if found is None else int(float(found.group(1)))


def test_a_persisted_query_registered_with_one_worker_runs_on_every_worker(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    with serve(postgres_url, args=["--workers", "2"]) as server:
        url = f"{server.base_url}/graphql"
        registered = httpx.post(url, json={"query": QUERY, "extensions": EXTENSIONS}, timeout=30)
        assert registered.json() == {"data": {"datasets": [{"name": "testland"}]}}
        answers = [
            httpx.post(url, json={"extensions": EXTENSIONS}, timeout=30) for _ in range(FETCHES)
        ]
        for answer in answers:
            assert answer.status_code == 200
            assert answer.json() == registered.json()
        # Both workers took part: some worker answered some but not all of the requests.
        counts: set[int] = set()
        deadline = time.monotonic() + 60
        while not any(0 < count < FETCHES + 1 for count in counts):
            assert time.monotonic() < deadline, f"one worker answered everything: {counts}"
            counts.add(answered_by_scraped_worker(server.base_url))
