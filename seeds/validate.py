"""Validating one parsed file against the record models, with errors an analyst can act on.

Pydantic reports an error as a location tuple such as `('events', 3, 'date')`. This module
turns that into `events[kz-riots].date` at the line where the value stands, drops the
internal tags pydantic adds for union members (`'constrained-str'`, `'DatasetInfo'`), and
merges the alternatives of one union into a single message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from schema.records import SeedFile
from seeds.files import Loc, SeedText
from seeds.issues import Issue

#: For a file with records left out: each list's kept records' indexes in the file.
Positions = Mapping[str, Sequence[int]]

#: Top-level keys whose values are lists of records, each with an `id`.
RECORD_LISTS = ("sources", "actors", "events", "statements", "figures")

#: Model-level checks name the field they concern in their message; point at that field.
_FIELD_OF_MESSAGE = (
    ("end date ", "end"),
    ("lower bound ", "lower"),
    ("sub_type ", "sub_type"),
    ("coordinates need a precision", "precision"),
    ("qualifier '", "qualifier"),
    ("precision 'before'", "precision"),
    ("basis 'inferred'", "basis"),
    ("part_of_basis 'inferred'", "part_of_basis"),
    ("part_of_basis and part_of_reason", "part_of_basis"),
    ("estimate_of and estimate_relation", "estimate_of"),
)

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check its spelling)",
}

#: Pydantic's date errors say what is wrong with the input, not what is expected.
_DATE_ERRORS = frozenset({"date_parsing", "date_from_datetime_parsing", "date_type"})


def validate_seed_text(text: SeedText) -> SeedFile | list[Issue]:
    """The file as a `SeedFile`, or every problem pydantic found in it."""
    try:
        return SeedFile.model_validate(text.data)
    except ValidationError as error:
        return issues_from_validation(text, error.errors(include_url=False))


@dataclass(frozen=True)
class CheckedFile:
    """A file after validation: its valid part, where that part's records stand, its issues."""

    text: SeedText
    #: The file with its invalid records left out, or None when nothing of it can be used
    #: (its dataset, or the shape of its lists, is invalid).
    seed: SeedFile | None
    #: Where the kept records of each list stood in the file, when some were left out.
    positions: Positions = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    #: The records left out, as read (`(('events', 3), {...})`), for the checks that can
    #: still run on them (their references).
    dropped: list[tuple[Loc, Any]] = field(default_factory=list)


def check_seed_text(text: SeedText) -> CheckedFile:
    """Validate a file record by record, so one bad record does not hide the checks that
    need the rest (references, evidence, words): the valid records go on to those checks."""
    try:
        return CheckedFile(text, SeedFile.model_validate(text.data))
    except ValidationError as error:
        errors = error.errors(include_url=False)
    issues = issues_from_validation(text, errors)
    bad = _bad_records(errors)
    if bad is None or not isinstance(text.data, dict):
        return CheckedFile(text, None, issues=issues)
    data, positions = _without(text.data, bad)
    try:
        seed = SeedFile.model_validate(data)
    except ValidationError:
        return CheckedFile(text, None, issues=issues)
    dropped: list[tuple[Loc, Any]] = [
        (loc, text.data[loc[0]][loc[1]]) for loc in sorted(bad, key=str) if len(loc) == 2
    ]
    return CheckedFile(text, seed, positions, issues, dropped)


def _bad_records(errors: Sequence[ErrorDetails]) -> set[Loc] | None:
    """The records (`('events', 3)`, `('source',)`) the errors fall in; None if one doesn't."""
    bad: set[Loc] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if len(loc) >= 2 and loc[0] in RECORD_LISTS and isinstance(loc[1], int):
            bad.add(loc[:2])
        elif len(loc) >= 2 and loc[0] == "source":
            bad.add(("source",))
        else:
            return None
    return bad


