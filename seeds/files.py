"""Finding seed files and parsing them into plain data that remembers where each value was.

YAML is read with ruamel.yaml's round-trip loader: it builds no Python objects from tags (so it
is as safe as a "safe" loader) and, unlike PyYAML or ruamel's C loader, it keeps the line of
every mapping key and list item, which is what lets an error cite `file:line`. JSON is read
with orjson, which is fast but keeps no positions; when a JSON file turns out to hold an
invalid record (rare), it is parsed again as YAML 1.2 (a superset of JSON) only to find lines.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from seeds.issues import Issue

#: File names a folder is searched for.
SEED_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
#: The JSON Schema of the seed format lives next to the seed files but is not one.
SCHEMA_FILE_NAME = "seed.schema.json"

Loc = tuple[str | int, ...]


@dataclass
class SeedText:
    """A seed file's parsed content, plus what is needed to find the line of any value in it."""

    path: str
    data: Any
    is_json: bool
    text: str = field(repr=False)
    #: The sha256 of the file's bytes as read ("" when the text did not come from a file).
    sha256: str = ""
    _positioned: Any = field(default=None, repr=False)

    def line_of(self, loc: Loc) -> int | None:
        """The 1-based line of the deepest part of `loc` present in the file (None if unknown)."""
        node = self._with_positions()
        if node is None:
            return None
        line: int | None = _own_line(node)
        for part in loc:
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                line = _key_line(node, part, line)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line = _item_line(node, part, line)
                node = node[part]
            elif isinstance(node, dict) and isinstance(part, str):
                # A missing field: point at the mapping that should hold it.
                line = _own_line(node) or line
                break
        return line

    def _with_positions(self) -> Any:
        if not self.is_json:
            return self.data
        if self._positioned is None:
            try:
                self._positioned = _yaml().load(self.text)
            except YAMLError:
                self._positioned = False
        return self._positioned or None


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return None if lc is None or lc.line is None else int(lc.line) + 1


def _key_line(node: Any, key: str, default: int | None) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return default


def _item_line(node: Any, index: int, default: int | None) -> int | None:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default


def _yaml() -> YAML:
    # A fresh instance per file: ruamel's YAML objects are not reentrant.
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def find_seed_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Issue]]:
    """The seed files named by `paths`: files as given, folders searched recursively.

    Inside folders, `*.yaml`, `*.yml`, `*.json` and `*.jsonl` files are taken in sorted order,
    skipping hidden files and folders (editor backups, `.git`) and the JSON Schema
    `seed.schema.json`.
    A file named explicitly is read whatever its name. A file named twice (directly and inside
    a folder given too) is read once. Missing or unreadable paths are issues.
    """
    files: list[Path] = []
    issues: list[Issue] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            is_dir = path.is_dir()
            path.stat()
        except FileNotFoundError:
            issues.append(Issue(str(path), None, None, None, "path does not exist"))
            continue
        except OSError as error:
            issues.append(Issue(str(path), None, None, None, f"cannot be read: {_reason(error)}"))
            continue
        found = _search_folder(path, issues) if is_dir else [path]
        if not found:
            issues.append(Issue(str(path), None, None, None, "folder holds no seed files"))
        for file in found:
            real = Path(os.path.realpath(file))  # Path.resolve raises on symlink loops
            if real not in seen:
                seen.add(real)
                files.append(file)
    return files, issues


def _search_folder(folder: Path, issues: list[Issue]) -> list[Path]:
    def report(error: OSError) -> None:
        where = error.filename or str(folder)
        issues.append(Issue(str(where), None, None, None, f"cannot be read: {_reason(error)}"))

    found: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith(".") or name == SCHEMA_FILE_NAME:
                continue
            if name.lower().endswith(SEED_SUFFIXES):
                found.append(Path(root) / name)
    # Sort by the path inside the folder, so the order never depends on where the folder is.
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def parse_seed_file(path: Path) -> SeedText | Issue:
    """Read and parse one file (JSON if it ends in `.json`, YAML otherwise)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Issue(name, None, None, None, "path does not exist")
    except OSError as error:
        return Issue(name, None, None, None, f"cannot be read: {_reason(error)}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Issue(name, None, None, None, f"cannot be read: not UTF-8 text ({error.reason})")
    is_json = path.suffix.lower() == ".json"
    data: Any
    if is_json:
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            message = f"JSON syntax error: {error.msg} (column {error.colno})"
            return Issue(name, error.lineno, None, None, message)
    else:
        try:
            data = _yaml().load(text)
        except MarkedYAMLError as error:
            return _yaml_issue(name, error)
        except YAMLError as error:
            return Issue(name, None, None, None, f"YAML error: {error}")
    if data is None:
        return Issue(name, None, None, None, "file is empty: expected a mapping with `dataset:`")
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else type(data).__name__
        return Issue(
            name, 1, None, None, f"expected a mapping with `dataset:` at the top, not a {kind}"
        )
    # Editors use a top-level `$schema` key to find the JSON Schema; it is not a record field.
    data.pop("$schema", None)
    sha256 = hashlib.sha256(raw).hexdigest()
    return SeedText(path=name, data=data, is_json=is_json, text=text, sha256=sha256)


def _yaml_issue(name: str, error: MarkedYAMLError) -> Issue:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "unreadable YAML"
    context = f" ({error.context})" if error.problem and error.context else ""
    column = f", column {mark.column + 1}" if mark is not None else ""
    line = mark.line + 1 if mark is not None else None
    return Issue(name, line, None, None, f"YAML syntax error: {problem}{context}{column}")


def total_size(paths: Sequence[Path]) -> int:
    """The combined size in bytes of the files (unreadable ones count as 0)."""
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            pass
    return size
