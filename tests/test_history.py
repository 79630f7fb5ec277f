"""Dataset versions and record changes, asked for through GraphQL after real loads.

Each load that changes a dataset is a version; its record changes are exactly the edits made
to the files: compared with edits made here to a synthetic seed and to UCDP's GED 19.1 file
(rows with edited estimates and dates, rows removed, rows added), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import calendar
import copy
import csv
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from eventql.seed_watch import SeedWatcher
from gql.types.node import encode_id
from schema.db import create_sync_engine
from schema.history import NOTIFY_CHANNEL
from seeds import LoadError, load_seeds
from seeds.importers import import_ucdp, load_imported
from seeds.versions import History
from tests.harness import app_client, make_app
from tests.import_files import UCDP_FILE
from tests.seed_helpers import BAD, large_seed, write_json

VERSIONS = """{ datasetVersions(first: 100) { totalCount nodes {
  id sequence number datasetName loadKind added changed removed changesKept
  files { path sha256 } counts { kind count } } } }"""

CHANGES = """query ($id: ID!, $after: String) { node(id: $id) { ... on DatasetVersion {
  changes(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { change kind slug recordId fields { field old new } node { id } } } } } }"""

FEED = """query ($since: ChangesSince!, $kinds: [HistoryRecordKind!]) {
  changes(since: $since, kinds: $kinds, first: 100) { totalCount through { id sequence }
    nodes { change kind slug recordId fields { field old new } node { id } } } }"""


async def _ask(url: str, query: str, **variables: Any) -> dict[str, Any]:
    async with app_client(make_app(url)) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def _data(url: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await _ask(url, query, **variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def _versions(url: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = (await _data(url, VERSIONS))["datasetVersions"]["nodes"]
    return nodes


async def _changes(url: str, version: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record change of a version, page after page."""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await _data(url, CHANGES, id=version["id"], after=after))["node"]["changes"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def _by(changes: list[dict[str, Any]], change: str, kind: str) -> set[str]:
    return {c["slug"] for c in changes if c["change"] == change and c["kind"] == kind}


def _edited_seed() -> tuple[dict[str, Any], dict[str, Any]]:
    """A synthetic seed and a copy with known edits (see the test)."""
    seed = large_seed(100, dataset="edits")
    edited = copy.deepcopy(seed)
    figure = next(f for f in edited["figures"] if f["id"] == "f3")
    figure["value"], figure["raw"] = 225, "about 225 people"
    event = next(e for e in edited["events"] if e["id"] == "e2")
    event["date"] = {"start": "2020-01-01", "end": "2020-01-31", "precision": "month"}
    # e7 and e13 are named by no figure, statement or link.
    edited["events"] = [e for e in edited["events"] if e["id"] not in ("e7", "e13")]
    for n in (100, 101):
        added = copy.deepcopy(edited["events"][-1])
        added.update(id=f"e{n}", title=f"Protest number {n}", links=[])
        edited["events"].append(added)
    return seed, edited


async def test_a_reseed_lists_exactly_the_edits_made(
    database_url: str, tmp_path: Path, engine_for: Callable[[str], Engine]
) -> None:
    seed, edited = _edited_seed()
    first, second = _write(tmp_path, "first", seed), _write(tmp_path, "second", edited)
    engine = engine_for(database_url)
    load_seeds([first], engine=engine)
    e7 = (await _data(database_url, '{ event(slug: "e7") { id } }'))["event"]["id"]
    load_seeds([first], engine=engine)  # unchanged: no version
    load_seeds([second], engine=engine)

    newest, oldest = await _versions(database_url)
    assert (oldest["number"], newest["number"]) == (1, 2)
    counts = {c["kind"]: c["count"] for c in oldest["counts"]}
    assert oldest["added"] == sum(counts.values()) and oldest["changed"] == oldest["removed"] == 0
    digest = hashlib.sha256(second.read_bytes()).hexdigest()
    assert newest["files"] == [{"path": str(second), "sha256": digest}]
    assert newest["loadKind"] == "SEED" and newest["changesKept"]

    changes = await _changes(database_url, newest)
    assert _by(changes, "REMOVED", "EVENT") == {"e7", "e13"}
    assert _by(changes, "ADDED", "EVENT") == {"e100", "e101"}
    changed = {c["slug"]: c for c in changes if c["change"] == "CHANGED"}
    assert set(changed) == {"f3", "e2"}
    assert (newest["added"], newest["changed"], newest["removed"]) == (2, 2, 2)
    assert len(changes) == 6
    assert sorted(changed["f3"]["fields"], key=lambda f: f["field"]) == [
        {"field": "raw", "old": "about 103 people", "new": "about 225 people"},
        {"field": "value", "old": 103, "new": 225},
    ]
    date = {f["field"]: (f["old"], f["new"]) for f in changed["e2"]["fields"]}
    assert date["date.precision"] == ("day", "month")
    assert date["date.end"] == ("2020-01-03", "2020-01-31")
    removed = next(c for c in changes if c["slug"] == "e7")
    assert removed["node"] is None and removed["recordId"] == e7  # the tombstone
    assert changed["f3"]["node"] == {"id": changed["f3"]["recordId"]}


def _write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    (folder / name).mkdir()
    return write_json(folder / name / "edits.json", data)


@pytest.fixture
def engine_for() -> Iterator[Callable[[str], Engine]]:
    """Engines over a URL, disposed of when the test ends (no connection left to the GC)."""
    made: list[Engine] = []

    def make(url: str) -> Engine:
        made.append(create_sync_engine(url))
        return made[-1]

    yield make
    for engine in made:
        engine.dispose()


async def test_a_change_feed_nets_changes_per_record_since_a_version_or_a_time(
    database_url: str,
    tmp_path: Path,
    engine_for: Callable[[str], Engine],
) -> None:
    seed, edited = _edited_seed()
    again = copy.deepcopy(edited)
    figure = next(f for f in again["figures"] if f["id"] == "f3")
    figure["value"], figure["raw"] = 230, "about 230 people"
    again["events"] = [e for e in again["events"] if e["id"] != "e100"]
    engine = engine_for(database_url)
    for n, data in enumerate((seed, edited, again)):
        load_seeds([_write(tmp_path, f"v{n}", data)], engine=engine)
    newest, middle, oldest = await _versions(database_url)

    feed = (await _data(database_url, FEED, since={"version": oldest["id"]}))["changes"]
    assert feed["through"] == {"id": newest["id"], "sequence": newest["sequence"]}
    by_slug = {c["slug"]: c for c in feed["nodes"]}
    assert set(by_slug) == {"e7", "e13", "e100", "e101", "f3", "e2"}
    # Added then removed within the span: a tombstone, harmless to a client that never saw it.
    assert by_slug["e100"]["change"] == "REMOVED" and by_slug["e100"]["node"] is None
    assert by_slug["e101"]["change"] == "ADDED"
    value = next(f for f in by_slug["f3"]["fields"] if f["field"] == "value")
    assert (value["old"], value["new"]) == (103, 230)  # first old, last new

    since_middle = (await _data(database_url, FEED, since={"version": middle["id"]}))["changes"]
    assert {c["slug"]: c["change"] for c in since_middle["nodes"]} == {
        "f3": "CHANGED",
        "e100": "REMOVED",
    }
    figures_only = await _data(
        database_url, FEED, since={"time": "2000-01-01T00:00:00Z"}, kinds=["FIGURE"]
    )
    assert {c["kind"] for c in figures_only["changes"]["nodes"]} == {"FIGURE"}
    assert all(c["change"] == "ADDED" for c in figures_only["changes"]["nodes"])
    up_to_date = (await _data(database_url, FEED, since={"version": newest["id"]}))["changes"]
    assert up_to_date["nodes"] == [] and up_to_date["totalCount"] == 0


async def test_history_beyond_the_retention_is_an_error_that_says_how_far_back_it_goes(
    database_url: str,
    tmp_path: Path,
    engine_for: Callable[[str], Engine],
) -> None:
    seed, edited = _edited_seed()
    engine = engine_for(database_url)
    keep_one = History("seed", keep=1)
    for n, data in enumerate((seed, edited)):
        load_seeds([_write(tmp_path, f"v{n}", data)], engine=engine, history=keep_one)
    newest, oldest = await _versions(database_url)
    assert (oldest["changesKept"], newest["changesKept"]) == (False, True)
    assert oldest["added"] > 0  # the summary stays

    body = await _ask(database_url, FEED, since={"version": encode_id("DatasetVersion", 0)})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "HISTORY_UNAVAILABLE"
    assert (
        f"history holds versions {newest['sequence']} to {newest['sequence']}" in (error["message"])
    )
    assert "EVENTQL_HISTORY_KEEP" in error["message"]
    # The data itself is untouched by the pruning.
    events = await _data(database_url, "{ events { totalCount } }")
    assert events["events"]["totalCount"] == len(edited["events"])


@pytest.mark.parametrize(
    ("since", "code", "words"),
    [
        ({"version": encode_id("DatasetVersion", 999)}, "HISTORY_UNAVAILABLE", "no version 999"),
        ({"version": encode_id("Event", 1)}, "HISTORY_UNAVAILABLE", "DatasetVersion's `id`"),
        ({"version": "nonsense"}, "INVALID_ID", "not a valid ID"),
        ({"version": encode_id("DatasetVersion", 1), "time": "2020-01-01T00:00:00Z"}, None, "one"),
        ({}, None, "exactly one"),
    ],
)
async def test_a_bad_since_is_a_graphql_error(
    sqlite_url: str,
    tmp_path: Path,
    since: dict[str, Any],
    code: str | None,
    words: str,
    engine_for: Callable[[str], Engine],
) -> None:
    load_seeds([write_json(tmp_path / "s.json", large_seed(20))], engine=engine_for(sqlite_url))
    body = await _ask(sqlite_url, FEED, since=since)
    [error] = body["errors"]
    assert words in error["message"]
    if code is not None:
        assert error["extensions"]["code"] == code
        assert body["data"] is None


async def test_ged_releases_differ_by_exactly_the_rows_edited_removed_and_added(
    database_url: str,
    tmp_path: Path,
    engine_for: Callable[[str], Engine],
) -> None:
    with UCDP_FILE.open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    at = {name: i for i, name in enumerate(header)}
    first, pool = rows[:200], rows[200:203]
    edited = [list(row) for row in first]
    estimates = {}  # row id -> (old best, new best)
    uncertain = [row for row in edited[10:] if row[at["low"]] != row[at["high"]]]
    for row in uncertain[:3]:
        low, best, high = (int(row[at[c]]) for c in ("low", "best", "high"))
        new_best = high if best != high else low
        estimates[row[at["id"]]] = (best, new_best)
        row[at["best"]] = str(new_best)
    dated = next(row for row in edited[20:] if row[at["date_prec"]] == "1")
    month = dated[at["date_start"]][:8]  # "YYYY-MM-": the whole month, as UCDP gives it
    last = calendar.monthrange(int(month[:4]), int(month[5:7]))[1]
    dated[at["date_prec"]], dated[at["date_start"]] = "4", f"{month}01"
    dated[at["date_end"]] = f"{month}{last}"
    removed = {row[at["id"]] for row in edited[30:32]}
    edited = [row for row in edited if row[at["id"]] not in removed] + pool
    added = {row[at["id"]] for row in pool}

    engine = engine_for(database_url)
    for folder, data in (("first", first), ("second", edited)):
        path = tmp_path / folder / "ged191.csv"
        path.parent.mkdir()
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([header, *data])
        load_imported([import_ucdp(path, dataset="ged")], engine=engine)

    newest, _ = await _versions(database_url)
    assert newest["loadKind"] == "IMPORT"
    changes = await _changes(database_url, newest)
    event = {"removed": removed, "added": added, "dated": {dated[at["id"]]}}
    assert _by(changes, "REMOVED", "EVENT") == {f"ucdp-ged-{i}" for i in event["removed"]}
    assert _by(changes, "ADDED", "EVENT") == {f"ucdp-ged-{i}" for i in event["added"]}
    re_estimated = {f"ucdp-ged-{i}" for i in estimates}
    assert _by(changes, "CHANGED", "EVENT") == {f"ucdp-ged-{i}" for i in event["dated"]} | (
        re_estimated
    )
    for change in changes:  # an event keeps UCDP's columns in its `codes`: best among them
        if change["slug"] in re_estimated:
            [codes] = change["fields"]
            assert codes["field"] == "codes"
            assert {k for k, v in codes["new"].items() if codes["old"].get(k) != v} == {"best"}
    date = next(c for c in changes if c["slug"] == f"ucdp-ged-{dated[at['id']]}")
    fields = {f["field"]: (f["old"], f["new"]) for f in date["fields"]}
    assert fields["date.precision"] == ("day", "month")
    figures = {c["slug"]: c for c in changes if c["kind"] == "FIGURE"}
    for row_id, (old, new) in estimates.items():
        assert figures[f"ucdp-ged-{row_id}-killed"]["fields"] == [
            {"field": "value", "old": old, "new": new}
        ]
    edited_rows = removed | added | set(estimates)
    for change in changes:  # nothing else: every change is one of an edited row's records
        if change["kind"] in ("EVENT", "FIGURE"):
            assert change["slug"].split("-")[2] in edited_rows | event["dated"], change
    other = [c for c in changes if c["kind"] not in ("EVENT", "FIGURE")]
    assert all(c["change"] in ("ADDED", "REMOVED") for c in other), other


def test_a_watch_reseed_is_a_version_of_its_own_kind(
    sqlite_url: str, tmp_path: Path, engine_for: Callable[[str], Engine]
) -> None:
    seed, edited = _edited_seed()
    path = _write(tmp_path, "watched", seed)
    watcher = SeedWatcher([path.parent], sqlite_url)
    assert watcher.reseed()
    write_json(path, edited)
    assert watcher.reseed()
    assert watcher.reseed()  # unchanged files: no third version
    with engine_for(sqlite_url).connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT number, load_kind, changed FROM datasetversion ORDER BY id"
        ).all()
    assert [tuple(row) for row in rows] == [(1, "watch", 0), (2, "watch", 2)]


def test_postgresql_is_told_the_new_version_when_the_load_commits(
    postgres_url: str,
    tmp_path: Path,
    engine_for: Callable[[str], Engine],
) -> None:
    engine = engine_for(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        load_seeds([_write(tmp_path, "one", large_seed(20))], engine=engine)
        heard = [n.payload for n in listener.notifies(timeout=10, stop_after=1)]
        with pytest.raises(LoadError):  # a load that fails is not heard of
            load_seeds([BAD], engine=engine)
        unheard = [n.payload for n in listener.notifies(timeout=1, stop_after=1)]
    with engine.connect() as connection:
        newest = connection.exec_driver_sql("SELECT max(id) FROM datasetversion").scalar_one()
    assert heard == [str(newest)] and unheard == []
