"""The search syntax: a user's search text parsed into a small query, the same on every database.

    riots almaty          records with every word, in any form ('arrest' finds 'arrested')
    "tear gas"            the words next to each other, in this order
    protest OR rally      either term: OR in capitals, between two terms
    -arrest  -"tear gas"  without this word or phrase

Nothing else is syntax. Punctuation separates words, and a word written with punctuation inside
(`thousands-strong`, `5,100`) is searched as a phrase of its parts. OR binds its two neighbours
only, so `riots almaty OR aktau` is riots AND (almaty OR aktau). Common English words (`the`,
`of`, `or`: PostgreSQL's English stop words) are left out on both databases, as PostgreSQL's index
leaves them out. `schema.search` renders a `SearchQuery` for SQLite FTS5 or PostgreSQL; user text
never reaches either query language as syntax, because every word is letters and digits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema.filter_specs import FilterError

#: The most words a search may hold (words inside quotes and after `-` count too).
MAX_SEARCH_WORDS = 32
#: The longest search text, in characters.
MAX_SEARCH_LENGTH = 500

#: One word, or the words of a phrase: lower-case letters and digits only.
Term = tuple[str, ...]

_WORD = re.compile(r"[^\W_]+")
_EXCLUDE = "-"
_QUOTE = '"'
_OR = "OR"
#: PostgreSQL's English stop words (tsearch_data/english.stop): its index holds none of them.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)


class SearchError(FilterError):
    """A search that cannot run: only exclusions, only common words, or over a limit."""


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for: every group must match (a group matches when one of its terms
    does), and no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True)
class _Token:
    words: Term
    excluded: bool = False
    is_or: bool = False


def parse_search(text: str) -> SearchQuery | None:
    """The query a search text stands for; None when it has no word at all (nothing to narrow).

    Raises `SearchError` for a text over `MAX_SEARCH_LENGTH` characters or `MAX_SEARCH_WORDS`
    words, and for one with nothing to look for (only exclusions, or only common words).
    """
    if len(text) > MAX_SEARCH_LENGTH:
        raise SearchError(
            f"search too long: {len(text)} characters, at most {MAX_SEARCH_LENGTH}; "
            "search for fewer words"
        )
    tokens = [token for token in _tokens(text) if token.words or token.is_or]
    if not tokens:
        return None
    n_words = sum(len(token.words) for token in tokens)
    if n_words > MAX_SEARCH_WORDS:
        raise SearchError(
            f"search word limit exceeded: {n_words} words, at most {MAX_SEARCH_WORDS} (words "
            "in quotes and after - count too)"
        )
    kept = [token for token in map(_without_stop_words, tokens) if token.words or token.is_or]
    groups = _groups(kept)
    excluded = tuple(token.words for token in kept if token.excluded)
    if not groups:
        if excluded:
            raise SearchError(
                "a search needs at least one word to look for: -word only leaves out records "
                "that contain the other words"
            )
        raise SearchError(
            f"nothing to search for in {_show(text)}: common words such as 'the', 'of' and "
            "'or' are not searched; add a more specific word"
        )
    return SearchQuery(groups, excluded)


def _tokens(text: str) -> list[_Token]:
    """The terms and ORs of a text, left to right."""
    tokens: list[_Token] = []
    i, end = 0, len(text)
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        excluded = text[i] == _EXCLUDE and i + 1 < end and not text[i + 1].isspace()
        if excluded:
            i += 1
        if text[i] == _QUOTE:
            close = text.find(_QUOTE, i + 1)
            stop = end if close < 0 else close
            tokens.append(_Token(_words(text[i + 1 : stop]), excluded))
            i = stop + 1
            continue
        start = i
        while i < end and not text[i].isspace() and text[i] != _QUOTE:
            i += 1
        body = text[start:i]
        if body == _OR and not excluded:
            tokens.append(_Token((), is_or=True))
        else:
            tokens.append(_Token(_words(body), excluded))
    return tokens


def _words(text: str) -> Term:
    return tuple(word.lower() for word in _WORD.findall(text))


def _without_stop_words(token: _Token) -> _Token:
    """The token without leading and trailing stop words (PostgreSQL would skip them too).

    Stop words inside a phrase stay: they keep the phrase's other words apart on SQLite, as
    PostgreSQL keeps their positions.
    """
    words = list(token.words)
    while words and words[0] in STOP_WORDS:
        words.pop(0)
    while words and words[-1] in STOP_WORDS:
        words.pop()
    return _Token(tuple(words), token.excluded, token.is_or)


def _groups(tokens: list[_Token]) -> tuple[tuple[Term, ...], ...]:
    """Wanted terms grouped by OR; an OR that does not stand between two wanted terms is the
    common word 'or' and is left out."""
    groups: list[list[Term]] = []
    joining = False
    previous: _Token | None = None
    for token in tokens:
        if token.is_or:
            joining = previous is not None and not previous.excluded and not previous.is_or
        elif not token.excluded:
            if joining and groups:
                groups[-1].append(token.words)
            else:
                groups.append([token.words])
            joining = False
        else:
            joining = False
        previous = token
    return tuple(tuple(dict.fromkeys(group)) for group in dict.fromkeys(map(tuple, groups)))


def _show(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."
