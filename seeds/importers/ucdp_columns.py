"""The columns of UCDP GED files as users download them, across releases and re-distributions.

- **GED 19.1**: 42 columns, `gwnoa`/`gwnob` beside the sides, the estimates in the order
  `low, best, high` (the header of tests/data/ged191.csv).
- **Later releases and the Candidate events** (`GEDEvent_v24_1.csv`, the monthly
  `GEDEvent_v24_0_1.csv`): 49 columns, as GED 22.1 to 24.1 have them. `relid`, `code_status`,
  `where_description` and the `*_dset_id` columns are added, the estimates come as
  `best, high, low`, `gwnoa`/`gwnob` move to the end, and dates may carry a time
  (`2023-01-01 00:00:00.000`). (GED 20.1 already has `where_description` and that order.)
  Candidate events are preliminary: `code_status` says what UCDP still has to check, and
  estimates may be empty or `NA`.
- **Re-distributions by humanitarian data portals** (HDX's "Data on conflict events" per
  country, made from UCDP's file): UCDP's columns plus `iso3`, and an HXL hashtag row under the
  header; the hashtags (`HASHTAGS`, as HDX tags them) name a column whatever its header says.

Columns are read by name, in any order; a layout may leave any out but `REQUIRED`. Older
releases' names for the estimates (`best_est`, `low_est`, `high_est`) are read as the new ones.
"""

from __future__ import annotations

from seeds.importers.columns import ColumnNames, hashtag_key

#: Columns a file must have to be read as UCDP GED.
REQUIRED = ("id", "type_of_violence", "date_start")

#: The 42 columns of GED 19.1, in its order.
GED_19_1 = (
    "id year active_year type_of_violence conflict_new_id conflict_name dyad_new_id dyad_name "
    "side_a_new_id gwnoa side_a side_b_new_id gwnob side_b number_of_sources source_article "
    "source_office source_date source_headline source_original where_prec where_coordinates "
    "adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country country_id region "
    "event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians "
    "deaths_unknown low best high"
).split()

#: The 49 columns of later releases and the Candidate events, in their order.
GED_49 = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
    "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
    "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
    "source_date source_headline source_original where_prec where_coordinates "
    "where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country "
    "country_id region event_clarity date_prec date_start date_end deaths_a deaths_b "
    "deaths_civilians deaths_unknown best high low gwnoa gwnob"
).split()

#: The column HDX adds after `country`: the country's ISO 3166 alpha-3 code.
ISO3 = "iso3"

#: HXL hashtags HDX gives UCDP's columns (OCHA-DAP/hdx-scraper-ucdp, its conflict_data_BGD.csv).
HASHTAGS = {
    "#date+year": "year",
    "#group+name+first": "side_a",
    "#group+name+second": "side_b",
    "#meta+source": "source_article",
    "#description": "source_headline",
    "#loc+name": "where_coordinates",
    "#adm1+name": "adm_1",
    "#adm2+name": "adm_2",
    "#geo+lat": "latitude",
    "#geo+lon": "longitude",
    "#country+name": "country",
    "#country+code": ISO3,
    "#region+name": "region",
    "#date+start": "date_start",
    "#date+end": "date_end",
    "#affected+killed": "best",
}

#: How UCDP files may name their columns.
UCDP_COLUMNS = ColumnNames(
    required=REQUIRED,
    known=frozenset([*GED_19_1, *GED_49, ISO3]),
    aliases={"best_est": "best", "low_est": "low", "high_est": "high"},
    hashtags={hashtag_key(tag): column for tag, column in HASHTAGS.items()},
    # Some Candidate releases were published without their header row (reported for 24.0.1
    # by users who download every release); their rows have the 49 columns.
    headerless=(GED_49,),
)
