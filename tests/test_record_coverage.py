"""Every field of every record model survives the journey, and every reference is checked.

`tests.every_field` sets every field of every model; these tests fail when a model gains a
field that the fixture does not set, when JSONL export drops or changes a field (seeding the
export must give back the same records), and when a reference between records can dangle
without a seed problem that names the file, the record and the field.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from schema.records import (
    ActorRecord,
    DatasetInfo,
    EventRecord,
    FigureRecord,
    SeedFile,
    SourceRecord,
    StatementRecord,
)
from seeds import LoadError, validate_seeds
from tests.every_field import every_field
from tests.server_process import eventql_command

KINDS: dict[str, type[BaseModel]] = {
    "sources": SourceRecord,
    "actors": ActorRecord,
    "events": EventRecord,
    "statements": StatementRecord,
    "figures": FigureRecord,
}
Where = tuple[str | int, ...]


def _models(model: BaseModel) -> Iterator[BaseModel]:
    """A model and every model nested in it."""
    yield model
    for name in type(model).model_fields:
        value = getattr(model, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                yield from _models(item)


def _field_models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """A model class and every model class its fields can hold."""
    yield model
    for info in model.model_fields.values():
        for candidate in _classes(info.annotation):
            yield from _field_models(candidate)


def _classes(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _classes(argument)


def test_the_fixture_sets_every_field_of_every_model() -> None:
    seed = SeedFile.model_validate(every_field())
    set_fields: set[str] = set()
    for model in _models(seed):
        for name, info in type(model).model_fields.items():
            default = info.get_default(call_default_factory=True)
            if getattr(model, name) != default:
                set_fields.add(f"{type(model).__name__}.{name}")
    roots: list[type[BaseModel]] = [*KINDS.values(), DatasetInfo]
    expected = {
        f"{model.__name__}.{name}"
        for root in roots
        for model in _field_models(root)
        for name in model.model_fields
    }
    assert not expected - set_fields, "tests/every_field.py does not set these fields"


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*eventql_command(), *arguments], capture_output=True, text=True, timeout=120
    )


def _records(lines: list[dict[str, Any]]) -> dict[tuple[str, str], BaseModel]:
    found: dict[tuple[str, str], BaseModel] = {}
    for line in lines:
        for kind, model in KINDS.items():
            for data in line.get(kind, []):
                found[kind, data["id"]] = model.model_validate(data)
    return found


def test_jsonl_export_keeps_every_field(database_url: str, tmp_path: Path) -> None:
    seed = every_field()
    path = tmp_path / "every-field.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    loaded = _run("seed", str(path), "--database-url", database_url)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    exported = _run("export", "jsonl", "--database-url", database_url)
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]

    assert lines[0]["dataset"] == seed["dataset"]
    assert _records(lines) == _records([seed])


def _references(data: Any, slugs: set[str], where: Where = ()) -> Iterator[Where]:
    """Where the fixture names another record: every string that is a record's ID."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "id":
                yield from _references(value, slugs, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _references(value, slugs, (*where, index))
    elif isinstance(data, str) and data in slugs:
        yield where


def _slugs(seed: dict[str, Any]) -> set[str]:
    return {record["id"] for kind in KINDS for record in seed.get(kind, [])}


def _set(data: Any, where: Where, value: str) -> None:
    for step in where[:-1]:
        data = data[step]
    data[where[-1]] = value


REFERENCES = list(_references(every_field(), _slugs(every_field())))


def test_the_fixture_makes_every_kind_of_reference() -> None:
    fields = {".".join(str(s) for s in where if isinstance(s, str)) for where in REFERENCES}
    # One of each reference the record models can make (a new one is found by value).
    assert {
        "actors.source",
        "actors.parent",
        "events.links.event",
        "events.participants.actor",
        "statements.speaker",
        "statements.about_events",
        "statements.about_actors",
        "figures.event",
        "figures.claimant",
        "figures.statement",
        "figures.part_of",
        "figures.counted_actor",
    } <= fields


@pytest.mark.parametrize("where", REFERENCES, ids=[".".join(map(str, w)) for w in REFERENCES])
def test_every_dangling_reference_is_a_seed_problem(where: Where, tmp_path: Path) -> None:
    seed = every_field()
    _set(seed, where, "no-such-record")
    path = tmp_path / "dangling.json"
    path.write_text(json.dumps(seed), encoding="utf-8")

    with pytest.raises(LoadError) as raised:
        validate_seeds([path])

    kind, index = where[0], where[1]
    assert isinstance(kind, str) and isinstance(index, int)
    record = seed[kind][index]["id"]
    field = ".".join(str(step) for step in where[2:])
    problems = [str(issue) for issue in raised.value.issues]
    assert any(
        issue.file is not None
        and issue.file.endswith("dangling.json")
        and issue.record is not None
        and record in issue.record
        and issue.field is not None
        and issue.field.replace("[", ".").replace("]", "") == field
        and "no-such-record" in issue.message
        for issue in raised.value.issues
    ), problems
