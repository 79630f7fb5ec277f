"""The filter and sort arguments of nested connections, one set per kind of node.

Every connection to events takes the same `filter` and `orderBy`, whichever record it hangs
off; `gql.types.fields.connection` adds them (after the Relay arguments) to each connection
field made for that kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from gql.ordering import ActorOrder, EventOrder, FigureOrder, SourceOrder, StatementOrder
from gql.record_filters import (
    ActorFilter,
    EventFilter,
    EventLinkFilter,
    FigureFilter,
    ParticipationFilter,
    SourceFilter,
    StatementFilter,
)


@dataclass(frozen=True)
class PageArguments:
    """A connection's `filter` input type and, if it can be sorted, its `orderBy` enum."""

    filter: type
    filter_description: str
    order: type | None = None
    order_description: str = ""


EVENTS = PageArguments(
    EventFilter, "Only events matching this.", EventOrder, "Sort keys; default: date."
)
ACTORS = PageArguments(
    ActorFilter, "Only actors matching this.", ActorOrder, "Sort keys; default: name."
)
STATEMENTS = PageArguments(
    StatementFilter,
    "Only statements matching this.",
    StatementOrder,
    "Sort keys; default: date said.",
)
FIGURES = PageArguments(
    FigureFilter, "Only figures matching this.", FigureOrder, "Sort keys; default: as-of date."
)
SOURCES = PageArguments(
    SourceFilter,
    "Only sources matching this.",
    SourceOrder,
    "Sort keys; default: publication date.",
)
PARTICIPATIONS = PageArguments(
    ParticipationFilter,
    "Only parts matching this, e.g. `{role: {equalTo: PERPETRATOR}}`.",
)
EVENT_LINKS = PageArguments(EventLinkFilter, "Only links matching this.")
