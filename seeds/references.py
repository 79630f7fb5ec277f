"""Checks that references between records hold: every slug names a record of the right kind in
the same dataset, `parent` and `part_of` chains end, lists name nothing twice, and no two
records share a database key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from schema.ids import dataset_id, record_id
from seeds.files import Loc
from seeds.issues import Issue
from seeds.seedset import DatasetSeed, Placed, SeedSet

#: Slugs that may exist in files that failed validation, by dataset (None: dataset unknown)
#: and kind. A reference to one of them is not reported: the file's own errors say enough.
Unverifiable = dict[str | None, dict[str, set[str]]]


def check_references(seeds: SeedSet, unverifiable: Unverifiable) -> list[Issue]:
    """Every dangling, duplicated or cyclic reference in the datasets."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        known = _known(dataset, unverifiable)
        for kind, placed in dataset.provenanced():
            for field, target_kind, slug in _references(kind, placed):
                if slug not in known(target_kind):
                    message = f"no {target_kind} '{slug}' in dataset '{dataset.name}'"
                    issues.append(placed.issue(field, message))
            issues.extend(_repeats(kind, placed))
        issues.extend(_cycles(dataset.actors, "parent"))
        issues.extend(_cycles(dataset.figures, "part_of"))
    return issues


def _known(dataset: DatasetSeed, unverifiable: Unverifiable) -> Callable[[str], set[str]]:
    def known(kind: str) -> set[str]:
        extra = unverifiable.get(dataset.name, {}).get(kind, set())
        anywhere = unverifiable.get(None, {}).get(kind, set())
        return set(dataset.of_kind(kind)) | extra | anywhere

    cache: dict[str, set[str]] = {}
    return lambda kind: cache[kind] if kind in cache else cache.setdefault(kind, known(kind))


def _references(kind: str, placed: Placed[Any]) -> Iterator[tuple[Loc, str, str]]:
    """(field path, kind referred to, slug) for every reference a record makes."""
    record = placed.record
    if record.source is not None:
        yield ("source",), "source", record.source
    if kind == "actor" and record.parent is not None:
        yield ("parent",), "actor", record.parent
    elif kind == "event":
        for i, link in enumerate(record.links):
            yield ("links", i, "event"), "event", link.event
        for i, participant in enumerate(record.participants):
            yield ("participants", i, "actor"), "actor", participant.actor
    elif kind == "statement":
        yield ("speaker",), "actor", record.speaker
        for i, slug in enumerate(record.about_events):
            yield ("about_events", i), "event", slug
        for i, slug in enumerate(record.about_actors):
            yield ("about_actors", i), "actor", slug
    elif kind == "figure":
        for name, target in (
            ("event", "event"),
            ("claimant", "actor"),
            ("statement", "statement"),
            ("part_of", "figure"),
            ("counted_actor", "actor"),
        ):
            slug = getattr(record, name)
            if slug is not None:
                yield (name,), target, slug


def _repeats(kind: str, placed: Placed[Any]) -> Iterator[Issue]:
    """Entries that would become the same row of a link table."""
    record = placed.record
    lists: list[tuple[str, list[Any]]]
    if kind == "event":
        for i, link in enumerate(record.links):
            if link.event == record.id:
                yield placed.issue(("links", i, "event"), "an event cannot link to itself")
        lists = [
            ("links", [(link.kind, link.event) for link in record.links]),
            ("participants", [(p.actor, p.role) for p in record.participants]),
        ]
    elif kind == "statement":
        lists = [("about_events", record.about_events), ("about_actors", record.about_actors)]
    else:
        return
    for name, entries in lists:
        if len(set(entries)) == len(entries):
            continue
        seen: set[Any] = set()
        for i, entry in enumerate(entries):
            if entry in seen:
                yield placed.issue((name, i), f"{_describe(name, entry)} is listed twice")
            seen.add(entry)


def _describe(name: str, entry: Any) -> str:
    if name == "links":
        return f"link '{entry[0].value}' to '{entry[1]}'"
    if name == "participants":
        return f"'{entry[0]}' as '{entry[1].value}'"
    return f"{name.removeprefix('about_').rstrip('s')} '{entry}'"


def _cycles(records: dict[str, Placed[Any]], field: str) -> Iterator[Issue]:
    """Reports each chain of `field` references that comes back to where it started, once."""
    done: set[str] = set()
    for start in sorted(records):
        path: list[str] = []
        on_path: set[str] = set()
        slug: str | None = start
        while slug is not None and slug in records and slug not in done:
            if slug in on_path:
                cycle = path[path.index(slug) :]
                chain = " -> ".join([*cycle, slug])
                yield records[slug].issue((field,), f"`{field}` goes round in a circle: {chain}")
                break
            path.append(slug)
            on_path.add(slug)
            slug = getattr(records[slug].record, field)
        done.update(path)


def check_key_collisions(seeds: SeedSet) -> list[Issue]:
    """Two records whose slugs hash to the same database key (astronomically rare, but fatal)."""
    owners: dict[int, str] = {}
    issues: list[Issue] = []
    for name, dataset in seeds.datasets.items():
        owners.setdefault(dataset_id(name), f"dataset '{name}'")
        for kind in ("source", "actor", "event", "statement", "figure"):
            for slug, placed in dataset.of_kind(kind).items():
                key = record_id(name, kind, slug)
                label = f"{kind} '{slug}' of dataset '{name}'"
                owner = owners.setdefault(key, label)
                if owner != label:
                    message = f"its database key {key} is also that of {owner}: rename one"
                    issues.append(placed.issue(("id",), message))
    return issues
