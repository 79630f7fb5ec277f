"""Relay pagination: keyset cursors forwards and backwards, ordering, totalCount, page limits."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.api_support import Api, bulk_world, open_api, world

_PAGE = """query($first: Int, $after: String, $last: Int, $before: String, $order: [EventOrder!]) {
  events(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    edges { cursor node { slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def _page(api: Api, **variables: Any) -> dict[str, Any]:
    data = await api.data(_PAGE, variables)
    page: dict[str, Any] = data["events"]
    return page


def _slugs(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["slug"] for edge in page["edges"]]


async def test_pages_forward_cover_every_event_once(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, bulk_world(45)) as api:
        seen: list[str] = []
        after = None
        pages = 0
        while True:
            page = await _page(api, first=10, after=after)
            seen += _slugs(page)
            pages += 1
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert pages == 5
    assert seen == [f"event-{i:04}" for i in range(45)]


async def test_pages_backward_from_the_end(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, bulk_world(25)) as api:
        last = await _page(api, last=10)
        before = await _page(api, last=10, before=last["pageInfo"]["startCursor"])
    assert _slugs(last) == [f"event-{i:04}" for i in range(15, 25)]
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    assert _slugs(before) == [f"event-{i:04}" for i in range(5, 15)]
    assert before["pageInfo"]["hasNextPage"] is True


async def test_cursors_are_stable_across_requests(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, bulk_world(12)) as api:
        first = await _page(api, first=5)
        again = await _page(api, first=5)
        middle = first["edges"][2]["cursor"]
        after_middle = await _page(api, first=2, after=middle)
    assert first == again
    assert _slugs(after_middle) == ["event-0003", "event-0004"]
    assert after_middle["pageInfo"]["hasPreviousPage"] is True


async def test_default_page_is_twenty(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, bulk_world(25)) as api:
        page = await _page(api)
    assert len(page["edges"]) == 20 and page["pageInfo"]["hasNextPage"] is True


async def test_first_zero_returns_only_the_count(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data("{ events(first: 0) { totalCount nodes { slug } } }")
    assert data == {"events": {"totalCount": 6, "nodes": []}}


async def test_order_by_fields_with_key_tiebreaker(database_url: str, tmp_path: Path) -> None:
    # bulk events come three to a day: the date ties, so the primary key decides within a day
    async with open_api(database_url, tmp_path, bulk_world(9, per_day=3)) as api:
        by_date = await _page(api, first=9, order=[{"field": "DATE", "direction": "DESC"}])
        by_title = await _page(api, first=9, order=[{"field": "TITLE", "direction": "DESC"}])
        rest = await _page(
            api,
            first=9,
            order=[{"field": "DATE", "direction": "DESC"}],
            after=by_date["edges"][3]["cursor"],
        )
    days = [_slugs(by_date)[i : i + 3] for i in (0, 3, 6)]
    assert [sorted(day) for day in days] == [
        ["event-0006", "event-0007", "event-0008"],
        ["event-0003", "event-0004", "event-0005"],
        ["event-0000", "event-0001", "event-0002"],
    ]
    assert _slugs(rest) == _slugs(by_date)[4:]
    assert _slugs(by_title) == [f"event-{i:04}" for i in range(8, -1, -1)]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_pages_backward_through_tied_sort_values(
    database_url: str, tmp_path: Path, direction: str
) -> None:
    # Four events a day: pages of three start and end inside a day, so `before` must break
    # the date's ties by the primary key exactly as the forward order does.
    order = [{"field": "DATE", "direction": direction}]
    async with open_api(database_url, tmp_path, bulk_world(12, per_day=4)) as api:
        whole = await _page(api, first=12, order=order)
        backward: list[str] = []
        page = await _page(api, last=3, order=order)
        while True:
            backward = _slugs(page) + backward
            if not page["pageInfo"]["hasPreviousPage"]:
                break
            page = await _page(api, last=3, before=page["pageInfo"]["startCursor"], order=order)
        # before the sixth event (the second of its day): the two before it
        inside_a_day = await _page(api, last=2, before=whole["edges"][5]["cursor"], order=order)
    forward = _slugs(whole)
    assert sorted(forward) == [f"event-{i:04}" for i in range(12)]
    assert backward == forward
    assert _slugs(inside_a_day) == forward[3:5]


async def test_nested_connections_page_per_parent(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        first = await api.data(
            '{ event(slug: "almaty-riots") { statements(first: 1) { nodes { slug } '
            "pageInfo { hasNextPage endCursor } } } }"
        )
        cursor = first["event"]["statements"]["pageInfo"]["endCursor"]
        second = await api.data(
            '{ event(slug: "almaty-riots") { statements(first: 1, after: "'
            + cursor
            + '") { nodes { slug } pageInfo { hasNextPage } } } }'
        )
    assert first["event"]["statements"]["nodes"] == [{"slug": "fm-terror"}]
    assert first["event"]["statements"]["pageInfo"]["hasNextPage"] is True
    assert second["event"]["statements"] == {
        "nodes": [{"slug": "mvd-arrests"}],
        "pageInfo": {"hasNextPage": False},
    }


async def test_total_count_runs_a_query_only_when_selected(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        await api.data("{ events(first: 1) { nodes { slug } } }")  # warm up the pool
        without = await api.count_statements("{ events(first: 1) { nodes { slug } } }")
        with_count = await api.count_statements(
            "{ events(first: 1) { totalCount nodes { slug } } }"
        )
    assert with_count == without + 1


async def test_page_size_over_the_limit_names_it(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        result = await api.post("{ events(first: 101) { nodes { slug } } }")
        nested = await api.errors(
            '{ event(slug: "almaty-riots") { figures(last: 500) { totalCount } } }'
        )
    message = result["errors"][0]["message"]
    assert "page size limit exceeded: `first` is 101" in message and "max_page_size" in message
    assert result["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED"}
    assert "`last` is 500" in nested[0]


async def test_first_and_last_together_is_an_error(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        errors = await api.errors("{ events(first: 2, last: 2) { totalCount } }")
    assert errors == ["pass either `first` or `last`, not both"]


async def test_foreign_or_broken_cursors_are_refused(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        page = await _page(api, first=1)
        cursor = page["pageInfo"]["endCursor"]
        other_order = await api.errors(
            "query($c: String) { events(after: $c, orderBy: [{ field: TITLE }]) { totalCount } }",
            {"c": cursor},
        )
        garbage = await api.errors('{ events(after: "%%%not-a-cursor") { totalCount } }')
    assert "belongs to another ordering" in other_order[0]
    assert garbage[0].startswith("invalid cursor")


def _forged(cursor: str, last_value: Any) -> str:
    """The cursor with its last sort value (the record key) replaced: what a client could send."""
    values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    values[-1] = last_value
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "key", [2**63, -(2**63) - 1, 2**64, 10**30, 1.5, "12", None], ids=lambda key: repr(key)
)
async def test_cursor_with_a_key_out_of_range_is_refused(
    database_url: str, tmp_path: Path, key: Any
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        cursor = (await _page(api, first=1))["pageInfo"]["endCursor"]
        result = await api.post(_PAGE, {"first": 2, "after": _forged(cursor, key)})
    assert result["errors"][0]["message"] == "invalid cursor: its values do not fit the ordering"
    assert result["errors"][0]["extensions"] == {"code": "INVALID_CURSOR"}


async def test_cursor_at_the_edge_of_the_key_range_is_accepted(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        cursor = (await _page(api, first=1))["pageInfo"]["endCursor"]
        # `_page` fails on any error: both cursors must give a page.
        after = await _page(api, first=2, after=_forged(cursor, 2**63 - 1))
        before = await _page(api, last=2, before=_forged(cursor, -(2**63)))
    assert isinstance(after["edges"], list) and isinstance(before["edges"], list)


async def test_cursor_with_nul_in_a_text_value_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    order = [{"field": "TITLE"}]
    async with open_api(database_url, tmp_path, world()) as api:
        cursor = (await _page(api, first=1, order=order))["pageInfo"]["endCursor"]
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values[1] = "Riots\x00"
        forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
        errors = await api.errors(_PAGE, {"first": 2, "after": forged, "order": order})
    assert errors == ["invalid cursor: its values do not fit the ordering"]
