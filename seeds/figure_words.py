"""Checks that a figure's numbers say what its words say.

A figure keeps the source's words (`raw: more than 5,100 people`) beside the numbers a coder
read from them (`qualifier: more_than`, `lower: 5100`). The two are typed separately, so they
can disagree without anyone noticing: `lower: 5200` under "more than 5,100", or
`qualifier: exact` under "about 300". This module reads the words the way a careful coder
would, and reports every disagreement with the field that disagrees.

What is read, from the first quantity in the words:

- numerals (`5,100`, `300`, `1.5 million`) and written-out numbers (`two`, `twenty-five`,
  `three hundred`, `a dozen`);
- the qualifier before them: "about", "around", "nearly" … (`about`); "more than", "over"
  (`more_than`); "at least" (`at_least`); "up to", "as many as" (`up_to`); "fewer than",
  "less than", "under" (`less_than`); "between N and M", "N to M", "N-M" (`between`);
- vague quantities ("dozens", "hundreds", "thousands-strong", "several") — `vague`, with no
  number to compare;
- "none", "nobody", "zero", "no deaths" — a real zero: such words under a positive number are
  reported.

Words without any of these ("unknown number", "an unspecified number") are not compared.
Wherever evidence is given, `raw` must occur in it (the words are a part of the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from schema.enums import FigureQualifier, FigureStatus
from schema.records import FigureRecord
from seeds.issues import Issue
from seeds.provenance import find_span
from seeds.seedset import Placed, SeedSet

Q = FigureQualifier

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1, "single": 1,
}  # fmt: skip
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000}
_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: One number: a numeral with an optional scale word, or a run of number words.
_NUMBER = (
    rf"(?:(?:{_NUMERAL})(?:\s+(?:{'|'.join(_SCALES)}))?"
    rf"|(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)(?![\w,])"
)
_QUALIFIERS: tuple[tuple[str, FigureQualifier], ...] = (
    (r"more than|over|in excess of|upwards of|above", Q.MORE_THAN),
    (r"at least|no fewer than|no less than|a minimum of|not less than", Q.AT_LEAST),
    (r"up to|as many as|at most|no more than|a maximum of|not more than", Q.UP_TO),
    (r"fewer than|less than|under|below", Q.LESS_THAN),
    (
        r"about|around|approximately|approx\.|roughly|nearly|almost|some|an estimated|"
        r"estimated|close to|circa|an approximate",
        Q.ABOUT,
    ),
)
_RANGE = re.compile(
    rf"\b(?:between\s+)?(?P<low>{_NUMBER})\s*(?:and|to|-|–|—)\s*(?P<high>{_NUMBER})",
    re.IGNORECASE,
)
_QUALIFIED = re.compile(
    r"\b(?:(?P<qualifier>"
    + "|".join(f"(?:{words})" for words, _ in _QUALIFIERS)
    + rf")\s+)?(?P<number>{_NUMBER})",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:dozens|scores|hundreds|thousands|tens of thousands|hundreds of thousands|millions|"
    r"several|many|numerous|a few|a number of|countless)\b",
    re.IGNORECASE,
)
#: Words for a real zero. A bare "no" is not one ("no figure given" means not reported).
_NONE = re.compile(r"\b(?:none|nobody|zero|not a single|no (?:one|deaths?|casualties))\b", re.I)


@dataclass(frozen=True)
class WordsReading:
    """What a figure's words say: a qualifier and the numbers it applies to."""

    qualifier: FigureQualifier
    #: The number(s) in the words: one, or (low, high) for a range; none for vague words.
    numbers: tuple[int, ...] = ()
    #: The words say there were none (a real zero).
    none: bool = False


