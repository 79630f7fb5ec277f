"""`/metrics`: Prometheus text format, parsed by prometheus_client's own parser; values change
with the requests, fast path decisions, database failures and reseeds they count.

Metrics are per process and tests share their worker process, so each test compares a scrape
before with one after."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from eventql.seed_watch import SeedWatcher
from gql.http import metrics as http_metrics
from tests.api_support import load, open_api, world
from tests.fault_support import serving

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
NAMED = "query Listing { events(first: 2) { nodes { slug } } }"


async def scrape(client: httpx.AsyncClient) -> Samples:
    """Every sample of `/metrics`, by name and labels."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, labels: Mapping[str, str] | None = None) -> float:
    """A sample's value; 0 when it is not there yet."""
    return samples.get((name, frozenset((labels or {}).items())), 0.0)


def labels_of(samples: Samples, name: str, label: str) -> set[str]:
    """The values `label` takes in the samples of `name`."""
    return {dict(labels)[label] for sample, labels in samples if sample == name}


async def test_a_named_operation_is_counted_and_timed(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    async with serving(sqlite_url) as client:
        before = await scrape(client)
        for _ in range(2):
            response = await client.post("/graphql", json={"query": NAMED})
            assert "errors" not in response.json()
        after = await scrape(client)
    ok = {"operation": "Listing", "outcome": "ok"}
    name = "eventql_graphql_requests_total"
    assert value(after, name, ok) - value(before, name, ok) == 2
    count = "eventql_graphql_request_duration_seconds_count"
    assert value(after, count, ok) - value(before, count, ok) == 2
    inf = {**ok, "le": "+Inf"}
    bucket = "eventql_graphql_request_duration_seconds_bucket"
    assert value(after, bucket, inf) - value(before, bucket, inf) == 2


async def test_an_unnamed_operation_takes_the_name_in_its_document(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    async with serving(sqlite_url) as client:
        before = await scrape(client)
        await client.post("/graphql", json={"query": NAMED})  # no operationName
        await client.post("/graphql", json={"query": "{ datasets { name } }"})
        after = await scrape(client)
    name = "eventql_graphql_requests_total"
    for operation in ("Listing", "(anonymous)"):
        labels = {"operation": operation, "outcome": "ok"}
        assert value(after, name, labels) - value(before, name, labels) == 1, operation


async def test_fast_path_answers_and_declines_are_counted_by_reason(
    sqlite_url: str, tmp_path: Path
) -> None:
    load(sqlite_url, tmp_path, world())
    async with serving(sqlite_url) as client:
        before = await scrape(client)
        await client.post("/graphql", json={"query": NAMED})
        # A nested connection's aggregates are not the fast path's: declined as unsupported,
        # answered by the general path.
        nested = "{ sources { nodes { events { aggregates { count } } } } }"
        await client.post("/graphql", json={"query": nested})
        await client.post("/graphql", json={"query": "{ events { nope } }"})
        after = await scrape(client)
    name = "eventql_fastpath_operations_total"
    for result, reason in [
        ("answered", ""),
        ("declined", "unsupported"),
        ("declined", "operation"),
    ]:
        labels = {"result": result, "reason": reason}
        assert value(after, name, labels) - value(before, name, labels) == 1, reason


async def test_errors_are_counted_by_code_and_outcome(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), fast_path=False) as api:
        before = await scrape(api.client)
        await api.post("query Broken { events { nope } }")
        after = await scrape(api.client)
    code = {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert (
        value(after, "eventql_graphql_errors_total", code)
        - value(before, "eventql_graphql_errors_total", code)
        == 1
    )
    # An operation that does not validate never gets a label of its own.
    refused = {"operation": "(invalid)", "outcome": "client_error"}
    name = "eventql_graphql_requests_total"
    assert value(after, name, refused) - value(before, name, refused) == 1
    assert "Broken" not in labels_of(after, name, "operation")


async def test_operation_names_are_bounded(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_metrics, "MAX_OPERATION_NAMES", 3)
    async with open_api(sqlite_url, tmp_path, world(), fast_path=False) as api:
        before = await scrape(api.client)
        for n in range(6):
            await api.data(f"query Op{n} {{ datasets {{ name }} }}")
        await api.client.post(
            "/graphql", json={"query": "{ datasets { name } }", "operationName": "x" * 300}
        )
        after = await scrape(api.client)
    names = labels_of(after, "eventql_graphql_requests_total", "operation")
    assert {"Op0", "Op1", "Op2"} <= names
    assert not {"Op3", "Op4", "Op5"} & names
    other = {"operation": "(other)", "outcome": "ok"}
    name = "eventql_graphql_requests_total"
    assert value(after, name, other) - value(before, name, other) == 3
    bad = {"operation": "(none)", "outcome": "client_error"}  # an unknown operation name
    assert value(after, name, bad) - value(before, name, bad) == 1


async def test_a_batch_is_counted_once(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), fast_path=False) as api:
        before = await scrape(api.client)
        await api.client.post("/graphql", json=[{"query": NAMED}, {"query": NAMED}])
        after = await scrape(api.client)
    labels = {"operation": "(batch)", "outcome": "ok"}
    name = "eventql_graphql_requests_total"
    assert value(after, name, labels) - value(before, name, labels) == 1


async def test_pool_use_is_reported(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    async with serving(sqlite_url, pool_size=7) as client:
        await client.post("/graphql", json={"query": NAMED})
        samples = await scrape(client)
    assert value(samples, "eventql_database_pool_size") == 7
    assert value(samples, "eventql_database_pool_in_use") == 0
    assert value(samples, "eventql_database_pool_idle") >= 1


async def test_database_failures_are_counted(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no such folder' / 'db.sqlite3'}"
    async with serving(missing) as client:
        before = await scrape(client)
        response = await client.post("/graphql", json={"query": NAMED})
        after = await scrape(client)
    assert response.status_code == 503
    kind = {"kind": "unavailable"}
    name = "eventql_database_errors_total"
    assert value(after, name, kind) - value(before, name, kind) == 1
    outcome = {"operation": "Listing", "outcome": "unavailable"}
    name = "eventql_graphql_requests_total"
    assert value(after, name, outcome) - value(before, name, outcome) == 1


async def test_reseeds_are_counted_and_timed(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    load(sqlite_url, folder, world())  # writes the seed file into `folder` and loads it
    async with serving(sqlite_url) as client:
        before = await scrape(client)
        watcher = SeedWatcher([folder], sqlite_url)
        assert watcher.reseed()  # the same files: unchanged
        (folder / "broken.json").write_text('{"dataset": ', encoding="utf-8")
        assert not watcher.reseed()
        after = await scrape(client)
    name = "eventql_reseeds_total"
    for outcome in ("unchanged", "failed"):
        labels = {"outcome": outcome}
        assert value(after, name, labels) - value(before, name, labels) == 1, outcome
    count = "eventql_reseed_duration_seconds_count"
    assert value(after, count) - value(before, count) == 2


async def test_metrics_can_be_turned_off(sqlite_url: str, tmp_path: Path) -> None:
    async with open_api(sqlite_url, tmp_path, world(), metrics=False) as api:
        response = await api.client.get("/metrics")
    assert response.status_code == 404
