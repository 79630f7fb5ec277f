"""The real UCDP rows of tests/data in the other layouts users download them in.

Every value comes from the real GED 19.1 rows (tests/data/ged191.csv); only the layout changes.
Columns a layout adds are filled from the row's own values (the `*_dset_id` columns repeat the
`*_new_id` ones, `code_status` is "Clear") or left empty (`relid`, `where_description`), so
nothing is invented. Layouts (see `seeds.importers.ucdp_columns`, which the tests do not read):

- `GED_49`: the 49 columns of GED 22.1–24.1 and the Candidate events, estimates as
  `best, high, low`, `gwnoa`/`gwnob` at the end, dates with a time.
- `hdx_extract`: HDX's per-country re-distribution (OCHA-DAP/hdx-scraper-ucdp, commit
  9cb5fc6ad8e5c31886ff4bb61d8e42bd43fdaf79, tests/fixtures/conflict_data_BGD.csv): UCDP's columns
  with `iso3` after `country`, and its HXL hashtag row under the header, copied verbatim.
"""

from __future__ import annotations

from collections.abc import Callable

Row = list[str]

#: The 49 columns of later GED releases and the Candidate events (written out here, apart
#: from the importer's own list, so that a mistake there is caught).
GED_49 = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")

#: HDX's header and hashtag row for UCDP GED 19.1 (conflict_data_BGD.csv, lines 1 and 2).
HDX_HEADER = (
    "id,year,active_year,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,dyad_name,"
    "side_a_new_id,gwnoa,side_a,side_b_new_id,gwnob,side_b,number_of_sources,source_article,"
    "source_office,source_date,source_headline,source_original,where_prec,where_coordinates,"
    "adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,iso3,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,low,best,high"
).split(",")
HDX_HASHTAGS = (
    ",#date+year,,,,,,,,,#group+name+first,,,#group+name+second,,#meta+source,,,#description,,,"
    "#loc+name,#adm1+name,#adm2+name,#geo+lat,#geo+lon,,,#country+name,#country+code,,"
    "#region+name,,,#date+start,#date+end,,,,,,#affected+killed,"
).split(",")

_FILLED: dict[str, Callable[[dict[str, str]], str]] = {
    "relid": lambda row: "",
    "code_status": lambda row: "Clear",
    "conflict_dset_id": lambda row: row["conflict_new_id"],
    "dyad_dset_id": lambda row: row["dyad_new_id"],
    "side_a_dset_id": lambda row: row["side_a_new_id"],
    "side_b_dset_id": lambda row: row["side_b_new_id"],
    "where_description": lambda row: "",
    "date_start": lambda row: f"{row['date_start']} 00:00:00.000",
    "date_end": lambda row: f"{row['date_end']} 00:00:00.000",
    "iso3": lambda row: {"Bangladesh": "BGD", "Myanmar (Burma)": "MMR"}[row["country"]],
}


def relayout(
    header: list[str], rows: list[Row], columns: list[str], *, keep_dates: bool = False
) -> list[Row]:
    """`rows` (with `header`) in the layout `columns`: shared columns copied, added ones filled."""
    out = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        filled = dict(_FILLED)
        if keep_dates:
            del filled["date_start"], filled["date_end"]
        out.append(
            [cells[c] if c in cells and c not in filled else filled[c](cells) for c in columns]
        )
    return out


def hdx_extract(header: list[str], rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """HDX's header and hashtag row, and `rows` in HDX's layout (dates as UCDP wrote them)."""
    return [HDX_HEADER, HDX_HASHTAGS], relayout(header, rows, HDX_HEADER, keep_dates=True)
