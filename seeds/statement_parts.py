"""Checks on how statements are divided and attributed: the parts of one speech act, and the
clauses an attribution covers.

A source often reports one speech act (a press release, a speech) in several sentences, and an
attribution ("according to the ministry") may cover only some clauses of its sentence. Both are
recorded, so both are checked: the parts of a speech act name its first statement, by the same
speaker; and the clauses an attribution covers are words of the evidence.
"""

from __future__ import annotations

from collections.abc import Iterator

from schema.records import StatementRecord
from seeds.issues import Issue
from seeds.provenance import find_span
from seeds.seedset import DatasetSeed, Placed, SeedSet


def check_statements(seeds: SeedSet) -> list[Issue]:
    """Every speech-act part that cannot be grouped, and every attribution covering words the
    evidence does not have."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        for placed in dataset.statements.values():
            issues.extend(_check(dataset, placed))
    return issues


def _check(dataset: DatasetSeed, placed: Placed[StatementRecord]) -> Iterator[Issue]:
    statement = placed.record
    covers = statement.attribution_covers
    if covers is not None and statement.evidence is not None:
        if find_span(statement.evidence, covers) is None:
            yield placed.issue(
                ("attribution_covers",),
                f"the words {_shown(covers)} do not occur in the evidence",
            )
    first = dataset.statements.get(statement.speech_act or "")
    if first is None:
        return  # not a part, or a dangling slug (reported by the reference check)
    if first.record.speech_act is not None:
        yield placed.issue(
            ("speech_act",),
            f"'{first.record.id}' is itself a part of '{first.record.speech_act}': name the "
            f"speech act's first statement, '{first.record.speech_act}'",
        )
    if first.record.speaker != statement.speaker:
        yield placed.issue(
            ("speech_act",),
            f"'{first.record.id}' is spoken by '{first.record.speaker}', this statement by "
            f"'{statement.speaker}': one speech act has one speaker",
        )


def _shown(words: str) -> str:
    return repr(words if len(words) <= 60 else words[:57] + "...")
