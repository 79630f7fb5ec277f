"""The README's example questions, run verbatim from README.md, and the answers it claims.

Nothing is copied: each question's query is the ```graphql block under its heading in the
"Four questions, four queries" section, and what the prose after it claims is read from the
prose and checked against the answer over the bundled seed, so neither can drift from the
other: how many records ("Seven statements"), every quoted phrase and date, each figure's
reading ("low 5100, best 5100, no high"), who claims which figure, every event listed, the
kinds and speakers named, and counts written as `field: n`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import app_client, load_bundled, make_app

README = Path(__file__).parent.parent / "README.md"
SECTION = "### Four questions, four queries"
NUMBERS = "one two three four five six seven eight nine ten eleven twelve".split()
STATEMENT_KINDS = {
    "announcement",
    "claim",
    "characterization",
    "denial",
    "accusation",
    "demand",
    "threat",
    "report",
}


def _examples() -> dict[str, tuple[str, str]]:
    """Each question of the section: (its query, the prose after it)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n### ", len(SECTION))]
    found = re.findall(
        r"\*\*(.+?)\*\*\n\n```graphql\n(.*?)```\n\n(.*?)(?=\n\*\*|\Z)", section, re.S
    )
    return {question: (query, " ".join(prose.split())) for question, query, prose in found}


EXAMPLES = _examples()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 5}


def check_claims(prose: str, data: dict[str, Any]) -> None:
    """Every claim of the prose that has a form below holds in `data`."""
    texts = list(_strings(data))
    objects = list(_objects(data))
    # Quoted phrases ("…" marks a quote cut short) and ISO dates occur in the answer.
    for quoted in re.findall(r'"([^"]+)"', prose):
        phrase = quoted.rstrip("…")
        assert any(phrase in text for text in texts), f"{phrase!r} is not in the answer"
    for date in re.findall(r"\d{4}-\d{2}-\d{2}", prose):
        assert any(date in text for text in texts), f"{date} is not in the answer"
    # "Seven statements: …" — the count, and then each record listed.
    counted = re.search(rf"\b({'|'.join(NUMBERS)}) (statements|events)\b", prose, re.I)
    if counted:
        (connection,) = data.values()
        expected = NUMBERS.index(counted.group(1).lower()) + 1
        assert connection["totalCount"] == len(connection["nodes"]) == expected
        if counted.group(2) == "events":
            _check_listed_titles(prose[counted.end() :], connection["nodes"], expected)
        else:
            _check_statements(prose, connection["nodes"])
    # Readings: "low 5100, best 5100, no high" holds together for one figure or total.
    for clause in re.split(r"[.;] ", prose):
        reading: dict[str, int | None] = {
            key: _number(value) for key, value in re.findall(r"\b(low|best|high) ([\d,]+)", clause)
        }
        if "no high" in clause:
            reading["high"] = None
        if reading:
            assert any(reading.items() <= obj.items() for obj in objects), (clause, reading)
    # `field: n` names a count in the answer.
    for field, value in re.findall(r"`(\w+): (\d+)`", prose):
        assert any(obj.get(field) == int(value) for obj in objects), (field, value)
    # '"raw" — claimant, …': who claims each figure, in the answer's order.
    claimed = re.findall(r'"([^"]+)" — (?:the )?([^,]+),', prose)
    if claimed:
        figures = [obj for obj in objects if "raw" in obj and "claimant" in obj]
        assert [(f["raw"], f["claimant"]["name"]) for f in figures] == claimed
        for whole in re.findall(r"part of the ([\d,]+)", prose):
            assert any(whole in (f.get("partOf") or {}).get("raw", "") for f in figures)
    # "Per claimant: the X, more than 5,100; Y, about 300." — each claimant's best, in order.
    per_claimant = re.search(r"Per claimant: (.*?)\.(?: |$)", prose)
    if per_claimant:
        pairs = re.findall(r"(?:the )?([^,;]+), [a-z ]*?([\d,]+)", per_claimant.group(1))
        totals = [obj for obj in objects if "claimant" in obj and "figures" in obj]
        assert len(totals) == len(pairs)
        for (name, best), total in zip(pairs, totals, strict=True):
            assert set(name.split()) <= set(total["claimant"]["name"].split()), (name, total)
            assert total["best"] == _number(best)


def _check_listed_titles(listing: str, nodes: list[dict[str, Any]], expected: int) -> None:
    """Each event the prose lists is a different one of the answer's titles."""
    listing = re.sub(r"\([^)]*\)", "", listing.split(".")[0].lstrip(": "))
    items = [item for item in re.split(r",? and |, ", listing) if item.strip()]
    assert len(items) == expected, items
    titles = [node["title"] for node in nodes]
    matched = set()
    for item in items:
        shared = [len(_words(item) & _words(title)) for title in titles]
        best = max(range(len(titles)), key=shared.__getitem__)
        assert shared[best] > 0, f"no title for {item!r} in {titles}"
        matched.add(best)
    assert len(matched) == expected, (items, titles)


def _check_statements(prose: str, nodes: list[dict[str, Any]]) -> None:
    """Each statement kind the prose names is among the answer's, and each speaker named
    ("the Ministry's") is a speaker of the answer."""
    named = {word.rstrip("s") for word in re.findall(r"[a-z]+", prose)} & STATEMENT_KINDS
    assert named, prose
    assert named <= {node["kind"].lower() for node in nodes}
    speakers = [f"{node['speaker']['name']} {node['speaker']['title'] or ''}" for node in nodes]
    for name in re.findall(r"the ((?:[A-Z]\w+ ?)+)'s", prose):
        assert any(set(name.split()) <= set(speaker.split()) for speaker in speakers), name


def test_the_readme_has_four_questions() -> None:
    assert len(EXAMPLES) == 4, list(EXAMPLES)


@pytest.mark.parametrize("question", list(EXAMPLES))
async def test_readme_example_answers_as_the_readme_says(database_url: str, question: str) -> None:
    load_bundled(database_url)
    query, prose = EXAMPLES[question]
    async with app_client(make_app(database_url)) as client:
        response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    check_claims(prose, body["data"])
