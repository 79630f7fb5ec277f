"""Every record type, field group and relation, both ways, through HTTP on both databases."""

from __future__ import annotations

from pathlib import Path

from tests.api_support import open_api, world


async def test_event_fields_date_location_and_provenance(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ event(slug: "almaty-riots") {
                 slug title type subType description codes externalId startDate endDate
                 date { start end precision note }
                 location { countryCode country admin1 place latitude longitude
                            coordinatePrecision }
                 dataset { name } source { slug headline }
                 evidence { text start end } } }"""
        )
    event = data["event"]
    assert event["type"] == "RIOTS" and event["subType"] == "VIOLENT_DEMONSTRATION"
    assert event["date"] == {
        "start": "2022-01-04",
        "end": "2022-01-08",
        "precision": "DAY",
        "note": None,
    }
    assert (event["startDate"], event["endDate"]) == ("2022-01-04", "2022-01-08")
    assert event["location"]["admin1"] == "Almaty"
    assert event["location"]["country"] == "Kazakhstan"
    assert event["location"]["coordinatePrecision"] == "SETTLEMENT"
    assert event["dataset"] == {"name": "testland"}
    assert event["source"]["slug"] == "report"
    assert event["evidence"]["text"].startswith("Riots broke out")
    assert event["evidence"]["start"] == 0


async def test_event_participants_with_roles(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ event(slug: "almaty-riots") {
                 participants { role note actor { slug } event { slug } } } }"""
        )
    parts = data["event"]["participants"]
    assert [(p["actor"]["slug"], p["role"]) for p in parts] == [
        ("police", "RESPONDER"),
        ("protesters", "PARTICIPANT"),
    ]
    assert parts[0]["note"] == "tear gas"
    assert {p["event"]["slug"] for p in parts} == {"almaty-riots"}


async def test_event_figures_and_statements_about_it(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ event(slug: "almaty-riots") {
                 figures { totalCount nodes { slug } }
                 statements { totalCount nodes { slug } } } }"""
        )
    event = data["event"]
    assert [f["slug"] for f in event["figures"]["nodes"]] == ["killed-unknown", "arrests-5100"]
    assert event["figures"]["totalCount"] == 2
    assert [s["slug"] for s in event["statements"]["nodes"]] == ["fm-terror", "mvd-arrests"]


async def test_event_links_both_directions(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ protest: event(slug: "almaty-protest") {
                   links { kind event { slug } target { slug } } }
                 riots: event(slug: "almaty-riots") {
                   linkedFrom { totalCount nodes { kind event { slug } } }
                   parts: linkedFrom(filter: { kind: { equalTo: PART_OF } }) {
                     nodes { event { slug } } } } }"""
        )
    assert data["protest"]["links"] == [
        {"kind": "PART_OF", "event": {"slug": "almaty-protest"}, "target": {"slug": "almaty-riots"}}
    ]
    incoming = data["riots"]["linkedFrom"]
    assert incoming["totalCount"] == 2
    assert [(n["kind"], n["event"]["slug"]) for n in incoming["nodes"]] == [
        ("PART_OF", "almaty-protest"),
        ("RESPONSE_TO", "cabinet-dismissal"),
    ]
    assert data["riots"]["parts"]["nodes"] == [{"event": {"slug": "almaty-protest"}}]


async def test_actor_parent_and_children(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ minister: actor(slug: "minister") {
                   name title kind aliases parent { slug parent { slug } } }
                 kz: actor(slug: "kz") { children { totalCount nodes { slug } } } }"""
        )
    minister = data["minister"]
    assert minister["title"] == "Interior Minister" and minister["kind"] == "PERSON"
    assert minister["parent"] == {"slug": "mvd", "parent": {"slug": "kz"}}
    children = data["kz"]["children"]
    assert [c["slug"] for c in children["nodes"]] == ["fm", "mvd", "police"]
    assert children["totalCount"] == 3


async def test_actor_events_in_date_order_with_roles(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ actor(slug: "police") {
                 participations { nodes { role event { slug } } }
                 responder: participations(filter: { role: { equalTo: RESPONDER } }) {
                   totalCount } } }"""
        )
    actor = data["actor"]
    assert [(p["event"]["slug"], p["role"]) for p in actor["participations"]["nodes"]] == [
        ("almaty-riots", "RESPONDER"),
        ("border-arrests", "PERPETRATOR"),
    ]
    assert actor["responder"]["totalCount"] == 1


