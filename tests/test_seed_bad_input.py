"""Bad seed input is refused: non-zero exit, the file, line, record and field named, and the
database unchanged. All problems of a run are reported together."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from eventql.cli import app
from seeds import LoadError, validate_seeds
from tests.seed_helpers import BAD, GOOD, dump_database, unreadable_path

runner = CliRunner()

#: Each bad fixture file, and the exact line the refusal must contain (after the file path).
BAD_FILES = {
    "broken.yaml": ":17: YAML syntax error: expected ',' or '}', but got ':'",
    "broken.json": ":5: JSON syntax error: trailing comma is not allowed",
    "missing-field.yaml": ":12: events[gathering].title: required field is missing",
    "wrong-type.yaml": ":23: figures[gathering-size].lower: Input should be a valid integer",
    "unknown-enum.yaml": ":14: events[gathering].type: Input should be 'battles', 'protests'",
    "dangling-reference.yaml": (
        ":18: events[gathering].participants[0].actor: no actor 'police' in dataset"
    ),
    "duplicate-id.yaml": ":11: actors[crowd].id: duplicate actor id 'crowd' in dataset",
    "count-too-large.yaml": (
        ":23: figures[gathering-size].value: Input should be less than or equal to 2147483647"
    ),
    "lower-above-upper.yaml": (
        ":23: figures[gathering-size].lower: lower bound 50 is above upper bound 8"
    ),
    "end-before-start.yaml": (
        ":16: events[gathering].date.end: end date 2022-01-02 is before start date 2022-01-03"
    ),
}


def _seed(database_url: str, *paths: Path | str) -> tuple[int, str]:
    result = runner.invoke(app, ["seed", *map(str, paths), "--database-url", database_url])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_seed_bad_file_is_refused_with_its_location(database_url: str, name: str) -> None:
    assert _seed(database_url, GOOD)[0] == 0
    before = dump_database(database_url)

    code, stderr = _seed(database_url, BAD / name)

    assert code == 1
    assert f"{BAD / name}{BAD_FILES[name]}" in stderr
    assert "nothing was written" in stderr
    assert dump_database(database_url) == before


def test_seed_nonexistent_path_is_refused(database_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-seeds"

    code, stderr = _seed(database_url, missing)

    assert code == 1
    assert f"{missing}: path does not exist" in stderr
    assert dump_database(database_url) == {}


def test_seed_unreadable_path_is_refused(database_url: str, tmp_path: Path) -> None:
    unreadable = unreadable_path(tmp_path)

    code, stderr = _seed(database_url, unreadable)

    assert code == 1
    assert f"{unreadable}: cannot be read: " in stderr
    assert dump_database(database_url) == {}


def test_seed_unreadable_file_in_a_folder_is_refused(database_url: str, tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "seeds")
    unreadable = unreadable_path(tmp_path / "seeds")

    code, stderr = _seed(database_url, tmp_path / "seeds")

    assert code == 1
    assert f"{unreadable}: cannot be read: " in stderr
    assert dump_database(database_url) == {}


def test_seed_reports_all_problems_of_a_run_together(database_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"

    code, stderr = _seed(database_url, BAD, missing, GOOD)

    assert code == 1
    lines = stderr.strip().splitlines()
    assert lines[0] == f"{len(BAD_FILES) + 1} problems in the seed files; nothing was written:"
    assert f"{missing}: path does not exist" in lines
    for name, expected in BAD_FILES.items():
        assert any(line.startswith(f"{BAD / name}{expected}") for line in lines), name
    assert dump_database(database_url) == {}


def _problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        validate_seeds([tmp_path])
    return [str(issue).removeprefix(f"{tmp_path}/") for issue in raised.value.issues]


_SOURCE = "source: {id: s, headline: H, text: 'Police detained 40 people on Monday.'}\n"


def test_seed_evidence_must_occur_in_the_source_text(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: d\n" + _SOURCE + "actors:\n"
            "  - {id: police, name: Police, kind: security_force, evidence: Police arrested}\n"
        },
    )

    assert problems == [
        "a.yaml:4: actors[police].evidence: evidence does not occur verbatim in the text of "
        "source 's': 'Police arrested'"
    ]


_QUOTED = "source: {id: s, headline: H, text: 'The minister said “order is restored”.'}\n"


@pytest.mark.parametrize(
    ("source", "evidence"),
    [
        (_SOURCE, "police detained 40 people"),  # case
        (_SOURCE, "Police detained 40 people on Monday!"),  # punctuation
        (_SOURCE, "Police detained 40 people, on Monday."),  # punctuation added
        (_QUOTED, 'The minister said "order is restored".'),  # straight for curly quotes
        (_QUOTED, "The minister said ‘order is restored’."),  # other quote marks
    ],
    ids=["case", "punctuation", "comma", "straight-quotes", "single-quotes"],
)
def test_seed_evidence_differing_in_more_than_spacing_is_refused(
    tmp_path: Path, source: str, evidence: str
) -> None:
    actor = {"id": "police", "name": "Police", "kind": "security_force", "evidence": evidence}
    problems = _problems(
        tmp_path, {"a.json": json.dumps({"dataset": "d", **_yaml(source), "actors": [actor]})}
    )

    assert problems == [
        "a.json:1: actors[police].evidence: evidence does not occur verbatim in the text of "
        f"source 's': {evidence!r}"
    ]


def test_seed_evidence_on_participants_and_links_is_checked(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: d\n" + _SOURCE + "actors:\n"
            "  - {id: police, name: Police, kind: security_force}\n"
            "events:\n"
            "  - id: first\n    title: First\n    type: protests\n"
            "    sub_type: peaceful_protest\n    date: {start: 2022-01-03}\n"
            "  - id: detentions\n    title: Detentions\n    type: strategic_developments\n"
            "    sub_type: arrests\n    date: {start: 2022-01-03}\n"
            "    evidence: Police detained 40 people on Monday.\n"
            "    participants:\n"
            "      - {actor: police, role: perpetrator, evidence: Police Detained}\n"
            "    links:\n"
            "      - {kind: follows, event: first, evidence: 'after the protest'}\n"
        },
    )

    assert problems == [
        "a.yaml:18: events[detentions].participants[0].evidence: evidence does not occur "
        "verbatim in the text of source 's': 'Police Detained'",
        "a.yaml:20: events[detentions].links[0].evidence: evidence does not occur verbatim in "
        "the text of source 's': 'after the protest'",
    ]


def _yaml(text: str) -> dict[str, Any]:
    """A one-line YAML flow mapping as data (the test writes JSON, which has no quoting)."""
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def test_seed_evidence_may_wrap_differently_from_the_source_text(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "dataset: d\n" + _SOURCE + "actors:\n"
        "  - id: police\n    name: Police\n    kind: security_force\n"
        "    evidence: >-\n      Police detained\n      40 people\n",
        encoding="utf-8",
    )

    seeds = validate_seeds([tmp_path])

    assert seeds.datasets["d"].actors["police"].span == (0, 25)


def test_seed_part_of_cycle_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: d\nfigures:\n"
            "  - {id: a, kind: killed, value: 1, part_of: b}\n"
            "  - {id: b, kind: killed, value: 2, part_of: a}\n"
        },
    )

    assert problems == [
        "a.yaml:3: figures[a].part_of: `part_of` goes round in a circle: a -> b -> a"
    ]


def test_seed_record_without_source_in_a_file_of_several_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: d\nsources: [{id: s1, headline: One}, {id: s2, headline: Two}]\n"
            "actors:\n  - {id: crowd, name: Crowd, kind: crowd}\n"
        },
    )

    assert problems == [
        "a.yaml:4: actors[crowd].source: no source given, and the file has 2 sources: "
        "name one with `source:`"
    ]


def test_seed_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    actor = "actors:\n  - {id: crowd, name: Crowd, kind: crowd}\n"

    problems = _problems(
        tmp_path, {"a.yaml": "dataset: d\n" + actor, "b.yaml": "dataset: d\n" + actor}
    )

    assert problems == [
        f"b.yaml:3: actors[crowd].id: duplicate actor id 'crowd' in dataset 'd': "
        f"first defined at {tmp_path}/a.yaml:3"
    ]


def test_seed_references_do_not_cross_datasets(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: one\nactors:\n  - {id: crowd, name: Crowd, kind: crowd}\n",
            "b.yaml": "dataset: two\nactors:\n  - {id: x, name: X, kind: group, parent: crowd}\n",
        },
    )

    assert problems == ["b.yaml:3: actors[x].parent: no actor 'crowd' in dataset 'two'"]


def test_seed_conflicting_dataset_metadata_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.yaml": "dataset: {name: d, title: One}\n",
            "b.yaml": "dataset: {name: d, title: Two}\n",
        },
    )

    assert problems == [
        f"b.yaml:1: dataset.title: dataset 'd' is described differently in {tmp_path}/a.yaml:1 "
        "('One' there, 'Two' here): give its metadata in one file only"
    ]


def test_seed_json_errors_name_the_line_of_the_record(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "a.json": '{"dataset": "d",\n "actors": [\n  {"id": "x", "name": "X",\n'
            '   "kind": "mob"}]}\n'
        },
    )

    assert len(problems) == 1
    assert problems[0].startswith("a.json:4: actors[x].kind: Input should be 'person'")


def test_seed_unknown_field_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"a.yaml": "dataset: d\nevnts: []\n"})

    assert problems == ["a.yaml:2: evnts: unknown field (check its spelling)"]


def test_seed_unknown_country_code_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {"a.yaml": "dataset: d\nactors:\n  - {id: x, name: X, kind: group, country: QQ}\n"},
    )

    assert problems == [
        "a.yaml:3: actors[x].country: 'QQ' is not an ISO 3166-1 alpha-2 country code"
    ]


def test_seed_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as raised:
        validate_seeds([tmp_path])

    assert str(raised.value) == f"{tmp_path}: folder holds no seed files"
