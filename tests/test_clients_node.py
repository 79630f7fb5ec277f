"""Frontend clients against a real `eventql serve`: Apollo Client, urql Graphcache, persisted
queries, ETags and the GraphQL-over-HTTP audit (tests/node/clients), and graphql-codegen
types checked by tsc (tests/node/codegen). Needs Node.js and `npm ci` in tests/node."""

from __future__ import annotations

import pytest

from tests.node_runner import NODE_DIR, SEEDED, node_prerequisites, run_node_tests
from tests.server_process import serve

pytestmark = [pytest.mark.node, pytest.mark.slow]


def test_node_clients_work_against_the_server(database_url: str) -> None:
    node_prerequisites()
    tests = sorted(str(p.relative_to(NODE_DIR)) for p in NODE_DIR.glob("clients/*.test.mjs"))
    with serve(database_url, env=SEEDED) as server:
        run_node_tests(*tests, env={"EVENTQL_URL": server.base_url})


def test_codegen_types_from_the_committed_sdl_compile() -> None:
    node_prerequisites()
    run_node_tests("codegen/codegen.test.mjs")
