"""The attacks of issue 17: the hostile documents, and how each is sent.

The document builders are shared with the fuzz corpus (`tests/test_fuzz.py`), which sends
them, with other sizes, to a small database; here they run against generated data large
enough for the work to matter (`tests.adversarial.harness.EVENTS`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.adversarial.bounds import GRACE_S, GROWTH_BOUND_BYTES, RSS_BOUND_BYTES
from tests.adversarial.measure import rss_bytes
from tests.adversarial.session import Session

__all__ = [
    "ATTACKS",
    "Attack",
    "distinct_filters",
    "filter_amplification",
    "fragment_chain",
    "heavy_batch",
    "heavy_export_filter",
    "nested_filter",
    "nested_searches",
    "totals_aliases",
]


def fragment_chain(levels: int) -> str:
    """`{ ...F0 }` where F0 spreads F1 twice, F1 spreads F2 twice, ... down to F<levels>.

    About 50 bytes a level; expanded naively, it selects `__typename` 2^levels times.
    """
    fragments = [
        f"fragment F{i} on Query {{ __typename ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on Query {{ __typename }}")
    return "{ ...F0 } " + " ".join(fragments)


def totals_aliases(aliases: int = 3) -> str:
    """Aliases of figure totals by claimant, each total with up to 100 figures.

    A page of one figure, but the totals are a list without `first`: one per kind and
    claimant (thousands on generated data), each with its figures.
    """
    field_ = (
        "figures(first: 1) { aggregates { totals(byClaimant: true) "
        "{ kind figures(first: 100) { raw } } } }"
    )
    return "{ " + " ".join(f"a{i}: {field_}" for i in range(aliases)) + " }"


def filter_amplification(aliases: int = 50, conditions: int = 200) -> dict[str, Any]:
    """`aliases` event connections filtered by one variable: an `or` of `conditions`
    case-insensitive title searches (about 14 KB at the defaults)."""
    selections = " ".join(
        f"a{i}: events(filter: $f, first: 1) {{ totalCount }}" for i in range(aliases)
    )
    words = [{"title": {"includesInsensitive": f"word{n}"}} for n in range(conditions)]
    return {
        "query": f"query Amplified($f: EventFilter) {{ {selections} }}",
        "variables": {"f": {"or": words}},
    }


def distinct_filters(request: int, *, aliases: int = 50, conditions: int = 20) -> dict[str, Any]:
    """A ~9 KB request whose document and filter values differ from every other request's.

    Within the default limits (50 aliases x 20 conditions = 1,000), and cheap for the
    database (the first condition matches most events). What it costs is whatever the server
    keeps of it afterwards: parsed documents, plans, converted and compiled filters.
    """
    selections = " ".join(
        f"r{request}a{i}: events(filter: $f, first: 1) {{ nodes {{ title }} }}"
        for i in range(aliases)
    )
    pad = "x" * 200
    words = [{"title": {"includesInsensitive": " in "}}] + [
        {"title": {"includesInsensitive": f"r{request}-c{n}-{pad}"}} for n in range(1, conditions)
    ]
    return {
        "query": f"query Distinct{request}($f: EventFilter) {{ {selections} }}",
        "variables": {"f": {"or": words}},
    }


#: One operation of the batch: aggregates over all events and figures, twice filtered.
HEAVY_AGGREGATES = """{
  a: events(filter: {participant: {actor: {name: {includesInsensitive: "o"}}}}) {
    aggregates { count byType { type count } bySubType { subType count }
      byActor(first: 100) { count actor { name } } timeline(interval: DAY) { count } } }
  b: events(filter: {description: {includesInsensitive: "people"}}) {
    aggregates { count byActor(first: 100) { count } timeline(interval: WEEK) { count } } }
  figures { aggregates { count byKind { kind count }
    totals(byClaimant: true) { kind best figures(first: 5) { raw } } } }
}"""


def heavy_batch(operations: int = 10) -> list[dict[str, Any]]:
    """A batch (a JSON array body) of heavy aggregate operations."""
    return [{"query": HEAVY_AGGREGATES} for _ in range(operations)]


def nested_searches(chains: int = 120, per_chain: int = 1) -> dict[str, Any]:
    """An event filter that makes the database work: an `or` of `chains` searches four
    relations deep (event → actor → event → actor → event description), each an `or` of
    `per_chain` words, none of which matches.

    Each chain is four relation keys. The default, 120 chains of one word (10 KB as JSON), is
    within the condition limit but over the relation limit (480 relation keys against
    `max_filter_relations`, 100), which refuses it. 25 chains of 15 words (19 KB, 375
    conditions, 100 relation keys) is the heaviest of its kind the default limits let through:
    on 20,000 events one download of it takes SQLite about 1.6 s and PostgreSQL about 4 s,
    nearly all of it in the database (compiling its SQL takes 0.14 s).
    """
    searches = []
    for chain in range(chains):
        words = [
            {"description": {"includesInsensitive": f"zq{chain}" + (f"x{i}" if i else "")}}
            for i in range(per_chain)
        ]
        search: dict[str, Any] = words[0] if per_chain == 1 else {"or": words}
        for relation in ("event", "actor", "event", "actor"):
            search = {relation: search}
        searches.append(search)
    return {"or": searches}


def nested_filter(chains: int = 120) -> dict[str, Any]:
    """A page of one event under `nested_searches`, as a GraphQL request."""
    return {
        "query": "query Nested($f: EventFilter) { events(filter: $f, first: 1) "
        "{ nodes { title } } }",
        "variables": {"f": nested_searches(chains)},
    }


def heavy_export_filter(chains: int = 120, per_chain: int = 1) -> str:
    """`nested_searches` as a download's `filter` parameter (JSON)."""
    return json.dumps(nested_searches(chains, per_chain), separators=(",", ":"))