async def test_actor_statements_made_and_about(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ fm: actor(slug: "fm") { statements { nodes { slug } } }
                 kz: actor(slug: "kz") { statementsAbout { nodes { slug speaker { slug } } } } }"""
        )
    assert data["fm"]["statements"]["nodes"] == [{"slug": "fm-terror"}]
    assert data["kz"]["statementsAbout"]["nodes"] == [
        {"slug": "fm-terror", "speaker": {"slug": "fm"}}
    ]


async def test_actor_figures_reported_and_counted(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ mvd: actor(slug: "mvd") { reportedFigures { nodes { slug } } }
                 crowd: actor(slug: "protesters") { countedIn { nodes { slug } } } }"""
        )
    assert data["mvd"]["reportedFigures"]["nodes"] == [{"slug": "arrests-5100"}]
    assert data["crowd"]["countedIn"]["nodes"] == [{"slug": "demonstrators-5000"}]


async def test_statement_fields_and_relations(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ statement(slug: "fm-terror") {
                 kind mode directQuote text speakerTitle
                 date { start end precision }
                 speaker { slug }
                 aboutEvents { slug } aboutActors { slug } figures { slug } }
                 claim: statement(slug: "mvd-arrests") { directQuote figures { slug }
                   evidence { text } } }"""
        )
    statement = data["statement"]
    assert (statement["kind"], statement["mode"], statement["directQuote"]) == (
        "CHARACTERIZATION",
        "QUOTE",
        True,
    )
    assert statement["date"] == {"start": "2022-01-08", "end": "2022-01-10", "precision": "RANGE"}
    assert [e["slug"] for e in statement["aboutEvents"]] == ["almaty-protest", "almaty-riots"]
    assert statement["aboutActors"] == [{"slug": "kz"}]
    assert data["claim"]["directQuote"] is False
    assert data["claim"]["figures"] == [{"slug": "arrests-5100"}]
    assert data["claim"]["evidence"]["text"].startswith("The Ministry of Interior")


async def test_figure_fields_and_relations(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ part: figure(slug: "arrests-300") {
                   kind unit status value qualifier raw
                   event { slug } claimant { slug } statement { slug }
                   partOf { slug parts { slug } } }
                 crowd: figure(slug: "demonstrators-5000") {
                   attribution countedActor { slug } asOf { start } }
                 whole: figure(slug: "arrests-5100") { asOf { start end precision } } }"""
        )
    part = data["part"]
    assert (part["kind"], part["unit"], part["status"], part["qualifier"]) == (
        "ARRESTED",
        "people",
        "VALUE",
        "ABOUT",
    )
    assert part["event"] == {"slug": "border-arrests"}
    assert part["claimant"] == {"slug": "minister"}
    assert part["statement"] == {"slug": "minister-borders"}
    assert part["partOf"] == {"slug": "arrests-5100", "parts": [{"slug": "arrests-300"}]}
    assert data["crowd"] == {
        "attribution": "estimates suggest",
        "countedActor": {"slug": "protesters"},
        "asOf": None,
    }
    assert data["whole"]["asOf"] == {"start": "2022-01-09", "end": "2022-01-09", "precision": "DAY"}


async def test_figure_low_best_high_readings(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ figures(first: 10, orderBy: [{ field: SLUG }]) {
                 nodes { slug low best high } } }"""
        )
    readings = {n["slug"]: (n["low"], n["best"], n["high"]) for n in data["figures"]["nodes"]}
    assert readings == {
        "arrests-300": (300, 300, 300),
        "arrests-5100": (5100, 5100, None),
        "demonstrators-5000": (5000, 5000, None),
        "demonstrators-thousands": (None, None, None),
        "detained-range": (100, 100, 200),
        "killed-unknown": (None, None, None),
    }


async def test_source_and_everything_derived_from_it(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world()) as api:
        data = await api.data(
            """{ source(slug: "report") {
                 headline outlet language text published { start precision note }
                 dataset { name }
                 events { totalCount } actors { totalCount }
                 statements { totalCount } figures { totalCount } } }"""
        )
    source = data["source"]
    assert source["outlet"] == "Test Wire" and source["language"] == "en"
    assert source["published"] == {
        "start": "2022-01-10",
        "precision": "DAY",
        "note": "inferred from weekdays",
    }
    assert source["dataset"] == {"name": "testland"}
    counts = [source[k]["totalCount"] for k in ("events", "actors", "statements", "figures")]
    assert counts == [6, 7, 3, 6]


async def test_datasets_listing_with_their_records(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, world(), world("otherland")) as api:
        data = await api.data(
            """{ datasets { name title contentHash sources { nodes { slug } }
                            events(first: 1) { totalCount } }
                 dataset(name: "otherland") { name } missing: dataset(name: "nope") { name } }"""
        )
    names = [d["name"] for d in data["datasets"]]
    assert names == ["otherland", "testland"]
    assert all(len(d["contentHash"]) > 10 for d in data["datasets"])
    assert data["datasets"][0]["sources"]["nodes"] == [{"slug": "report"}]
    assert data["datasets"][1]["events"]["totalCount"] == 6
    assert data["dataset"] == {"name": "otherland"}
    assert data["missing"] is None