def _without(data: dict[str, Any], bad: set[Loc]) -> tuple[dict[str, Any], Positions]:
    kept = {key: value for key, value in data.items() if (key,) not in bad}
    positions: dict[str, list[int]] = {}
    for name in RECORD_LISTS:
        items = data.get(name)
        if isinstance(items, list) and any(loc[0] == name for loc in bad):
            positions[name] = [i for i in range(len(items)) if (name, i) not in bad]
            kept[name] = [items[i] for i in positions[name]]
    return kept, positions


def record_label(data: Any, loc: Loc) -> tuple[str | None, Loc]:
    """The record a location falls in (`events[kz-riots]`), and the location inside it."""
    if not loc:
        return None, loc
    head = loc[0]
    if head in RECORD_LISTS and len(loc) >= 2 and isinstance(loc[1], int):
        items = data.get(head) if isinstance(data, dict) else None
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        return f"{head}[{_id_or_index(item, loc[1])}]", loc[2:]
    if head == "source" and isinstance(data, dict):
        slug = data.get("source", {}).get("id") if isinstance(data.get("source"), dict) else None
        return (f"source[{slug}]" if isinstance(slug, str) else "source"), loc[1:]
    if head == "dataset":
        return "dataset", loc[1:]
    return None, loc


def _id_or_index(item: Any, index: int) -> str | int:
    slug = item.get("id") if isinstance(item, dict) else None
    return slug if isinstance(slug, str) and slug else index


def field_path(loc: Loc) -> str | None:
    """`('date', 'end')` as `date.end`, `('links', 0, 'event')` as `links[0].event`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or None


def issues_from_validation(text: SeedText, errors: Sequence[ErrorDetails]) -> list[Issue]:
    """Pydantic's errors for one file as issues, one per location."""
    located: list[tuple[Loc, bool, str]] = []
    for error in errors:
        loc, tagged = _strip_union_tags(text.data, tuple(error["loc"]), error["type"])
        message = _message(error)
        if error["type"] == "value_error":
            loc = _refine(text.data, loc, message)
        located.append((loc, tagged, message))
    # A union member that matched the input's shape but failed inside (a mapping given for
    # `dataset` without a `name`) makes the other members' "wrong type" errors noise.
    deeper = {loc[:i] for loc, _, _ in located for i in range(len(loc))}
    merged: dict[Loc, list[str]] = {}
    for loc, tagged, message in located:
        if tagged and loc in deeper:
            continue
        merged.setdefault(loc, []).append(message)
    issues = []
    for loc, messages in merged.items():
        record, inner = record_label(text.data, loc)
        issues.append(
            Issue(text.path, text.line_of(loc), record, field_path(inner), _join(messages))
        )
    return issues


def _strip_union_tags(data: Any, loc: Loc, error_type: str) -> tuple[Loc, bool]:
    """Drop the parts of `loc` that are pydantic's union-member tags, not keys of the input."""
    kept: list[str | int] = []
    node = data
    tagged = False
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and last and error_type == "missing":
            pass  # a missing field: keep its name
        elif isinstance(part, str):
            tagged = True
            continue
        kept.append(part)
    return tuple(kept), tagged


def _message(error: ErrorDetails) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    if error["type"] in _DATE_ERRORS:
        return f"expected a date as YYYY-MM-DD (got {error.get('input')!r})"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = error.get("input")
    if error["type"] != "value_error" and isinstance(value, str | int | float | bool):
        shown = value if not isinstance(value, str) or len(value) <= 40 else value[:37] + "..."
        message = f"{message} (got {shown!r})"
    return message


def _refine(data: Any, loc: Loc, message: str) -> Loc:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc
    for prefix, name in _FIELD_OF_MESSAGE:
        if message.startswith(prefix) and isinstance(node, dict) and name in node:
            return (*loc, name)
    return loc


def _join(messages: list[str]) -> str:
    unique = list(dict.fromkeys(messages))
    first, rest = unique[0], unique[1:]
    return ", or ".join([first, *(m.removeprefix("Input should be ") for m in rest)])
