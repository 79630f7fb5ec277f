"""A seed file in which every field of every record model is set (to a value that is not its
default), so tests can check that each field survives the whole journey: validated, loaded,
exported and read back, and that every reference between records is checked.

`tests.test_record_coverage` fails when a model gains a field this file does not set: adding
a field means adding it here, which is what makes the other checks cover it.
"""

from __future__ import annotations

from typing import Any

TEXT = (
    "Police detained 40 protesters near the akimat on Wednesday, the ministry said. "
    "Interior Minister Yerlan Turgumbayev said the detentions were lawful. "
    "Between 10 and 15 of them were later released."
)
SECOND_TEXT = "Officers of the city police patrolled the square."


def every_field() -> dict[str, Any]:
    """The seed file (fresh on each call, so tests may change it)."""
    return {
        "dataset": {
            "name": "every-field",
            "title": "Every field set",
            "description": "A test dataset that sets every field of every record.",
            "licence": "CC BY 4.0",
            "citation": "eventql tests (2026)",
            "url": "https://example.org/every-field",
        },
        "sources": [
            {
                "id": "src-main",
                "headline": "Protesters detained near the akimat",
                "outlet": "Test Wire",
                "published": {
                    "start": "2022-01-06",
                    "end": "2022-01-07",
                    "precision": "range",
                    "note": "the wire dates it 6 or 7 January",
                },
                "url": "https://example.org/report",
                "language": "ru",
                "text": TEXT,
                "licence": "quoted for research",
                "external_id": "wire-0001",
            },
            {"id": "src-second", "headline": "Square patrolled", "text": SECOND_TEXT},
        ],
        "actors": [
            {
                "id": "act-ministry",
                "name": "Ministry of Internal Affairs",
                "kind": "state_body",
                "possibly_same_as": ["act-police"],
                "source": "src-main",
                "evidence": "the ministry said",
            },
            {
                "id": "act-police",
                "name": "City police",
                "aliases": ["Police", "Officers"],
                "kind": "security_force",
                "country": "KZ",
                "parent": "act-ministry",
                "title": "municipal force",
                "title_held": {"end": "2022-01-07", "precision": "before", "note": "then"},
                "description": "The city's police force.",
                "external_id": "actor-77",
                "codes": {"side": "A", "weight": 2},
                "source": "src-second",
                "evidence": "Officers of the city police",
                "locator": "paragraph 1",
            },
        ],
        "events": [
            {
                "id": "evt-patrol",
                "title": "Police patrol the square",
                "type": "strategic_developments",
                "sub_type": "other",
                "date": {"start": "2022-01-05"},
                "umbrella": True,
                "source": "src-second",
            },
            {
                "id": "evt-detentions",
                "title": "Protesters detained near the akimat",
                "type": "strategic_developments",
                "sub_type": "arrests",
                "date": {
                    "start": "2022-01-05",
                    "precision": "day",
                    "note": '"on Wednesday", read against the range of publication',
                    "expression": "on Wednesday",
                    "relative_to": "publication",
                    "time_of_day": "morning",
                },
                "location": {
                    "country": "KZ",
                    "admin1": "Almaty",
                    "admin2": "Medeu District",
                    "place": "Almaty akimat",
                    "latitude": 43.238,
                    "longitude": 76.946,
                    "precision": "settlement",
                    "geonames_id": 1526384,
                    "description": "outside the city akimat",
                },
                "other_locations": [
                    {"country": "KZ", "description": "the west of the country"},
                    {
                        "country": "KZ",
                        "admin1": "Mangystau",
                        "admin2": "Zhanaozen City",
                        "place": "Zhanaozen",
                        "latitude": 43.34,
                        "longitude": 52.86,
                        "precision": "settlement",
                        "geonames_id": 607610,
                        "description": "the oil town",
                    },
                ],
                "description": "Police detained about forty protesters.",
                "links": [
                    {
                        "kind": "follows",
                        "event": "evt-patrol",
                        "evidence": "near the akimat on Wednesday",
                        "basis": "inferred",
                        "reason": "the patrol is read as the day before",
                        "claimant": "act-ministry",
                        "statement": "stm-lawful",
                    }
                ],
                "participants": [
                    {
                        "actor": "act-police",
                        "role": "perpetrator",
                        "note": "named as police",
                        "evidence": "Police detained 40 protesters",
                        "claimant": "act-ministry",
                        "statement": "stm-lawful",
                        "basis": "inferred",
                        "reason": "the ministry names the police",
                    }
                ],
                "external_id": "event-9",
                "codes": {"cameo": "173", "goldstein": -5.0, "flag": True},
                "source": "src-main",
                "evidence": "Police detained 40 protesters near the akimat on Wednesday",
                "locator": "sentence 1",
            },
        ],
        "statements": [
            {
                "id": "stm-lawful",
                "speaker": "act-ministry",
                "speaker_title": "Interior Minister",
                "date": {"start": "2022-01-06", "precision": "day", "note": "said on the day"},
                "kind": "denial",
                "mode": "paraphrase",
                "text": "the detentions were lawful",
                "about_events": ["evt-detentions"],
                "about_actors": ["act-police"],
                "attribution": "Interior Minister Yerlan Turgumbayev said",
                "source": "src-main",
                "evidence": "Interior Minister Yerlan Turgumbayev said the detentions were lawful.",
                "locator": "sentence 2",
            },
            {
                "id": "stm-lawful-again",
                "speaker": "act-ministry",
                "kind": "denial",
                "mode": "paraphrase",
                "text": "the detentions were lawful",
                "attribution": "the ministry said",
                "attribution_covers": "the detentions were lawful",
                "speech_act": "stm-lawful",
                "reported_by": "stm-lawful",
                "source": "src-main",
                "evidence": "Interior Minister Yerlan Turgumbayev said the detentions were lawful.",
            },
        ],
        "figures": [
            {
                "id": "fig-detained",
                "event": "evt-detentions",
                "kind": "detained",
                "value": 40,
                "raw": "40 protesters",
                "claimant": "act-ministry",
                "source": "src-main",
                "evidence": "Police detained 40 protesters",
            },
            {
                "id": "fig-released",
                "event": "evt-detentions",
                "kind": "detained",
                "unit": "detainees",
                "status": "value",
                "value": 12,
                "lower": 10,
                "upper": 15,
                "qualifier": "between",
                "raw": "Between 10 and 15 of them",
                "as_of": {"end": "2022-01-07", "precision": "before", "note": "later"},
                "claimant": "act-ministry",
                "statement": "stm-lawful",
                "attribution": "the ministry said",
                "part_of": "fig-detained",
                "part_of_basis": "inferred",
                "part_of_reason": "released from among those detained",
                "counted_actor": "act-police",
                "counted_group": "protesters",
                "note": "released later",
                "source": "src-main",
                "evidence": "Between 10 and 15 of them were later released.",
                "locator": "sentence 3",
            },
            {
                "id": "fig-detained-rival",
                "event": "evt-detentions",
                "kind": "detained",
                "value": 40,
                "raw": "40 protesters",
                "estimate_of": "fig-detained",
                "estimate_relation": "conflicting",
                "source": "src-main",
            },
            {
                "id": "fig-injured",
                "event": "evt-detentions",
                "kind": "injured",
                "status": "unknown",
                "raw": "no figure given",
                "source": "src-main",
            },
        ],
    }
