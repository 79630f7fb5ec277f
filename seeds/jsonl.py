"""JSONL seed files: one small seed file per line, as `eventql export jsonl` writes them.

Each line is a JSON object of the seed-file shape, usually with one record:
`{"dataset": "ucdp-ged-19.1", "events": [{...}]}`; a line whose `dataset` is a mapping gives the
dataset's metadata. Lines are merged per dataset into one seed file each (a JSONL file may hold
several datasets), and every record remembers its line, so errors cite `file.jsonl:LINE`.
Lines are parsed with orjson, one at a time: a file of any size is read in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from seeds.files import Loc, SeedText, parse_seed_file
from seeds.issues import Issue

JSONL_SUFFIX = ".jsonl"
_LISTS = ("sources", "actors", "events", "statements", "figures")


@dataclass
class JsonlText(SeedText):
    """One dataset's lines of a JSONL file, merged; `line_of` answers from the lines kept."""

    lines: dict[Loc, int] = field(default_factory=dict, repr=False)
    first_line: int = 1

    def line_of(self, loc: Loc) -> int | None:
        """The line of the JSONL file that holds the record (or dataset) at `loc`."""
        for size in (2, 1):
            if len(loc) >= size and loc[:size] in self.lines:
                return self.lines[loc[:size]]
        return self.first_line


def parse_jsonl_file(path: Path) -> list[SeedText] | Issue:
    """The datasets of a JSONL seed file, one `SeedText` each, or the first problem found."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return Issue(name, None, None, None, "path does not exist")
    except OSError as error:
        return Issue(name, None, None, None, f"cannot be read: {error.strerror or error}")
    except UnicodeDecodeError as error:
        return Issue(name, None, None, None, f"cannot be read: not UTF-8 text ({error.reason})")
    merged: dict[str, JsonlText] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            message = f"JSON syntax error: {error.msg} (column {error.colno})"
            return Issue(name, number, None, None, message)
        problem = _merge(name, number, data, merged)
        if problem is not None:
            return problem
    if not merged:
        return Issue(name, None, None, None, "file is empty: expected lines with `dataset`")
    return list(merged.values())


def _merge(path: str, number: int, data: Any, merged: dict[str, JsonlText]) -> Issue | None:
    if not isinstance(data, dict) or "dataset" not in data:
        return Issue(path, number, None, None, "expected an object with `dataset` on each line")
    dataset = data["dataset"]
    name = dataset.get("name") if isinstance(dataset, dict) else dataset
    if not isinstance(name, str):
        return Issue(path, number, "dataset", None, "expected a dataset name or a mapping with one")
    seed = merged.get(name)
    if seed is None:
        seed = merged[name] = JsonlText(
            path=path, data={"dataset": name}, is_json=True, text="", first_line=number
        )
    if isinstance(dataset, dict):
        if isinstance(seed.data["dataset"], dict) and seed.data["dataset"] != dataset:
            where = f"{path}:{seed.lines[('dataset',)]}"
            message = f"dataset '{name}' is described differently in {where}: give it once"
            return Issue(path, number, "dataset", None, message)
        seed.data["dataset"] = dataset
        seed.lines[("dataset",)] = number
    for key, value in data.items():
        if key in ("dataset", "$schema"):
            continue
        target = "sources" if key == "source" else key
        items = value if key != "source" else [value]
        if target in _LISTS and isinstance(items, list):
            records = seed.data.setdefault(target, [])
            for item in items:
                seed.lines[(target, len(records))] = number
                records.append(item)
        else:
            # Not a record list: keep it, so validation reports it at this line.
            seed.data[key] = value
            seed.lines[(key,)] = number
    return None


def parse_seed_texts(path: Path) -> list[SeedText] | Issue:
    """Read one seed file: a JSONL file gives one `SeedText` per dataset, any other file one."""
    if path.suffix.lower() == JSONL_SUFFIX:
        return parse_jsonl_file(path)
    parsed = parse_seed_file(path)
    return parsed if isinstance(parsed, Issue) else [parsed]
