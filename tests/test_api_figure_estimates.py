"""Estimates of one quantity (`estimateOf`): alternatives, revisions and rival claims are
counted once in totals — never added up as if they were different people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seeds import LoadError, validate_seeds
from tests.api_support import Api, open_api
from tests.seed_helpers import write_json


def _figure(slug: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": slug, "event": "clash", "kind": kind, **fields}


def estimates_world(*extra: dict[str, Any]) -> dict[str, Any]:
    """One event with three quantities, each reported more than once."""
    return {
        "dataset": "estimates",
        "source": {"id": "wire", "headline": "Clashes", "published": {"start": "2022-01-10"}},
        "actors": [
            {"id": "ministry", "name": "Ministry", "kind": "state_body"},
            {"id": "opposition", "name": "Opposition", "kind": "organisation"},
        ],
        "events": [
            {
                "id": "clash",
                "title": "Clash",
                "type": "riots",
                "sub_type": "violent_demonstration",
                "date": {"start": "2022-01-05"},
            }
        ],
        "figures": [
            # A crowd described twice: "more than 5,000", and "about 7,000".
            _figure("crowd-5000", "participants", lower=5000, qualifier="more_than"),
            _figure(
                "crowd-7000",
                "participants",
                value=7000,
                qualifier="about",
                estimate_of="crowd-5000",
                estimate_relation="alternative",
            ),
            # A toll revised twice: 164, then 225, then 227.
            _figure("toll-164", "killed", value=164, as_of={"start": "2022-01-06"}),
            _figure(
                "toll-227",
                "killed",
                value=227,
                as_of={"start": "2022-01-15"},
                estimate_of="toll-164",
                estimate_relation="revision",
            ),
            _figure(
                "toll-225",
                "killed",
                value=225,
                as_of={"start": "2022-01-10"},
                estimate_of="toll-164",
                estimate_relation="revision",
            ),
            # Rival claims: the ministry's 10 injured, the opposition's 50.
            _figure("injured-10", "injured", value=10, claimant="ministry"),
            _figure(
                "injured-50",
                "injured",
                value=50,
                claimant="opposition",
                estimate_of="injured-10",
                estimate_relation="conflicting",
            ),
            *extra,
        ],
    }


async def _totals(
    api: Api, filter: dict[str, Any] | None = None, **args: Any
) -> dict[tuple[str, str | None], Any]:
    data = await api.data(
        """query($f: FigureFilter, $byClaimant: Boolean! = false) {
             figures(filter: $f, first: 1) { aggregates { totals(byClaimant: $byClaimant) {
               kind low best high figureCount mergedEstimateCount claimant { slug }
               figures { slug } } } } }""",
        {"f": filter, **args},
    )
    totals = data["figures"]["aggregates"]["totals"]
    return {(t["kind"], (t["claimant"] or {}).get("slug")): t for t in totals}


async def test_estimates_of_one_quantity_are_counted_once(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, estimates_world()) as api:
        totals = await _totals(api)

    crowd = totals[("PARTICIPANTS", None)]
    # Read together: the lowest low, no high (one estimate is open-ended), the first's best.
    assert (crowd["low"], crowd["best"], crowd["high"]) == (5000, 5000, None)
    assert (crowd["figureCount"], crowd["mergedEstimateCount"]) == (2, 1)
    toll = totals[("KILLED", None)]
    # The latest revision alone counts: not 164 + 225 + 227.
    assert (toll["low"], toll["best"], toll["high"]) == (227, 227, 227)
    assert [f["slug"] for f in toll["figures"]] == ["toll-227"]
    assert toll["mergedEstimateCount"] == 2
    injured = totals[("INJURED", None)]
    # Rival claims widen the range: 10 to 50, not 60.
    assert (injured["low"], injured["best"], injured["high"]) == (10, 10, 50)


async def test_rival_claims_are_totalled_per_claimant_and_alone_when_filtered(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, estimates_world()) as api:
        by_claimant = await _totals(api, {"kind": {"equalTo": "INJURED"}}, byClaimant=True)
        opposition = await _totals(api, {"claimant": {"slug": {"equalTo": "opposition"}}})
        early = await _totals(api, {"value": {"lessThan": 226}, "kind": {"equalTo": "KILLED"}})

    assert by_claimant[("INJURED", "ministry")]["best"] == 10
    assert by_claimant[("INJURED", "opposition")]["best"] == 50
    assert (opposition[("INJURED", None)]["best"], opposition[("INJURED", None)]["high"]) == (
        50,
        50,
    )
    # Without the latest revision, the latest selected one counts.
    assert early[("KILLED", None)]["best"] == 225


async def test_estimates_are_linked_both_ways(database_url: str, tmp_path: Path) -> None:
    async with open_api(database_url, tmp_path, estimates_world()) as api:
        data = await api.data(
            """{ figures(filter: {kind: {equalTo: KILLED}}, orderBy: [{field: BEST}]) {
                 nodes { slug estimateRelation estimateOf { slug } estimates { slug } } } }"""
        )

    assert data["figures"]["nodes"] == [
        {
            "slug": "toll-164",
            "estimateRelation": None,
            "estimateOf": None,
            "estimates": [{"slug": "toll-225"}, {"slug": "toll-227"}],
        },
        {
            "slug": "toll-225",
            "estimateRelation": "REVISION",
            "estimateOf": {"slug": "toll-164"},
            "estimates": [],
        },
        {
            "slug": "toll-227",
            "estimateRelation": "REVISION",
            "estimateOf": {"slug": "toll-164"},
            "estimates": [],
        },
    ]


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (
            _figure("crowd-more", "participants", value=8000, estimate_of="crowd-7000",
                    estimate_relation="alternative"),
            "figures[crowd-more].estimate_of: 'crowd-7000' is itself an estimate of "
            "'crowd-5000': name the quantity's first figure, 'crowd-5000'",
        ),
        (
            _figure("arrests", "arrested", value=20, estimate_of="crowd-5000",
                    estimate_relation="alternative"),
            "figures[arrests].estimate_of: 'crowd-5000' counts participants (people), this "
            "figure arrested (people)",
        ),
        (
            _figure("toll-230", "killed", value=230, estimate_of="toll-164"),
            "figures[toll-230].estimate_of: estimate_of and estimate_relation go together",
        ),
    ],
)  # fmt: skip
def test_estimates_that_cannot_be_counted_once_are_refused(
    tmp_path: Path, figure: dict[str, Any], expected: str
) -> None:
    path = write_json(tmp_path / "estimates.json", estimates_world(figure))

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert [expected in str(issue) for issue in refused.value.issues] == [True]
