"""Documented arguments shared by connection fields (Relay paging, search)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.search_query import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS

First = Annotated[
    int | None,
    strawberry.argument(
        description="Return the first n records (after `after`, if given). Default 20, at most "
        "100: a larger number is an error, not a silent cap."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return records after this cursor (an `endCursor` or edge `cursor`)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="Return the last n records (before `before`, if given). At most 100."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Return records before this cursor (a `startCursor` or edge `cursor`)."
    ),
]
Search = Annotated[
    str | None,
    strawberry.argument(
        description="Full-text search: only records whose text contains all the words, in any "
        "form ('arrest' finds 'arrested'), the same on every database. The text searched is "
        "what the record says and the words it was read from: an event's title, description, "
        "place and evidence sentence, and the headline of its source when that source has no "
        "text of its own (an imported article, such as UCDP's); an actor's name, aliases and "
        "title; a statement's words, attribution and evidence; a figure's words (`raw`), "
        "attribution and evidence (not the coder's `note`); a source's headline and text. "
        'Syntax: `"tear gas"` finds the words '
        "next to each other; `OR` (in capitals) between two terms finds either (`riots almaty "
        'OR aktau` is riots and almaty-or-aktau); `-word` or `-"a phrase"` leaves out '
        "records that contain it. Nothing else is syntax: other punctuation separates words. "
        f"Common English words ('the', 'of', 'or') are not searched. At most {MAX_SEARCH_WORDS} "
        f"words (quoted and excluded ones count) and {MAX_SEARCH_LENGTH} characters; more is "
        "an error, as is a search with nothing to look for (only -exclusions, or only common "
        "words). A search without any word matches everything. Results keep the `orderBy` "
        "order; `orderBy: [{field: RELEVANCE}]` puts the best matches first. The filter key "
        "`search` searches related records the same way (events whose actors match: "
        '`filter: {actor: {search: "CSTO"}}`).'
    ),
]
