"""Pooled PostgreSQL connections that died (a restart, an administrator) cost no request.

Connections are not pinged before each use (a round trip per request); instead a request's
first statement is retried once on a fresh connection when its pooled one turns out to be
dead. Terminating every server connection of the app between two requests proves it: the next
request answers with data, not DATABASE_UNAVAILABLE.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from tests.api_support import load, world
from tests.harness import app_client, make_app

QUERIES = [
    "{ events(first: 3) { nodes { slug participants { actor { name } } } } }",  # one statement
    "{ events(first: 3) { totalCount nodes { slug } } }",  # two, in one transaction
]


def _terminate_other_connections(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
    finally:
        engine.dispose()
    return int(killed or 0)


async def test_requests_after_connections_were_killed_get_data(
    postgres_url: str, tmp_path: Path
) -> None:
    load(postgres_url, tmp_path, world())
    async with app_client(make_app(postgres_url)) as client:
        for query in QUERIES:
            first = await client.post("/graphql", json={"query": query})
            assert first.status_code == 200 and "errors" not in first.json()
            assert _terminate_other_connections(postgres_url) >= 1
            again = await client.post("/graphql", json={"query": query})
            assert again.status_code == 200, again.text
            assert again.json() == first.json()
