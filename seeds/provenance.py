"""Checks that each record's evidence is really in its source, and where.

Evidence must occur verbatim in the source's text. Line breaks and runs of spaces are the
one freedom allowed: a sentence quoted on one line of YAML still matches the same sentence
wrapped over two lines of the source text. Everything else (case, punctuation, typographic
quotes) must match exactly; the offsets of the first occurrence are stored with the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import pycountry

from seeds.issues import Issue
from seeds.seedset import DatasetSeed, Placed, SeedSet

#: Codes in common use that ISO 3166-1 leaves to users (Kosovo, in UCDP and ACLED alike).
_USER_ASSIGNED = {"XK": "Kosovo"}


def find_span(text: str, evidence: str) -> tuple[int, int] | None:
    """Start and end offsets of `evidence` in `text`, treating any whitespace run as equal."""
    start = text.find(evidence)
    if start >= 0:
        return start, start + len(evidence)
    words = evidence.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return None if match is None else match.span()


@cache
def country_name(code: str) -> str | None:
    """The English short name of an ISO 3166-1 alpha-2 code, or None if there is no such code."""
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        return str(country.name)
    return _USER_ASSIGNED.get(code)


def check_provenance(seeds: SeedSet) -> list[Issue]:
    """Locate every evidence span (setting `Placed.span`) and check country codes."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        for kind, placed in dataset.provenanced():
            issues.extend(_check_evidence(dataset, kind, placed))
            issues.extend(_check_countries(kind, placed))
    return issues


def check_dropped_evidence(
    seeds: SeedSet, dropped: Iterable[tuple[str, Placed[Any]]]
) -> list[Issue]:
    """Evidence of records that failed validation (read raw), reported with their other
    problems rather than after those are fixed."""
    issues: list[Issue] = []
    for name, placed in dropped:
        dataset = seeds.datasets.get(name)
        kind = str(placed.loc[0]).removesuffix("s")
        if dataset is not None and kind != "source" and isinstance(placed.source, str):
            issues.extend(_check_evidence(dataset, kind, placed))
    return issues


def _source_text(dataset: DatasetSeed, placed: Placed[Any]) -> tuple[str, str] | None:
    source = dataset.sources.get(placed.source) if placed.source else None
    if source is None or not source.record.text:
        return None
    return source.record.id, source.record.text


def _check_evidence(dataset: DatasetSeed, kind: str, placed: Placed[Any]) -> Iterator[Issue]:
    found = _source_text(dataset, placed)
    if found is None:
        return
    slug, text = found
    record = placed.record
    if isinstance(record.evidence, str):
        placed.span = find_span(text, record.evidence)
        if placed.span is None:
            yield placed.issue(("evidence",), _not_found(record.evidence, slug))
    if kind == "event":
        for name, entries in (("links", record.links), ("participants", record.participants)):
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
                evidence = getattr(entry, "evidence", None)  # a raw record's entry: anything
                if isinstance(evidence, str) and find_span(text, evidence) is None:
                    yield placed.issue((name, i, "evidence"), _not_found(evidence, slug))


def _not_found(evidence: str, source: str) -> str:
    shown = evidence if len(evidence) <= 80 else evidence[:77] + "..."
    return f"evidence does not occur verbatim in the text of source '{source}': {shown!r}"


def _check_countries(kind: str, placed: Placed[Any]) -> Iterator[Issue]:
    record = placed.record
    if kind == "actor" and record.country is not None:
        field: tuple[str, ...] = ("country",)
        code: str | None = record.country
    elif kind == "event" and record.location is not None:
        field, code = ("location", "country"), record.location.country
    else:
        return
    if code is not None and country_name(code) is None:
        yield placed.issue(field, f"'{code}' is not an ISO 3166-1 alpha-2 country code")
