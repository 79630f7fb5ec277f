"""Checks that references between records hold: every slug names a record of the right kind in
the same dataset, chains of one kind (`parent`, `part_of`) end, lists name nothing twice, and
no two records share a database key.

Which fields are references comes from `schema.catalogue`, so a reference declared there is
checked here with no further code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from schema.catalogue import RECORD_KINDS, LinkList
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
        for spec in RECORD_KINDS.values():
            for ref in spec.references:
                if ref.kind == spec.name:  # a chain of one kind (`parent`) must end
                    issues.extend(_cycles(dataset.of_kind(spec.name), ref.field))
    return issues


class RawRecord:
    """A record that failed validation, read as it stands (`record.actor` is the raw value),
    so that its references can still be checked in the same run as its other problems."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        value = self._data.get(name)
        if isinstance(value, list):
            return [RawRecord(item) if isinstance(item, Mapping) else item for item in value]
        return RawRecord(value) if isinstance(value, Mapping) else value


def check_dropped_references(
    seeds: SeedSet, dropped: Iterable[tuple[str, Placed[Any]]], unverifiable: Unverifiable
) -> list[Issue]:
    """Dangling references in records that failed validation (read raw: only slugs given as
    text are checked), so a missing actor is reported with the record's other problems."""
    issues: list[Issue] = []
    for name, placed in dropped:
        kind = str(placed.loc[0]).removesuffix("s")
        dataset = seeds.datasets.get(name)
        if dataset is None or kind not in RECORD_KINDS:
            continue
        known = _known(dataset, unverifiable)
        for field, target_kind, slug in _references(kind, placed):
            if isinstance(slug, str) and slug not in known(target_kind):
                message = f"no {target_kind} '{slug}' in dataset '{dataset.name}'"
                issues.append(placed.issue(field, message))
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
    record, spec = placed.record, RECORD_KINDS[kind]
    if spec.provenance and record.source is not None:
        yield ("source",), "source", record.source
    for ref in spec.references:
        slug = getattr(record, ref.field)
        if slug is not None:
            yield (ref.field,), ref.kind, slug
    for link in spec.links:
        target = link.target
        items = getattr(record, link.field)
        for i, item in enumerate(items if isinstance(items, list) else []):  # raw: anything
            if target.field:
                yield (link.field, i, target.field), target.kind, getattr(item, target.field)
            else:
                yield (link.field, i), target.kind, item
            for ref in link.references:
                slug = getattr(item, ref.field)
                if slug is not None:
                    yield (link.field, i, ref.field), ref.kind, slug


def _entry(link: LinkList, item: Any) -> tuple[tuple[str, Any], ...]:
    """The item's (field, value) for each column of the link table's key, its owner aside:
    two items with equal entries would be one row."""
    if not link.target.field:
        return ((link.target.kind, item),)
    fields = {column: name for name, column in link.columns.items()}
    fields[link.target.column] = link.target.field
    return tuple(
        (fields[column], getattr(item, fields[column]))
        for column in link.key
        if column != link.owner
    )


def _repeats(kind: str, placed: Placed[Any]) -> Iterator[Issue]:
    """Entries that would become the same row of a link table, and links to the record itself."""
    record = placed.record
    for link in RECORD_KINDS[kind].links:
        seen: set[tuple[tuple[str, Any], ...]] = set()
        for i, item in enumerate(getattr(record, link.field)):
            slug = getattr(item, link.target.field) if link.target.field else item
            if link.target.kind == kind and slug == record.id:
                where = (link.field, i, link.target.field) if link.target.field else (link.field, i)
                yield placed.issue(where, f"`{link.field}` names this {kind} itself")
            entry = _entry(link, item)
            if entry in seen:
                yield placed.issue(
                    (link.field, i), f"`{link.field}` lists {_describe(entry)} twice"
                )
            seen.add(entry)


def _describe(entry: tuple[tuple[str, Any], ...]) -> str:
    (first, slug), *rest = entry
    more = "".join(f" with {name} '{getattr(value, 'value', value)}'" for name, value in rest)
    return f"{first} '{slug}'{more}"


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
        for kind in RECORD_KINDS:
            for slug, placed in dataset.of_kind(kind).items():
                key = record_id(name, kind, slug)
                label = f"{kind} '{slug}' of dataset '{name}'"
                owner = owners.setdefault(key, label)
                if owner != label:
                    message = f"its database key {key} is also that of {owner}: rename one"
                    issues.append(placed.issue(("id",), message))
    return issues
