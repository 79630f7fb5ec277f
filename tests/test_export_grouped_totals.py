"""`eventql export totals --group-by ...` and `/export/totals.csv?group_by=...`: figure totals
per group in the shape of UCDP's country-year tables, with the API's numbers."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from eventql.cli import app
from eventql.export_routes import export_routes
from gql.http.app import create_app
from gql.settings import Settings
from tests.harness import app_client, load_bundled

runner = CliRunner()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_grouped_totals_sum_to_the_reports_totals(database_url: str) -> None:
    load_bundled(database_url)
    result = runner.invoke(
        app,
        [
            "export",
            "totals",
            "--group-by",
            "country,claimant,month",
            "--database-url",
            database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert list(rows[0])[:4] == ["country", "claimant", "month", "spans_periods"]
    arrested = [row for row in rows if row["kind"] == "arrested"]
    # The Ministry's "more than 5,100" and the Minister's "about 300" are separate claims (by
    # claimant): each in its own row, the 300 not added into the 5,100.
    assert sorted((row["claimant"], row["best"], row["high"]) for row in arrested) == [
        ("kz-ministry-of-interior", "5100", ""),
        ("yerlan-turgumbayev", "300", "300"),
    ]
    by_country = runner.invoke(
        app, ["export", "totals", "--group-by", "country", "--database-url", database_url]
    )
    (kz,) = [row for row in _rows(by_country.stdout) if row["kind"] == "arrested"]
    assert (kz["country"], kz["best"], kz["skipped_parts"]) == ("KZ", "5100", "1")


def test_bad_group_keys_are_refused_with_the_keys_that_exist(database_url: str) -> None:
    load_bundled(database_url)
    for args, message in [
        (["totals", "--group-by", "role"], "group key 'role' does not apply to figures"),
        (["totals", "--group-by", "colour"], "unknown group key 'colour'"),
        (["totals"], "the totals format needs it"),
        (["csv", "--group-by", "country"], "the totals format needs it, and only it"),
    ]:
        result = runner.invoke(app, ["export", *args, "--database-url", database_url])
        assert result.exit_code == 2, (args, result.output)
        assert message in " ".join(result.output.split()), result.output


async def test_the_totals_download_over_http(database_url: str) -> None:
    load_bundled(database_url)
    settings = Settings(database_url=database_url, seed_on_empty=False)
    async with app_client(create_app(settings, routes=export_routes(settings))) as client:
        ok = await client.get("/export/totals.csv", params={"group_by": "country,year"})
        wrong = await client.get("/export/totals.csv", params={"group_by": "role"})
        missing = await client.get("/export/totals.csv")
        elsewhere = await client.get("/export/events.csv", params={"group_by": "country"})
    assert ok.status_code == 200, ok.text
    assert ok.headers["content-disposition"] == 'attachment; filename="totals.csv"'
    rows = _rows(ok.text)
    assert {(row["country"], row["year"], row["kind"], row["best"]) for row in rows} >= {
        ("KZ", "2022", "arrested", "5100")
    }
    assert wrong.status_code == 400
    assert "does not apply to figures" in wrong.json()["errors"][0]["message"]
    assert missing.status_code == 400 and "group_by" in missing.json()["errors"][0]["message"]
    assert elsewhere.status_code == 400
    assert "only /export/totals.csv takes it" in elsewhere.json()["errors"][0]["message"]
