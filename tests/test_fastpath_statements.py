"""The fast path issues one statement per field that loads data, whatever the page sizes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from gql.fastpath import FastPath
from gql.http.app import create_app
from gql.settings import Settings
from tests.api_support import bulk_world, load

NESTED = """query($n: Int!) {
  events(first: $n) {
    totalCount
    pageInfo { endCursor }
    nodes {
      title
      location { place }
      participants(first: 3) { role actor { name parent { name } } }
      figures(first: $n) {
        totalCount
        nodes { best claimant { name } partOf { slug } parts(first: 1) { slug } statement { slug } }
      }
      statements(first: $n) { nodes { text speaker { name } aboutEvents(first: 1) { slug } } }
      links(first: 2) { kind }
    }
  }
}"""


class Counted:
    """A fast-path app's client, counting SQL statements and fast-path answers."""

    def __init__(self, client: httpx.AsyncClient, fast_path: FastPath) -> None:
        self.client = client
        self.fast_path = fast_path
        self.statements = 0

    async def count(self, query: str, variables: dict[str, Any]) -> int:
        """Statements one request runs; it must succeed through the fast path."""
        before, served = self.statements, self.fast_path.served
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200 and "errors" not in response.json()
        assert self.fast_path.served == served + 1, "the general executor answered"
        return self.statements - before


@asynccontextmanager
async def counted(url: str, folder: Path, *seeds: dict[str, Any]) -> AsyncIterator[Counted]:
    """The app (fast path on) over a database holding `seeds`."""
    load(url, folder, *seeds)
    app = create_app(Settings(database_url=url, seed_on_empty=False, fast_path=True))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            fast_path = app.state.graphql.fast_path
            assert fast_path is not None
            api = Counted(client, fast_path)

            def count(*_args: Any) -> None:
                api.statements += 1

            engine = app.state.db.engine.sync_engine
            event.listen(engine, "before_cursor_execute", count)
            try:
                yield api
            finally:
                event.remove(engine, "before_cursor_execute", count)


async def test_fast_path_statement_count_is_the_same_for_5_and_100_records(
    database_url: str, tmp_path: Path
) -> None:
    async with counted(database_url, tmp_path, bulk_world(120)) as api:
        await api.count(NESTED, {"n": 1})  # warm up: connections and dialect set-up
        small = await api.count(NESTED, {"n": 5})
        large = await api.count(NESTED, {"n": 100})
    assert small == large
    assert large <= 15, large  # one statement per field that loads rows, not per record
