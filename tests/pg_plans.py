"""PostgreSQL plans of the statements the API sends: prepared, explained, and counted.

A statement captured from the driver (`%(name)s` placeholders and their values) is prepared
(`PREPARE`), then run under `EXPLAIN (ANALYZE, BUFFERS)` with `plan_cache_mode` set to
`force_custom_plan` (planned for the values) or `force_generic_plan` (what a prepared
statement may get after five executions on a connection). Compared are counts — rows the
scans read, buffers touched — never timings, so tests built on them cannot flake.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import event, make_url
from starlette.applications import Starlette

#: A statement as the driver got it: SQL text with `%(name)s` placeholders, and the values.
Statement = tuple[str, Any]


@contextmanager
def captured(app: Starlette) -> Iterator[list[Statement]]:
    """The statements `app` sends, with their parameters, as the driver gets them."""
    seen: list[Statement] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def numbered(statement: str, parameters: dict[str, Any]) -> tuple[str, list[Any]]:
    """psycopg's `%(name)s` placeholders as `$1, $2, ...` (for PREPARE), and the values."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    text = re.sub(r"%\((\w+)\)s", number, statement).replace("%%", "%")
    return text, [parameters[name] for name in names]


def explain_prepared(
    url: str, statement: Statement, mode: str, *, as_at_scale: bool = False, work_mem: str = ""
) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement prepared, under `plan_cache_mode`.

    With `as_at_scale`, sequential scans and hash and merge joins are off: a test's tables
    are small, and reading a few pages whole (or hashing them) is the cheapest plan there for
    almost any statement, which says nothing of the plans the same statement gets over
    100,000 rows, where an index is used wherever the statement lets one be. What is left to
    compare is whether a plan can use the index conditions its parameters allow. A small
    `work_mem` (e.g. "64kB") makes a test's sets as large, for hashing, as they are at scale.
    """
    text, values = numbered(*statement)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(sql.SQL("SET plan_cache_mode = {}").format(sql.Identifier(mode)))
        if as_at_scale:
            for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
                connection.execute(sql.SQL("SET {} = off").format(sql.Identifier(setting)))
        if work_mem:
            connection.execute(sql.SQL("SET work_mem = {}").format(sql.Literal(work_mem)))
            connection.execute("SET hash_mem_multiplier = 1")
        connection.execute(sql.SQL("PREPARE page AS ") + sql.SQL(text))
        arguments = sql.SQL(", ").join(sql.Literal(value) for value in values)
        execute = (
            sql.SQL("EXECUTE page ({})").format(arguments) if values else sql.SQL("EXECUTE page")
        )
        row = connection.execute(
            sql.SQL("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ") + execute
        ).fetchone()
    assert row is not None
    plan: dict[str, Any] = row[0][0]["Plan"]
    return plan


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The plan's nodes, the root first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def rows_read(plan: dict[str, Any]) -> int:
    """Rows the plan's scans read: those they returned and those their filters dropped."""
    return sum(
        (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
        * node.get("Actual Loops", 1)
        for node in nodes(plan)
        if "Scan" in node["Node Type"]
    )


def buffers(plan: dict[str, Any]) -> int:
    """Shared buffers the plan touched (found in the cache or read)."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))
