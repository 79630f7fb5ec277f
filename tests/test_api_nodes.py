"""Identity: opaque global IDs, `node`/`nodes`, and lookups by slug."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.api_support import open_api, world

_KINDS = """{ event(slug: "almaty-riots") { id } actor(slug: "mvd") { id }
  statement(slug: "fm-terror") { id } figure(slug: "arrests-300") { id }
  source(slug: "report") { id } dataset(name: "testland") { id } }"""


async def test_node_fetches_every_kind_by_global_id(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        ids = {kind: value["id"] for kind, value in (await api.data(_KINDS)).items()}
        found = {}
        for kind, global_id in ids.items():
            data = await api.data(
                """query($id: ID!) { node(id: $id) { __typename id
                     ... on Record { slug } ... on Source { slug } ... on Dataset { name } } }""",
                {"id": global_id},
            )
            found[kind] = data["node"]
    assert {kind: node["__typename"] for kind, node in found.items()} == {
        "event": "Event",
        "actor": "Actor",
        "statement": "Statement",
        "figure": "Figure",
        "source": "Source",
        "dataset": "Dataset",
    }
    assert all(found[kind]["id"] == ids[kind] for kind in ids)
    assert found["figure"]["slug"] == "arrests-300"


async def test_global_ids_are_opaque_and_stable_across_reseeds(
    database_url: str, tmp_path: Path
) -> None:
    edited = world()  # every kind of record edited, one event added: the dataset is replaced
    edited["source"]["headline"] = "Riots in Almaty, revised"
    edited["events"][0]["title"] = "Riots in Almaty and beyond"
    edited["events"].append({**edited["events"][2], "id": "aktau-march", "title": "March"})
    edited["actors"][1]["name"] = "Ministry of Internal Affairs"
    edited["statements"][2]["text"] = "a hybrid attack"
    edited["figures"][1].update(value=310, raw="about 310 people")
    edited["dataset"]["title"] = "Testland, second edition"
    query = _KINDS.replace("{ id }", "{ id slug }", 4).replace(
        'event(slug: "almaty-riots") { id slug }', 'event(slug: "almaty-riots") { id title }'
    )
    async with open_api(database_url, tmp_path, world()) as api:
        first = await api.data(query)
    async with open_api(database_url, tmp_path, edited) as api:  # edited files, reseeded
        second = await api.data(query)
        count = await api.data("{ events(first: 0) { totalCount } }")
    assert (first["event"]["title"], second["event"]["title"]) == (
        "Riots in Almaty",
        "Riots in Almaty and beyond",
    )
    assert count == {"events": {"totalCount": 7}}
    assert {kind: value["id"] for kind, value in first.items()} == {
        kind: value["id"] for kind, value in second.items()
    }
    event_id = first["event"]["id"]
    assert "almaty" not in event_id and ":" not in event_id
    decoded = base64.urlsafe_b64decode(event_id + "=" * (-len(event_id) % 4)).decode()
    assert decoded.startswith("Event:")


async def test_nodes_keeps_order_and_nulls_for_missing(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        ids = await api.data(_KINDS)
        missing = base64.urlsafe_b64encode(b"Event:12345").decode().rstrip("=")
        data = await api.data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            {"ids": [ids["actor"]["id"], missing, ids["event"]["id"]]},
        )
    assert [n and n["__typename"] for n in data["nodes"]] == ["Actor", None, "Event"]


async def test_node_with_a_malformed_id_is_a_clear_error(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        result = await api.post('{ node(id: "not-an-id") { id } }')
    assert result["data"] == {"node": None}
    assert "is not a valid ID" in result["errors"][0]["message"]
    assert result["errors"][0]["extensions"] == {"code": "INVALID_ID"}


async def test_node_of_an_unknown_record_is_null(database_url: str, tmp_path: Path) -> None:
    missing = base64.urlsafe_b64encode(b"Figure:99").decode().rstrip("=")
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": missing})
    assert data == {"node": None}


async def test_slug_lookup_finds_records_and_nulls_unknown(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ found: event(slug: "aktau-protest") { title }
                 missing: event(slug: "no-such-event") { title } }"""
        )
    assert data == {"found": {"title": "Peaceful protest in Aktau"}, "missing": None}


async def test_slug_in_several_datasets_needs_the_dataset(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, world(), world("otherland")) as api:
        result = await api.post('{ event(slug: "almaty-riots") { slug } }')
        data = await api.data(
            '{ event(slug: "almaty-riots", dataset: "otherland") { dataset { name } } }'
        )
    assert (
        "several datasets (otherland, testland): pass `dataset`" in result["errors"][0]["message"]
    )
    assert result["errors"][0]["extensions"] == {"code": "AMBIGUOUS_SLUG"}
    assert data == {"event": {"dataset": {"name": "otherland"}}}


def _global_id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "text", [f"Event:{2**63}", f"Actor:{2**64 - 1}", "Event:١٢٣", "Event:-1", "Event:+5"]
)
async def test_node_with_a_key_out_of_range_is_an_invalid_id(
    database_url: str, tmp_path: Path, text: str
) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        single = await api.post(
            "query($id: ID!) { node(id: $id) { id } }", {"id": _global_id(text)}
        )
        many = await api.post(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [_global_id(text)]}
        )
    for result in (single, many):
        assert "is not a valid ID" in result["errors"][0]["message"], result
        assert result["errors"][0]["extensions"] == {"code": "INVALID_ID"}


async def test_node_with_the_largest_key_is_null(database_url: str, tmp_path: Path) -> None:
    largest = _global_id(f"Event:{2**63 - 1}")
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            "query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }",
            {"id": largest, "ids": [largest]},
        )
    assert data == {"node": None, "nodes": [None]}
