"""Who says that a link or a participation holds: the source (and whom it attributes it to),
or the coder's reading (and why) — loaded, served and checked like any other field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seeds import LoadError, validate_seeds
from tests.api_support import open_api
from tests.seed_helpers import write_json


def claims_world(**overrides: Any) -> dict[str, Any]:
    """A riot, a protest read as part of it, and a security force named by a ministry."""
    participant = {
        "actor": "police",
        "role": "responder",
        "claimant": "ministry",
        "statement": "ministry-says",
        **overrides.get("participant", {}),
    }
    link = {
        "kind": "part_of",
        "event": "riots",
        "basis": "inferred",
        "reason": "same city and days as the riots",
        **overrides.get("link", {}),
    }
    return {
        "dataset": "claims",
        "source": {"id": "wire", "headline": "Unrest", "published": {"start": "2022-01-10"}},
        "actors": [
            {"id": "police", "name": "Police", "kind": "security_force"},
            {"id": "ministry", "name": "Ministry", "kind": "state_body"},
        ],
        "events": [
            {
                "id": "riots",
                "title": "Riots",
                "type": "riots",
                "sub_type": "violent_demonstration",
                "date": {"start": "2022-01-04"},
            },
            {
                "id": "protest",
                "title": "Protest",
                "type": "protests",
                "sub_type": "protest_with_intervention",
                "date": {"start": "2022-01-04"},
                "links": [link],
                "participants": [participant],
            },
        ],
        "statements": [
            {
                "id": "ministry-says",
                "speaker": "ministry",
                "kind": "report",
                "mode": "paraphrase",
                "text": "the police responded",
            }
        ],
    }


_CLAIMS = """{ events(filter: {slug: {equalTo: "protest"}}) { nodes {
    links { basis reason claimant { slug } statement { slug } target { slug } }
    participants { basis reason claimant { slug } statement { slug } actor { slug } } } } }"""


async def test_claims_on_links_and_participations_are_served(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, claims_world()) as api:
        event = (await api.data(_CLAIMS))["events"]["nodes"][0]

    assert event["links"] == [
        {
            "basis": "INFERRED",
            "reason": "same city and days as the riots",
            "claimant": None,
            "statement": None,
            "target": {"slug": "riots"},
        }
    ]
    assert event["participants"] == [
        {
            "basis": "STATED",
            "reason": None,
            "claimant": {"slug": "ministry"},
            "statement": {"slug": "ministry-says"},
            "actor": {"slug": "police"},
        }
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"link": {"reason": None}},
            "events[protest].links[0].basis: basis 'inferred' needs a `reason`",
        ),
        (
            {"participant": {"claimant": "interior"}},
            "events[protest].participants[0].claimant: no actor 'interior' in dataset 'claims'",
        ),
        (
            {"participant": {"statement": "unsaid"}},
            "events[protest].participants[0].statement: no statement 'unsaid' in dataset 'claims'",
        ),
    ],
)
def test_a_claim_without_its_reason_or_claimant_is_refused(
    tmp_path: Path, overrides: dict[str, Any], expected: str
) -> None:
    path = write_json(tmp_path / "claims.json", claims_world(**overrides))

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert [expected in str(issue) for issue in refused.value.issues] == [True], str(refused.value)
