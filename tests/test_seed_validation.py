"""Validation tells the whole truth at once: every problem of a run (not only those of the
first stage that failed), numbers checked against their words, dates and copied datasets
explained in one clear line each — and the database left exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventql.cli import app
from seeds import LoadError, validate_seeds
from tests.seed_helpers import GOOD, dump_database, write_json

runner = CliRunner()

#: A file with a mistake of each stage: a malformed date, an unknown field, a dangling
#: reference inside the record with the bad date, evidence that is not verbatim inside the
#: record with the unknown field, numbers that disagree with their words, words that are
#: not in the evidence, and a qualifier that needs a value.
FIVE_MISTAKES = """\
dataset: mistakes
source:
  id: report
  headline: Detentions in town
  published: {start: 2022-01-10}
  text: >-
    Police detained more than 5,100 people on Monday. About 300 people took part.
actors:
  - id: police
    name: Police
    kind: security_force
    evidence: Police detained
events:
  - id: detentions
    title: Detentions
    type: riots
    sub_type: violent_demonstration
    date: {start: 09/01/2022}
    participants:
      - {actor: police, role: perpetrator}
      - {actor: ghost, role: target}
    evidence: Police detained more than 5,100 people
  - id: protest
    title: Protest
    type: protests
    sub_type: peaceful_protest
    date: {start: 2022-01-10}
    colour: red
    evidence: About 300 persons took part
figures:
  - id: detained
    event: detentions
    kind: detained
    lower: 5200
    qualifier: more_than
    raw: more than 5,100 people
    evidence: Police detained more than 5,100 people
  - id: size
    event: protest
    kind: participants
    lower: 300
    qualifier: exact
    raw: About 300 people
    evidence: About 300 people took part
