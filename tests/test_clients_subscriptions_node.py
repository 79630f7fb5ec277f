"""Apollo Client and urql subscribe to `datasetChanged` against a real `eventql serve`, over
WebSocket (graphql-transport-ws) and Server-Sent Events (graphql-sse), and each hears of a
reseed made while it listens (tests/node/subscriptions). Needs Node.js and `npm ci` in
tests/node.

The server runs on a database seeded from a copy of the bundled seed; the Node tests reseed
it by running `EVENTQL_RESEED` (tests.reseeding: edit the copy, `eventql seed` it, report the
version made and the counts the edit implies).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.node_runner import NODE_DIR, node_prerequisites, run_node_tests
from tests.reseeding import reseed_command, seeded_copy
from tests.server_process import serve

pytestmark = [pytest.mark.node, pytest.mark.slow]

KEEP_ALIVE = {"EVENTQL_KEEP_ALIVE_S": "0.5"}


def test_apollo_and_urql_hear_of_reseeds(database_url: str, tmp_path: Path) -> None:
    node_prerequisites()
    copy = seeded_copy(tmp_path, database_url)
    tests = sorted(str(p.relative_to(NODE_DIR)) for p in NODE_DIR.glob("subscriptions/*.test.mjs"))
    # Pings (WebSocket) and comment lines (SSE) every half second: the clients must take
    # them in their stride while they wait for events.
    with serve(database_url, env=KEEP_ALIVE) as server:
        run_node_tests(
            *tests,
            env={
                "EVENTQL_URL": server.base_url,
                "EVENTQL_RESEED": json.dumps(reseed_command(copy, database_url)),
            },
        )
