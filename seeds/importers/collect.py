"""Collecting an import's records: deduplicated sources and actors, and where each came from.

An importer maps rows to records and hands them here. Sources are deduplicated by a key the
importer chooses (a URL, an article's outlet, date and headline), actors by their ID in the
imported dataset; every record remembers the line it was first read from, so the loader's
checks (dangling references, duplicate IDs) report file lines, as the importer's own do.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schema.records import (
    ActorRecord,
    DatasetInfo,
    EventRecord,
    FigureRecord,
    SeedFile,
    SourceRecord,
)
from seeds.files import Loc, SeedText
from seeds.importers.reading import Problems

M = TypeVar("M", bound=BaseModel)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, limit: int = 60) -> str:
    """`text` as slug characters: ASCII letters and digits joined by '-' (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")


def short_hash(*parts: str, size: int = 6) -> str:
    """A short, stable hex digest of `parts` (for slugs of things without an ID)."""
    joined = "\x1f".join(parts).encode()
    return hashlib.blake2b(joined, digest_size=size).hexdigest()


@dataclass
class ImportedText(SeedText):
    """The imported file as the loader sees it: records point back to the file's lines."""

    record_lines: dict[Loc, int] = field(default_factory=dict, repr=False)

    def line_of(self, loc: Loc) -> int | None:
        """The line of the file the record at `loc` (e.g. `('events', 12, 'date')`) came from."""
        return self.record_lines.get(loc[:2])


@dataclass
class Imported:
    """An import's outcome: the records as one seed file, its lines, and the issues found."""

    seed: SeedFile
    text: ImportedText
    problems: Problems
    #: Data rows read from the file.
    rows: int


class Collector:
    """Gathers the records of one import, deduplicating sources and actors."""

    def __init__(self, path: str, dataset: DatasetInfo, problems: Problems) -> None:
        self.path = path
        self.dataset = dataset
        self.problems = problems
        self.sources: dict[str, SourceRecord] = {}
        self.actors: dict[str, ActorRecord] = {}
        self.events: list[EventRecord] = []
        self.figures: list[FigureRecord] = []
        self._source_keys: dict[str, str] = {}
        self._actor_keys: dict[str, str] = {}
        self._slug_keys: dict[str, str] = {}
        self._lines: dict[tuple[str, str], int] = {}
        self._event_lines: list[int] = []
        self._figure_lines: list[int] = []

    def make(self, model: type[M], line: int, **values: Any) -> M | None:
        """`model(**values)`, or None with an error at `line` naming each invalid field."""
        try:
            return model(**values)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                where = ".".join(str(part) for part in detail["loc"]) or model.__name__
                message = str(detail["msg"]).removeprefix("Value error, ")
                self.problems.error(line, None, f"{_kind(model)} {where}: {message}")
            return None

    def source(self, key: str, line: int, build: Callable[[], SourceRecord | None]) -> str | None:
        """The slug of the source with `key`, built on first sight; None if it was invalid."""
        slug = self._source_keys.get(key)
        if slug is not None or key in self._source_keys:
            return slug
        record = build()
        self._source_keys[key] = record.id if record else ""
        if record is None:
            return None
        self.sources[record.id] = record
        self._lines[("sources", record.id)] = line
        return record.id

    def actor_slug(self, key: str, base: str) -> str:
        """The slug of the actor identified by `key`: `base`, unless another key took it."""
        slug = self._actor_keys.get(key)
        if slug is None:
            slug = base or f"actor-{short_hash(key)}"
            if self._slug_keys.setdefault(slug, key) != key:
                slug = f"{slug}-{short_hash(key)}"
                self._slug_keys[slug] = key
            self._actor_keys[key] = slug
        return slug

    def has_actor(self, slug: str) -> bool:
        """Whether an actor with this slug was collected."""
        return slug in self.actors

    def actor(self, record: ActorRecord | None, line: int) -> str | None:
        """Keep `record` unless an actor with its slug is there (then add its name as an alias)."""
        if record is None:
            return None
        if record.id in self.actors:
            self.alias(record.id, record.name)
        else:
            self.actors[record.id] = record
            self._lines[("actors", record.id)] = line
        return record.id

    def alias(self, slug: str, name: str) -> None:
        """Note another name the collected actor `slug` appears under."""
        known = self.actors[slug]
        if name != known.name and name not in known.aliases:
            self.actors[slug] = known.model_copy(update={"aliases": [*known.aliases, name]})

    def event(self, record: EventRecord | None, line: int) -> None:
        """Add an event read at `line`."""
        if record is not None:
            self.events.append(record)
            self._event_lines.append(line)

    def figure(self, record: FigureRecord | None, line: int) -> None:
        """Add a figure read at `line`."""
        if record is not None:
            self.figures.append(record)
            self._figure_lines.append(line)

    def finish(self, rows: int) -> Imported:
        """The collected records as one seed file (sources and actors sorted by slug)."""
        sources = [self.sources[slug] for slug in sorted(self.sources)]
        actors = [self.actors[slug] for slug in sorted(self.actors)]
        seed = SeedFile(
            dataset=self.dataset,
            sources=sources,
            actors=actors,
            events=self.events,
            figures=self.figures,
        )
        lines: dict[Loc, int] = {}
        for i, source in enumerate(sources):
            lines[("sources", i)] = self._lines[("sources", source.id)]
        for i, actor in enumerate(actors):
            lines[("actors", i)] = self._lines[("actors", actor.id)]
        lines.update({("events", i): line for i, line in enumerate(self._event_lines)})
        lines.update({("figures", i): line for i, line in enumerate(self._figure_lines)})
        text = ImportedText(path=self.path, data={}, is_json=False, text="", record_lines=lines)
        return Imported(seed=seed, text=text, problems=self.problems, rows=rows)


def _kind(model: type[BaseModel]) -> str:
    return model.__name__.removesuffix("Record").lower()
