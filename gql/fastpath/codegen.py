"""Builders generated as Python source, compiled once per plan, as graphql-jit does for JS.

A plan's response is written by plain functions specialised to its selection: one per object
selection, taking a row and the request's data list, returning the dict of exactly the
selected fields in selection order — `{"slug": r[1], "type": E0[r[9]], ...}` — with rows read
by position and constants (enum name maps, helper functions, nested builders) bound as
globals of the generated module. No field is resolved one at a time at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gql.fastpath import values

_PLACEHOLDER = re.compile(r"@(\w+)@")


class CodeWriter:
    """Collects the functions of one plan and compiles them together."""

    def __init__(self) -> None:
        self.functions: list[str] = []
        self.assignments: list[str] = []
        #: `@name@` in the source stands for `placeholders[name]` (known only at the end).
        self.placeholders: dict[str, int] = {}
        self.namespace: dict[str, Any] = {
            "_missing": values.missing,
            "_non_null": values.non_null,
            "_int": values.int32,
            "_float": values.finite_float,
            "_string": values.string,
            "_boolean": values.boolean,
            "_window": values.window,
            "_cursor": values.cursor,
            "_first_cursor": values.first_cursor,
            "_last_cursor": values.last_cursor,
            "_abstract": values.abstract,
        }
        self._constants: dict[int, str] = {}
        self._count = 0

    def name(self, prefix: str) -> str:
        """A fresh global name."""
        self._count += 1
        return f"{prefix}{self._count}"

    def constant(self, value: Any, prefix: str = "K") -> str:
        """A global name bound to `value` (the same name for the same object)."""
        found = self._constants.get(id(value))
        if found is not None:
            return found
        name = self.name(prefix)
        self.namespace[name] = value
        self._constants[id(value)] = name
        return name

    def function(self, name: str, parameters: str, body: list[str]) -> str:
        """Add `def name(parameters):` with `body` (lines, indented here); returns `name`."""
        lines = [f"def {name}({parameters}):", *(f"    {line}" for line in body)]
        self.functions.append("\n".join(lines))
        return name

    def assign(self, name: str, expression: str) -> str:
        """Bind the global `name` to `expression`, evaluated after every function exists."""
        self.assignments.append(f"{name} = {expression}")
        return name

    def compile(self, entry: str) -> Callable[..., Any]:
        """Compile every function added; the one named `entry`."""
        code = compile(self.source, "<eventql fast path plan>", "exec")
        exec(code, self.namespace)  # noqa: S102 — source generated here from the schema
        function: Callable[..., Any] = self.namespace[entry]
        return function

    @property
    def source(self) -> str:
        """The generated source (for debugging and tests)."""
        source = "\n\n".join(self.functions) + "\n\n" + "\n".join(self.assignments) + "\n"
        return _PLACEHOLDER.sub(lambda found: str(self.placeholders[found.group(1)]), source)


def dict_display(items: list[tuple[str, str]]) -> str:
    """A dict display `{"key": expression, ...}` keeping the order of `items`."""
    return "{" + ", ".join(f"{key!r}: {expression}" for key, expression in items) + "}"
