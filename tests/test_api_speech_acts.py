"""Statements as the source divides them: the parts of one speech act, statements known only
through another ("the ministry said that the NSC said"), and the clauses an attribution
covers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seeds import LoadError, validate_seeds
from tests.api_support import open_api
from tests.seed_helpers import write_json

TEXT = (
    "In a statement, the Committee said it searched for riot participants. The members of the "
    "cells, according to the statement, took part in the riots. The ministry said the "
    "Committee had said the cells were dissolved."
)


def _statement(slug: str, speaker: str, evidence: str, **fields: Any) -> dict[str, Any]:
    base = {"id": slug, "speaker": speaker, "kind": "report", "mode": "paraphrase"}
    return {**base, "text": evidence, "evidence": evidence, **fields}


def speech_world(**overrides: Any) -> dict[str, Any]:
    return {
        "dataset": "speech",
        "source": {"id": "wire", "headline": "Cells", "text": TEXT},
        "actors": [
            {"id": "committee", "name": "Committee", "kind": "security_force"},
            {"id": "ministry", "name": "Ministry", "kind": "state_body"},
        ],
        "statements": [
            _statement(
                "searched", "committee", "the Committee said it searched for riot participants"
            ),
            {
                **_statement(
                    "members",
                    "committee",
                    "The members of the cells, according to the statement, took part in the riots.",
                    attribution="according to the statement",
                    attribution_covers="The members of the cells",
                    speech_act="searched",
                ),
                **overrides.get("members", {}),
            },
            _statement("ministry-said", "ministry", "The ministry said the Committee had said"),
            _statement(
                "dissolved",
                "committee",
                "the Committee had said the cells were dissolved",
                reported_by="ministry-said",
            ),
        ],
    }


async def test_speech_acts_and_reported_statements_are_linked(
    database_url: str, tmp_path: Path
) -> None:
    async with open_api(database_url, tmp_path, speech_world()) as api:
        data = await api.data(
            """{ searched: statement(slug: "searched") { speechActParts { slug } }
                 members: statement(slug: "members") {
                   speechAct { slug } attribution attributionCovers }
                 dissolved: statement(slug: "dissolved") { reportedBy { slug speaker { slug } } }
                 said: statement(slug: "ministry-said") { reports { slug } } }"""
        )

    assert data["searched"] == {"speechActParts": [{"slug": "members"}]}
    assert data["members"] == {
        "speechAct": {"slug": "searched"},
        "attribution": "according to the statement",
        "attributionCovers": "The members of the cells",
    }
    assert data["dissolved"] == {
        "reportedBy": {"slug": "ministry-said", "speaker": {"slug": "ministry"}}
    }
    assert data["said"] == {"reports": [{"slug": "dissolved"}]}


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            {"attribution_covers": "The members of the committee"},
            "statements[members].attribution_covers: the words 'The members of the committee' "
            "do not occur in the evidence",
        ),
        (
            {"speaker": "ministry"},
            "statements[members].speech_act: 'searched' is spoken by 'committee', this "
            "statement by 'ministry': one speech act has one speaker",
        ),
        (
            {"speech_act": "nothing"},
            "statements[members].speech_act: no statement 'nothing' in dataset 'speech'",
        ),
    ],
)
def test_speech_acts_and_attributions_that_do_not_hold_are_refused(
    tmp_path: Path, members: dict[str, Any], expected: str
) -> None:
    path = write_json(tmp_path / "speech.json", speech_world(members=members))

    with pytest.raises(LoadError) as refused:
        validate_seeds([path])

    assert [expected in str(issue) for issue in refused.value.issues] == [True], str(refused.value)
