"""The filter and sort arguments of connections, one set per kind of node.

Every connection to events takes the same `filter` and `orderBy`, whichever record it hangs
off; `gql.types.fields.connection` adds them (after the Relay arguments) to each connection
field made for that kind, and `gql.types.fields.root_connection` to the root connection of
that kind (`Query.events`), followed by `search`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gql.types.filter_inputs import (
    ActorFilter,
    EventFilter,
    EventLinkFilter,
    FigureFilter,
    ParticipationFilter,
    SourceFilter,
    StatementFilter,
)
from gql.types.ordering import ActorOrder, EventOrder, FigureOrder, SourceOrder, StatementOrder


@dataclass(frozen=True)
class PageArguments:
    """A connection's `filter` input type and, if it can be sorted, its `orderBy` enum."""

    filter: type
    filter_description: str
    order: type | None = None
    #: What the records are sorted by when `orderBy` is not given (e.g. "date").
    order_default: str = ""

    @property
    def order_description(self) -> str:
        """The description of `orderBy` on a nested connection."""
        return f"Sort keys; default: {self.order_default}."

    @property
    def root_order_description(self) -> str:
        """The description of `orderBy` on a root connection."""
        return (
            f"Sort keys, applied in turn (default: {self.order_default}); the primary key is "
            "always the final tiebreaker, so the order is total and cursors are stable."
        )


EVENTS = PageArguments(EventFilter, "Only events matching this.", EventOrder, "date")
ACTORS = PageArguments(ActorFilter, "Only actors matching this.", ActorOrder, "name")
STATEMENTS = PageArguments(
    StatementFilter, "Only statements matching this.", StatementOrder, "date said"
)
FIGURES = PageArguments(FigureFilter, "Only figures matching this.", FigureOrder, "as-of date")
SOURCES = PageArguments(
    SourceFilter, "Only sources matching this.", SourceOrder, "publication date"
)
PARTICIPATIONS = PageArguments(
    ParticipationFilter,
    "Only parts matching this, e.g. `{role: {equalTo: PERPETRATOR}}`.",
)
EVENT_LINKS = PageArguments(EventLinkFilter, "Only links matching this.")
