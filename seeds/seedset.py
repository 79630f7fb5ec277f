"""Gathering validated files into datasets: records by kind and slug, with where each came from.

A dataset may be spread over several files; this is where its records meet, and where the
checks that need all of them at once (duplicate IDs, conflicting dataset metadata) happen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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
from seeds.files import Loc, SeedText
from seeds.issues import Issue
from seeds.validate import Positions, field_path

R = TypeVar("R", bound=BaseModel)

#: Record kinds in the order their rows must be written (parents before children).
KINDS = ("source", "actor", "event", "statement", "figure")


@dataclass
class Placed(Generic[R]):
    """A record, the file and location it was read from, and its resolved provenance."""

    record: R
    text: SeedText
    loc: Loc
    #: The source's slug: the record's own, or the file's only source.
    source: str | None = None
    #: Character offsets of the evidence in the source's text, when it has one.
    span: tuple[int, int] | None = None

    @property
    def line(self) -> int | None:
        """The line the record starts at."""
        return self.text.line_of(self.loc)

    @property
    def where(self) -> str:
        """`file:line`, for messages that point at another record."""
        line = self.line
        return self.text.path if line is None else f"{self.text.path}:{line}"

    def issue(self, field: Loc, message: str) -> Issue:
        """An issue about `field` (a path inside this record) of this record."""
        slug = getattr(self.record, "id", None)
        label = f"{self.loc[0]}[{slug}]"
        line = self.text.line_of(self.loc + field)
        return Issue(self.text.path, line, label, field_path(field), message)


@dataclass
class DatasetSeed:
    """All records of one dataset, from however many files."""

    name: str
    info: DatasetInfo
    files: list[str] = field(default_factory=list)
    #: The sha256 of each file's bytes as read, by path (for the dataset's version history).
    file_hashes: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Placed[SourceRecord]] = field(default_factory=dict)
    actors: dict[str, Placed[ActorRecord]] = field(default_factory=dict)
    events: dict[str, Placed[EventRecord]] = field(default_factory=dict)
    statements: dict[str, Placed[StatementRecord]] = field(default_factory=dict)
    figures: dict[str, Placed[FigureRecord]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> dict[str, Placed[Any]]:
        """The records of one kind ('source', 'actor', ...) by slug."""
        records: dict[str, Placed[Any]] = getattr(self, f"{kind}s")
        return records

    def provenanced(self) -> Iterator[tuple[str, Placed[Any]]]:
        """Every record that carries a source and evidence, with its kind."""
        for kind in KINDS[1:]:
            for placed in self.of_kind(kind).values():
                yield kind, placed

    def counts(self) -> dict[str, int]:
        """How many records of each kind the dataset holds."""
        return {kind: len(self.of_kind(kind)) for kind in KINDS}


@dataclass
class SeedSet:
    """Validated seed files, as datasets by name (sorted), ready to be written."""

    datasets: dict[str, DatasetSeed]
    files: list[str]


def gather(files: list[tuple[SeedText, SeedFile, Positions]], issues: list[Issue]) -> SeedSet:
    """Group the files' records by dataset; report duplicate IDs and conflicting metadata.

    `Positions` says where each record stood in a file some records of which were left out
    (they failed validation), so every message still points at the right line.
    """
    datasets: dict[str, DatasetSeed] = {}
    info_from: dict[str, tuple[SeedText, DatasetInfo]] = {}
    for text, seed, positions in files:
        info = seed.dataset_info
        dataset = datasets.get(info.name)
        if dataset is None:
            dataset = datasets[info.name] = DatasetSeed(info.name, info)
        if isinstance(seed.dataset, DatasetInfo):
            earlier = info_from.get(info.name)
            if earlier is None:
                info_from[info.name] = (text, info)
                dataset.info = info
            else:
                issues.extend(_conflicts(text, info, *earlier))
        dataset.files.append(text.path)
        if text.sha256:
            dataset.file_hashes[text.path] = text.sha256
        _add_records(dataset, text, seed, positions, issues)
    # A JSONL file holding several datasets gives several texts with the same path.
    paths = list(dict.fromkeys(text.path for text, _, _ in files))
    return SeedSet(datasets=dict(sorted(datasets.items())), files=paths)


def _conflicts(
    text: SeedText, info: DatasetInfo, earlier_text: SeedText, earlier: DatasetInfo
) -> Iterator[Issue]:
    for name in DatasetInfo.model_fields:
        mine, theirs = getattr(info, name), getattr(earlier, name)
        if mine != theirs:
            where = f"{earlier_text.path}:{earlier_text.line_of(('dataset', name))}"
            message = (
                f"dataset '{info.name}' is described differently in {where} "
                f"({theirs!r} there, {mine!r} here): give its metadata in one file only"
            )
            line = text.line_of(("dataset", name))
            yield Issue(text.path, line, "dataset", name, message)


def _add_records(
    dataset: DatasetSeed,
    text: SeedText,
    seed: SeedFile,
    positions: Positions,
    issues: list[Issue],
) -> None:
    def placed_in(name: str, records: list[Any]) -> list[tuple[Loc, Any]]:
        at = positions.get(name, range(len(records)))
        return [((name, at[i]), record) for i, record in enumerate(records)]

    sources: list[tuple[Loc, Any]] = []
    if seed.source is not None:
        sources.append((("source",), seed.source))
    sources.extend(placed_in("sources", seed.sources))
    by_kind: dict[str, list[tuple[Loc, Any]]] = {
        "source": sources,
        **{kind: placed_in(f"{kind}s", getattr(seed, f"{kind}s")) for kind in KINDS[1:]},
    }
    only_source = sources[0][1].id if len(sources) == 1 else None
    duplicates: list[tuple[str, Placed[Any], Placed[Any]]] = []
    for kind, entries in by_kind.items():
        table = dataset.of_kind(kind)
        for loc, record in entries:
            placed: Placed[Any] = Placed(record, text, loc)
            if kind != "source":
                placed.source = record.source or only_source
                if placed.source is None and len(sources) > 1:
                    issues.append(
                        placed.issue(
                            ("source",),
                            f"no source given, and the file has {len(sources)} sources: "
                            "name one with `source:`",
                        )
                    )
            first = table.get(record.id)
            if first is not None:
                duplicates.append((kind, placed, first))
                continue
            table[record.id] = placed
    issues.extend(_duplicates(dataset.name, text, duplicates))


#: More duplicates than this of one other file's records: the file is a copy, say so once.
_COPY_THRESHOLD = 3


def _duplicates(
    dataset: str, text: SeedText, duplicates: list[tuple[str, Placed[Any], Placed[Any]]]
) -> Iterator[Issue]:
    """One issue per duplicated ID, or one for the whole file when it repeats many records
    of another file (the same dataset defined twice, e.g. a copied seed file)."""
    by_file: dict[str, list[tuple[str, Placed[Any], Placed[Any]]]] = {}
    for entry in duplicates:
        by_file.setdefault(entry[2].text.path, []).append(entry)
    for other, entries in by_file.items():
        if len(entries) > _COPY_THRESHOLD and other != text.path:
            ids = ", ".join(f"{kind} '{placed.record.id}'" for kind, placed, _ in entries[:3])
            message = (
                f"this file defines {len(entries)} records that {other} already defines in "
                f"dataset '{dataset}' ({ids}, …): a dataset may span several files, but each "
                "record is defined once — remove one of the copies, or give this file's "
                "records another dataset name"
            )
            yield Issue(text.path, text.line_of(("dataset",)), "dataset", None, message)
            continue
        for kind, placed, first in entries:
            yield placed.issue(
                ("id",),
                f"duplicate {kind} id '{placed.record.id}' in dataset '{dataset}': "
                f"first defined at {first.where}",
            )