def read_words(raw: str) -> WordsReading | None:
    """The qualifier and numbers in a figure's words, or None if they state no quantity."""
    ranges = [(m.span(), r) for m in _RANGE.finditer(raw) if (r := _range(m)) is not None]
    singles = [(m.span(), r) for m in _QUALIFIED.finditer(raw) if (r := _single(m)) is not None]
    # A number that starts a range is read with it: "about 100-200" is a range.
    singles = [(span, r) for span, r in singles if not any(_overlap(span, o) for o, _ in ranges)]
    found = sorted([*ranges, *singles], key=lambda pair: pair[0])
    if found:
        return found[0][1]  # the first quantity in the words
    if _VAGUE.search(raw):
        return WordsReading(Q.VAGUE)
    if _NONE.search(raw):
        return WordsReading(Q.EXACT, (0,), none=True)
    return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _range(match: re.Match[str]) -> WordsReading | None:
    low, high = _number(match["low"]), _number(match["high"])
    if low is None or high is None or low >= high:
        return None
    return WordsReading(Q.BETWEEN, (low, high))


def _single(match: re.Match[str]) -> WordsReading | None:
    value = _number(match["number"])
    return None if value is None else WordsReading(_qualifier(match["qualifier"]), (value,))


def _qualifier(words: str | None) -> FigureQualifier:
    if words is None:
        return Q.EXACT
    for pattern, qualifier in _QUALIFIERS:
        if re.fullmatch(pattern, words.lower()):
            return qualifier
    return Q.EXACT


def _number(text: str) -> int | None:
    """`5,100` → 5100, `1.5 million` → 1500000, `twenty-five` → 25, `a dozen` → 12."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if words and re.fullmatch(r"\d+(?:\.\d+)?", words[0]):
        number = float(words[0])
        for word in words[1:]:
            number *= _SCALES[word]
        return round(number)
    total = current = 0
    for word in words:
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        else:  # thousand, million: close a group ("three hundred thousand")
            total += max(current, 1) * _SCALES[word]
            current = 0
    number = total + current
    # "a" alone is not a number ("a protest"); only as part of "a dozen", "a hundred".
    return number if number and words not in (["a"], ["an"], ["single"]) else None


def check_figure_words(seeds: SeedSet) -> list[Issue]:
    """Every figure whose numbers, qualifier or status disagree with its raw words."""
    issues: list[Issue] = []
    for dataset in seeds.datasets.values():
        for placed in dataset.figures.values():
            issues.extend(_check(placed))
    return issues


def _check(placed: Placed[FigureRecord]) -> Iterator[Issue]:
    figure = placed.record
    if figure.raw is None:
        return
    if figure.evidence is not None and find_span(figure.evidence, figure.raw) is None:
        yield placed.issue(("raw",), f"the words {figure.raw!r} do not occur in the evidence")
    reading = read_words(figure.raw)
    if reading is None:
        return
    said = f"the words {figure.raw!r}"
    if reading.none:
        if figure.status is FigureStatus.VALUE and any((figure.value, figure.lower)):
            yield placed.issue(("status",), f"{said} say there were none: use status 'none'")
        return
    if figure.status is not FigureStatus.VALUE:
        yield placed.issue(
            ("status",), f"{said} give a quantity, but status is '{figure.status.value}'"
        )
        return
    if figure.qualifier is not reading.qualifier:
        yield placed.issue(
            ("qualifier",),
            f"{said} read as '{reading.qualifier.value}', but qualifier is "
            f"'{figure.qualifier.value}'",
        )
        return
    for field, stated in zip(_fields(figure), reading.numbers, strict=False):
        given = getattr(figure, field)
        if given != stated:
            yield placed.issue((field,), f"{field} is {_shown(given)}, but {said} say {stated:,}")


def _fields(figure: FigureRecord) -> tuple[str, ...]:
    """The fields that hold the words' numbers, in order, for the figure's qualifier."""
    q = figure.qualifier
    if q is Q.BETWEEN:
        return ("lower", "upper")
    if q in (Q.MORE_THAN, Q.AT_LEAST):
        return ("lower",) if figure.value is None else ("value",)
    if q in (Q.UP_TO, Q.LESS_THAN):
        return ("upper",) if figure.value is None else ("value",)
    return ("value",)


def _shown(value: Any) -> str:
    return "not given" if value is None else f"{value:,}"