"""

#: Every line the run must report (after the file's path), in file order.
EXPECTED = [
    ":18: events[detentions].date.start: expected a date as YYYY-MM-DD (got '09/01/2022')",
    ":21: events[detentions].participants[1].actor: no actor 'ghost' in dataset 'mistakes'",
    ":28: events[protest].colour: unknown field (check its spelling)",
    ":29: events[protest].evidence: evidence does not occur verbatim in the text of source "
    "'report': 'About 300 persons took part'",
    ":34: figures[detained].lower: lower is 5,200, but the words 'more than 5,100 people' "
    "say 5,100",
    ":42: figures[size].qualifier: qualifier 'exact' needs a value",
]


def _seed(database_url: str, *paths: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["seed", *map(str, paths), "--database-url", database_url])
    return result.exit_code, result.stderr


def _problems(path: Path) -> list[str]:
    with pytest.raises(LoadError) as refused:
        validate_seeds([path])
    return [str(issue) for issue in refused.value.issues]


def test_every_problem_of_every_stage_is_reported_in_one_run(
    database_url: str, tmp_path: Path
) -> None:
    assert _seed(database_url, GOOD)[0] == 0
    before = dump_database(database_url)
    bad = tmp_path / "mistakes.yaml"
    bad.write_text(FIVE_MISTAKES, encoding="utf-8")

    code, stderr = _seed(database_url, bad)

    assert code == 1
    lines = [line.removeprefix(str(bad)) for line in stderr.splitlines() if str(bad) in line]
    assert len(lines) == len(EXPECTED)
    for line, expected in zip(lines, EXPECTED, strict=True):
        assert line.startswith(expected)
    assert "Traceback" not in stderr
    assert dump_database(database_url) == before


def _figure_file(tmp_path: Path, **figure: Any) -> Path:
    """A valid one-figure seed file, with the figure's fields replaced by `figure`."""
    record = {
        "id": "arrests",
        "kind": "arrested",
        "lower": 5100,
        "qualifier": "more_than",
        "raw": "more than 5,100 people",
        "evidence": "more than 5,100 people were arrested",
        **figure,
    }
    data = {
        "dataset": "words",
        "source": {
            "id": "report",
            "headline": "Arrests",
            "published": {"start": "2022-01-10"},
            "text": "The ministry said more than 5,100 people were arrested. "
            "Some twenty-five were hurt, and between 10 and 15 of them were released. "
            "Dozens of people protested; none were killed.",
        },
        "figures": [{k: v for k, v in record.items() if v is not None}],
    }
    return write_json(tmp_path / "words.json", data)


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ({"lower": 5200}, "figures[arrests].lower: lower is 5,200, but the words 'more than "
         "5,100 people' say 5,100"),
        ({"qualifier": "at_least"}, "figures[arrests].qualifier: the words 'more than 5,100 "
         "people' read as 'more_than', but qualifier is 'at_least'"),
        ({"raw": "more than 5,100 persons"}, "figures[arrests].raw: the words 'more than 5,100 "
         "persons' do not occur in the evidence"),
        ({"qualifier": "exact"}, "figures[arrests].qualifier: qualifier 'exact' needs a value"),
        ({"raw": "none were killed", "evidence": "none were killed", "lower": 3},
         "figures[arrests].status: the words 'none were killed' say there were none"),
        ({"raw": "twenty-five", "evidence": "Some twenty-five were hurt", "lower": None,
          "value": 52, "qualifier": "exact"},
         "figures[arrests].value: value is 52, but the words 'twenty-five' say 25"),
        ({"raw": "between 10 and 15", "evidence": "between 10 and 15 of them", "lower": 10,
          "upper": 16, "qualifier": "between"},
         "figures[arrests].upper: upper is 16, but the words 'between 10 and 15' say 15"),
        ({"raw": "Dozens of people", "evidence": "Dozens of people protested", "lower": 24,
          "qualifier": "at_least"},
         "figures[arrests].qualifier: the words 'Dozens of people' read as 'vague'"),
    ],
)  # fmt: skip
def test_numbers_that_disagree_with_their_words_are_refused(
    tmp_path: Path, figure: dict[str, Any], expected: str
) -> None:
    problems = _problems(_figure_file(tmp_path, **figure))

    assert len(problems) == 1
    assert expected in problems[0]
    assert problems[0].startswith(f"{tmp_path / 'words.json'}:")


@pytest.mark.parametrize(
    "figure",
    [
        {},
        {"raw": "Some twenty-five", "evidence": "Some twenty-five were hurt", "lower": None,
         "value": 25, "qualifier": "about"},
        {"raw": "between 10 and 15", "evidence": "between 10 and 15 of them", "lower": 10,
         "upper": 15, "qualifier": "between"},
        {"raw": "Dozens of people", "evidence": "Dozens of people protested", "lower": None,
         "qualifier": "vague"},
        {"raw": "none were killed", "evidence": "none were killed", "lower": None,
         "status": "none", "qualifier": "exact"},
        {"raw": "people were arrested", "evidence": "people were arrested", "lower": None,
         "status": "unknown"},
    ],
)  # fmt: skip
def test_numbers_that_agree_with_their_words_load(tmp_path: Path, figure: dict[str, Any]) -> None:
    seeds = validate_seeds([_figure_file(tmp_path, **figure)])

    assert seeds.datasets["words"].counts()["figure"] == 1


def test_a_dataset_defined_twice_is_one_message(tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "first")
    shutil.copy(GOOD / "example.yaml", tmp_path / "first" / "copy-of-example.yaml")

    problems = _problems(tmp_path / "first")

    assert len(problems) == 1
    # Files are read in name order: the later one is the copy.
    copy, original = (
        tmp_path / "first" / "example.yaml",
        tmp_path / "first" / "copy-of-example.yaml",
    )
    assert problems[0].startswith(f"{copy}:3: dataset: this file defines 11 records that ")
    assert f"{original} already defines in dataset 'example'" in problems[0]
    assert "remove one of the copies" in problems[0]
