"""Documented arguments shared by connection fields (Relay paging, search)."""

from __future__ import annotations

from typing import Annotated

import strawberry

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
        description="Full-text search: only records whose text (title, description, quote, "
        "figure words, source text) contains all the words, in any form ('arrest' finds "
        "'arrested'). Operators and punctuation are plain text; a search without any word "
        "matches everything. Results keep the `orderBy` order."
    ),
]
