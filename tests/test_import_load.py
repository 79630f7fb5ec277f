"""The real files imported into SQLite and PostgreSQL: counts, sums, IDs, idempotence, atomicity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from schema.core import ACTOR, DATASET, EVENT, FIGURE, SOURCE
from schema.db import create_sync_engine
from seeds.importers import import_gdelt, import_ucdp, load_imported
from seeds.issues import LoadError
from tests.harness import app_client, dataset_hashes, make_app
from tests.import_files import (
    GDELT_DATASET,
    GDELT_EVENTS,
    UCDP_BEST,
    UCDP_DATASET,
    UCDP_EVENTS,
    UCDP_FILE,
    UCDP_HIGH,
    UCDP_LOW,
    gdelt_lines,
    ucdp_records,
    write_csv,
)
from tests.import_files import loaded as loaded  # a module-scoped fixture


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A fresh, empty database."""
    engine = create_sync_engine(database_url)
    yield engine
    engine.dispose()


def _small_files(folder: Path, ucdp_rows: int) -> list[Path]:
    header, rows = ucdp_records(ucdp_rows)
    gdelt = folder / "20191024143000.export.CSV"
    gdelt.write_text("\n".join(gdelt_lines(50)) + "\n", encoding="utf-8")
    return [write_csv(folder / "ged191.csv", header, rows), gdelt]


def _count(engine: Engine, table: object, dataset: str) -> int:
    query = (
        select(func.count())
        .select_from(table)  # type: ignore[arg-type]
        .join(DATASET, DATASET.c.id == table.c.dataset_id)  # type: ignore[attr-defined]
        .where(DATASET.c.name == dataset)
    )
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_import_loads_every_row_of_both_files(loaded: Engine) -> None:
    assert _count(loaded, EVENT, UCDP_DATASET) == UCDP_EVENTS
    assert _count(loaded, EVENT, GDELT_DATASET) == GDELT_EVENTS


def test_ucdp_import_stores_the_files_own_sums(loaded: Engine) -> None:
    # plain SQL over the stored numbers, against the sums SOURCES.md gives for the file
    f = FIGURE.c
    query = (
        select(
            func.count(),
            func.sum(f.value),
            func.sum(func.coalesce(f.lower, f.value)),
            func.sum(func.coalesce(f.upper, f.value)),
        )
        .join(DATASET, DATASET.c.id == f.dataset_id)
        .where(DATASET.c.name == UCDP_DATASET, f.part_of_id.is_(None))
    )
    with loaded.connect() as connection:
        assert tuple(connection.execute(query).one()) == (
            UCDP_EVENTS,
            UCDP_BEST,
            UCDP_LOW,
            UCDP_HIGH,
        )


async def test_ucdp_import_totals_equal_the_files_own_sums(loaded: Engine) -> None:
    # the API's totals (parts of each event's total skipped) against the same constants
    query = """query($d: String!) { figures(filter: {dataset: {equalTo: $d}}) {
                 aggregates { totals { kind low best high figureCount skippedPartCount } } } }"""
    url = loaded.url.render_as_string(hide_password=False)
    async with app_client(make_app(url)) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"d": UCDP_DATASET}}
        )
    totals = response.json()["data"]["figures"]["aggregates"]["totals"]
    assert [(t["kind"], t["low"], t["best"], t["high"], t["figureCount"]) for t in totals] == [
        ("KILLED", UCDP_LOW, UCDP_BEST, UCDP_HIGH, UCDP_EVENTS)
    ]
    assert totals[0]["skippedPartCount"] > 0


def test_ucdp_import_breakdown_adds_up_to_best(loaded: Engine) -> None:
    part = FIGURE.alias("part")
    query = (
        select(FIGURE.c.value, func.sum(part.c.value))
        .join(part, part.c.part_of_id == FIGURE.c.id)
        .group_by(FIGURE.c.id, FIGURE.c.value)
    )
    with loaded.connect() as connection:
        pairs = connection.execute(query).all()
    assert len(pairs) == UCDP_EVENTS
    assert all(total == parts for total, parts in pairs)


@pytest.mark.parametrize("table", [EVENT, ACTOR], ids=["events", "actors"])
def test_import_external_ids_are_unique(loaded: Engine, table: object) -> None:
    column = table.c.external_id  # type: ignore[attr-defined]
    with loaded.connect() as connection:
        total, distinct = connection.execute(
            select(func.count(column), func.count(func.distinct(column)))
        ).one()
    assert total == distinct > 0


def test_import_deduplicates_sources_by_url(loaded: Engine) -> None:
    with loaded.connect() as connection:
        urls = connection.execute(
            select(SOURCE.c.url, func.count())
            .where(SOURCE.c.url.is_not(None))
            .group_by(SOURCE.c.url)
            .having(func.count() > 1)
        ).all()
    assert urls == []
    assert _count(loaded, SOURCE, GDELT_DATASET) == 426  # 425 article URLs and the export


def test_reimport_is_idempotent(loaded: Engine) -> None:
    before = dataset_hashes(loaded)
    load_imported([import_ucdp(UCDP_FILE)], engine=loaded)
    assert dataset_hashes(loaded) == before


def test_reimport_of_an_unchanged_file_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    ucdp, _ = _small_files(tmp_path, 20)
    first = load_imported([import_ucdp(ucdp)], engine=engine)
    again = load_imported([import_ucdp(ucdp)], engine=engine)
    assert [d.change for d in first.datasets] == ["new"]
    assert [d.change for d in again.datasets] == ["unchanged"]
    assert again.rows_written == 0


def test_reimport_replaces_the_dataset_as_a_whole(engine: Engine, tmp_path: Path) -> None:
    ucdp, gdelt = _small_files(tmp_path, 100)
    load_imported([import_ucdp(ucdp), import_gdelt(gdelt)], engine=engine)
    header, rows = ucdp_records(40)
    load_imported([import_ucdp(write_csv(ucdp, header, rows))], engine=engine)
    assert _count(engine, EVENT, UCDP_DATASET) == 40
    assert _count(engine, EVENT, GDELT_DATASET) == 50


def test_import_with_errors_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    ucdp, gdelt = _small_files(tmp_path, 100)
    load_imported([import_ucdp(ucdp), import_gdelt(gdelt)], engine=engine)
    before = dataset_hashes(engine)
    header, rows = ucdp_records(100)
    rows[50][header.index("latitude")] = "91.5"
    write_csv(ucdp, header, rows)
    with pytest.raises(LoadError) as raised:
        load_imported([import_ucdp(ucdp)], engine=engine)
    assert [issue.field for issue in raised.value.issues] == ["column latitude"]
    assert dataset_hashes(engine) == before
