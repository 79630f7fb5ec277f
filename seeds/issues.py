"""What went wrong in a set of seed files, said so that an analyst can go and fix it.

    LoadError            raised by `validate_seeds` / `load_seeds`; nothing was written
     └─ .issues          every problem found in the run, not only the first: a list of Issue

An `Issue` names the file, the line (where the parser knows it), the record (`events[kz-riots]`
or `events[3]` when the record has no usable id), the field path inside the record, and a
message. `str(issue)` renders it the way compilers do, so editors and terminals can jump to it:

    seeds/data/x.yaml:42: events[kz-riots].date: end date 2022-01-04 is before start date ...
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in the seed files, located as precisely as the input allows."""

    file: str | None
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = ".".join(part for part in (self.record, self.field) if part)
        return ": ".join(part for part in (where, what, self.message) if part)


class LoadError(Exception):
    """The seed files cannot be loaded; `issues` lists every problem found, in file order."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        super().__init__(self.render())

    def render(self) -> str:
        """All issues, one per line."""
        return "\n".join(str(issue) for issue in self.issues)

    def __str__(self) -> str:
        return self.render()