@dataclass(frozen=True)
class Attack:
    """An attack: its name, what it sends, and the server settings it runs against."""

    name: str
    summary: str
    send: Callable[[Session], None]
    #: Server settings for this attack on top of the harness's (`EVENTQL_*`).
    env: Mapping[str, str] = field(default_factory=dict)
    #: Requests sent once the harness has checked that no work outlived the attack.
    follow_up: Callable[[Session], None] | None = None
    #: How much the server's resident memory may grow from before the attack to after it.
    max_growth_bytes: int | None = None


def _fragments(levels: int) -> Callable[[Session], None]:
    def send(session: Session) -> None:
        body = {"query": fragment_chain(levels)}
        for get in (False, True):
            session.graphql(f"{levels} levels, {'GET' if get else 'POST'}", body, get=get)
            if session.stuck:
                return

    return send


def _totals(session: Session) -> None:
    session.graphql("3 aliases of totals", {"query": totals_aliases(3)})


#: Clients sending the amplified filter at once.
AMPLIFYING_CLIENTS = 8


def _amplification(session: Session) -> None:
    body = filter_amplification()
    with ThreadPoolExecutor(AMPLIFYING_CLIENTS) as pool:
        for i in range(AMPLIFYING_CLIENTS):
            pool.submit(session.graphql, f"client {i}", body)


#: Requests of the memory attack; it stops early once the server is over its memory bound.
DISTINCT_REQUESTS = 24


def _distinct(session: Session) -> None:
    for request in range(DISTINCT_REQUESTS):
        session.graphql(f"request {request}", distinct_filters(request))
        rss = rss_bytes(session.server.pid)
        if session.stuck or (rss is not None and rss > RSS_BOUND_BYTES):
            return


#: Clients sending the nested filter at once.
NESTING_CLIENTS = 2


def _nested(session: Session) -> None:
    body = nested_filter()
    with ThreadPoolExecutor(NESTING_CLIENTS) as pool:
        for i in range(NESTING_CLIENTS):
            pool.submit(session.graphql, f"client {i}", body)


def _batch(session: Session) -> None:
    session.graphql("batch of 10", heavy_batch(10))


#: Downloads opened at once and hung up on.
ABANDONED_DOWNLOADS = 8
ABANDON_AFTER_S = 2.0


def _abandon_exports(session: Session) -> None:
    # The heaviest such filter the default limits let through: what any client may send.
    path = "/export/events.csv?" + urlencode({"filter": heavy_export_filter(25, per_chain=15)})
    with ThreadPoolExecutor(ABANDONED_DOWNLOADS) as pool:
        for i in range(ABANDONED_DOWNLOADS):
            pool.submit(session.abandon_download, f"download {i}", path, ABANDON_AFTER_S)


def _export_after(session: Session) -> None:
    # Every slot of the download limit must be free again once the others hung up: a slot
    # is given back when its download's thread has stopped, within the grace period.
    params = {"filter": '{"slug": {"equalTo": "e1"}}'}
    free_by = time.monotonic() + GRACE_S
    while session.downloads_busy() and time.monotonic() < free_by:
        time.sleep(0.2)
    session.download("a small download afterwards", "/export/events.csv", params)


#: The attacks, in the order of the issue.
ATTACKS: tuple[Attack, ...] = (
    Attack(
        "fragments-20",
        "fragment chain, 20 levels (1 KB), POST then GET",
        _fragments(20),
    ),
    Attack(
        "fragments-60",
        "fragment chain, 60 levels (3 KB), POST then GET",
        _fragments(60),
    ),
    Attack(
        "totals",
        "3 aliases of totals(byClaimant) with figures(first: 100) (300 bytes)",
        _totals,
        # Short, so that on 20,000 events the query is cut while thousands of loads are
        # pending: the cancellation the issue saw hang the server for 13 minutes.
        env={"EVENTQL_REQUEST_TIMEOUT_S": "2"},
    ),
    Attack(
        "filter-amplification",
        f"50 aliases x a 200-condition filter (14 KB) from {AMPLIFYING_CLIENTS} clients",
        _amplification,
    ),
    Attack(
        "distinct-filters",
        f"{DISTINCT_REQUESTS} requests of 9 KB, each with new documents and filter values",
        _distinct,
        # The smallest cache bound there is: whatever the caches keep, they keep 1 MB of it
        # by their own estimate, so the server must not grow by much more.
        env={"EVENTQL_MAX_CACHE_BYTES": "1000000"},
        max_growth_bytes=GROWTH_BOUND_BYTES,
    ),
    Attack("batch", "a batch of 10 heavy aggregate operations", _batch),
    Attack(
        "nested-filter",
        f"120 searches 4 relations deep in one filter (10 KB) from {NESTING_CLIENTS} clients",
        # Refused by the default relation limit (480 relation keys, `max_filter_relations`
        # 100) before any work: with the limit raised to let it run, compiling its SQL held
        # SQLite's server for seconds and a probe waited 3.4 s (CI, 2026-12-01).
        _nested,
    ),
    Attack(
        "abandoned-exports",
        f"{ABANDONED_DOWNLOADS} heavy CSV downloads hung up on after {ABANDON_AFTER_S:.0f} s",
        _abandon_exports,
        follow_up=_export_after,
        # At the default limits. With the relation limit raised for 480 relation keys, the
        # downloads spent seconds compiling their SQL (Python, which no cancel interrupts)
        # and on CI, four at once, outlived their requests by over 10 s (2026-12-01).
    ),
)
