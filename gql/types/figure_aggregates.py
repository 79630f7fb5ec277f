"""Figure aggregates: counts per kind, and low/best/high totals that never double count.

Totals add figures up by the rules in `schema.figures` (quoted in the field descriptions),
which never count a figure inside another counted figure twice. Adding up is CPU work, done in
one of the app's worker threads (`gql.execution.workers`), so the event loop keeps answering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gql.context import Info
from gql.data import listing
from gql.data.grouped import flat_totals
from gql.data.grouping import figure_ancestors, figure_facts, grouped_counts
from gql.execution.runtime import EventqlSchema
from gql.types.aggregates import LARGEST, KindCount, list_cap, top
from gql.types.groups import (
    FigureGroup,
    FigureGroupKey,
    FigureGroupOrder,
    grouped_figures,
    total_fields,
)
from gql.types.list_fields import GroupsFirst, Scope, by_id, count, selects_any
from schema import enums
from schema.figure_totals import MEASURES
from schema.figures import Total, add_up, facts, total_order

if TYPE_CHECKING:
    from gql.types.actor import ActorType
    from gql.types.figure import FigureType


#: A total's field listing its counted figures: only the rule over the figures knows them.
_COUNTED_LIST = frozenset({"figures"})


@strawberry.type(
    description="The total of one kind of figure (and unit; and claimant, if asked for), "
    "adding up the matching figures without double counting. A figure is counted unless one "
    "of its `partOf` ancestors of the same kind, unit (and claimant) is counted in the same "
    "total: 'about 300 arrested at the borders', part of 'more than 5,100 arrested', adds "
    "nothing when both match, and is counted when the filter leaves the larger one out. "
    "Each figure is read as low/best/high as its own `low`, `best`, `high` fields say. "
    "Estimates of one quantity (`estimateOf`) count once: see `mergedEstimateCount`. "
    "Figures from different claimants are different claims about the same people: compare "
    "them with `totals(byClaimant: true)` rather than adding them up."
)
class FigureTotal:
    """A figure total."""

    kind: enums.FigureKind = strawberry.field(description="What is counted.")
    unit: str = strawberry.field(description="What one unit is.")
    low: int = strawberry.field(description="Sum of the counted figures' `low` numbers.")
    best: int = strawberry.field(description="Sum of the counted figures' `best` numbers.")
    high: int | None = strawberry.field(
        description="Sum of the counted figures' `high` numbers; null when any counted figure "
        "is open-ended ('more than 5,100'), since the total then has no upper bound."
    )
    figure_count: int = strawberry.field(description="How many figures went into the total.")
    open_ended_count: int = strawberry.field(
        description="How many counted figures have no upper bound."
    )
    unknown_count: int = strawberry.field(
        description="How many matching figures say the number is unknown: they add nothing, and "
        "are reported here rather than as 0."
    )
    unquantified_count: int = strawberry.field(
        description="How many matching figures have no number at all (a vague 'dozens' without "
        "bounds): they add nothing."
    )
    skipped_part_count: int = strawberry.field(
        description="How many matching figures were left out because a figure they are part "
        "of is counted."
    )
    merged_estimate_count: int = strawberry.field(
        description="How many matching figures are further estimates of a quantity already in "
        "the total (`estimateOf`): alternatives and rival claims are read together as one "
        "range (lowest low, highest high, the first figure's best), and a REVISION replaces "
        "the earlier estimates (the latest revision alone counts)."
    )
    smallest_best: int | None = strawberry.field(
        description="The smallest `best` number among the matching figures, parts included."
    )
    largest_best: int | None = strawberry.field(
        description="The largest `best` number among the matching figures, parts included."
    )
    claimant_id: strawberry.Private[int | None]
    counted: strawberry.Private[list[int]]
    grouped_by_claimant: strawberry.Private[bool]

    @classmethod
    def of(cls, total: Total, *, by_claimant: bool) -> FigureTotal:
        """The GraphQL total of a computed `schema.figures.Total`."""
        return cls(
            kind=enums.FigureKind(total.kind),
            unit=total.unit,
            low=total.low,
            best=total.best,
            high=total.high,
            figure_count=len(total.counted),
            open_ended_count=total.open_ended,
            unknown_count=total.unknown,
            unquantified_count=total.unquantified,
            skipped_part_count=total.skipped_parts,
            merged_estimate_count=total.merged_estimates,
            smallest_best=total.smallest,
            largest_best=total.largest,
            claimant_id=total.group if isinstance(total.group, int) else None,
            counted=total.counted,
            grouped_by_claimant=by_claimant,
        )

    @classmethod
    def of_row(cls, row: tuple[Any, ...], *, by_claimant: bool) -> FigureTotal:
        """The GraphQL total of a row of prepared totals (`gql.data.grouped.flat_totals`):
        the claimant with `by_claimant`, then the measures of `schema.figure_totals`. Its
        counted figures are not listed: read only when `figures` is not selected."""
        claimant_id = row[0] if by_claimant else None
        total = dict(zip(MEASURES, row[1 if by_claimant else 0 :], strict=True))
        return cls(
            kind=enums.FigureKind(total["kind"]),
            unit=total["unit"],
            **total_fields(total),
            claimant_id=claimant_id,
            counted=[],
            grouped_by_claimant=by_claimant,
        )

    @strawberry.field(
        description="With `byClaimant: true`, the actor whose figures these are (null for "
        "figures without a claimant); always null otherwise."
    )
    async def claimant(
        self, info: Info
    ) -> Annotated[ActorType, strawberry.lazy("gql.types.actor")] | None:
        """The claimant of a per-claimant total."""
        from gql.types.actor import ActorType

        return await by_id(info, listing.ACTORS, self.claimant_id, ActorType.from_row)

    @strawberry.field(
        description="The figures that went into the total, in as-of date order (the first "
        "`first` of `figureCount`)."
    )
    async def figures(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many (default 20, at most 100).")
        ] = 20,
    ) -> list[Annotated[FigureType, strawberry.lazy("gql.types.figure")]]:
        """The counted figures."""
        from gql.types.figure import FigureType

        keys = self.counted[: top(info, first)]
        loader = info.context.loaders.by_id(listing.FIGURES)
        rows = await loader.load_many(keys)
        return [FigureType.from_row(row) for row in rows if row is not None]


@strawberry.type(description="How many figures have one kind.")
class FigureKindCount:
    """A count per figure kind."""

    kind: enums.FigureKind = strawberry.field(description="What the figures count.")
    count: int = strawberry.field(description="How many matching figures have it.")


@strawberry.type(description="Aggregates over all figures matching the connection's arguments.")
class FigureAggregates:
    """Figure aggregates."""

    scope: strawberry.Private[Scope]

    @strawberry.field(description="How many figures match.")
    async def count(self, info: Info) -> int:
        """The number of matching figures."""
        return await count(info, self.scope)

    @strawberry.field(
        description="How many figures of each kind match (a count of claims, not a sum), "
        f"{LARGEST}.",
        deprecation_reason="`kind` is the stored lower-case string: use `byFigureKind`, "
        "whose `kind` is the `FigureKind` enum.",
    )
    async def by_kind(self, info: Info, first: GroupsFirst = None) -> list[KindCount]:
        """Figures per kind."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "kind", [table.c.kind], limit=list_cap(info, first)
        )
        return [KindCount(kind=k, count=int(n)) for k, n in groups]

    @strawberry.field(
        description="How many figures of each kind match (a count of claims, not a sum), "
        f"{LARGEST}."
    )
    async def by_figure_kind(self, info: Info, first: GroupsFirst = None) -> list[FigureKindCount]:
        """Figures per kind, typed."""
        table = self.scope.listing.table
        groups = await grouped_counts(
            info, self.scope, "kind", [table.c.kind], limit=list_cap(info, first)
        )
        return [FigureKindCount(kind=enums.FigureKind(k), count=int(n)) for k, n in groups]

    @strawberry.field(
        description="Low/best/high totals per group of keys (country and year, claimant and "
        "month, counted actor, ...), kind and unit, never double counting a part of a counted "
        "figure in the same group (see `FigureTotal`); largest `best` first unless `orderBy` "
        "says otherwise. A period key (YEAR ... DAY) places a figure by its event's date (its "
        "own as-of date without an event) when that date lies wholly inside one period; the "
        "rest form a group of their own (`keys.spansPeriods`)."
    )
    async def groups(
        self,
        info: Info,
        by: Annotated[
            list[FigureGroupKey], strawberry.argument(description="The keys to group by.")
        ],
        order_by: Annotated[
            FigureGroupOrder | None,
            strawberry.argument(description="How to sort the groups (default: BEST, DESC)."),
        ] = None,
        first: GroupsFirst = None,
    ) -> list[FigureGroup]:
        """Figure totals per group."""
        return await grouped_figures(info, self.scope, by, order_by, first)

    @strawberry.field(
        description="Low/best/high totals per kind and unit (by kind and unit, then the "
        "largest `best` first, ties in a fixed order), never double counting a figure that is "
        "part of another counted one (see `FigureTotal`). `first` keeps the first totals of "
        "that order: filter by `kind` for the largest claims of another kind."
    )
    async def totals(
        self,
        info: Info,
        by_claimant: Annotated[
            bool,
            strawberry.argument(
                description="One total per claimant as well: compare what each actor claims."
            ),
        ] = False,
        first: GroupsFirst = None,
    ) -> list[FigureTotal]:
        """Totals per kind."""
        limit = list_cap(info, first)
        if not selects_any(info, _COUNTED_LIST):
            prepared = await flat_totals(info, self.scope, by_claimant=by_claimant)
            if prepared is not None:
                made = [FigureTotal.of_row(row, by_claimant=by_claimant) for row in prepared]
                made.sort(key=lambda t: total_order(t.kind.value, t.unit, t.best, t.claimant_id))
                return made[:limit]
        fact_rows = await figure_facts(info, self.scope)
        ancestors = await figure_ancestors(info, self.scope)
        skip = 1 if self.scope.relation is not None and self.scope.parent is not None else 0

        def total() -> list[Total]:
            selected = [facts(row[skip:], row[-1] if by_claimant else None) for row in fact_rows]
            return add_up(selected, ancestors)[:limit]

        # Adding up tens of thousands of figures is CPU work: in a worker thread, the event
        # loop keeps answering other requests meanwhile.
        schema = info.schema
        assert isinstance(schema, EventqlSchema)  # the schema `gql.schema` builds
        totals = await schema.workers.run(total)
        return [FigureTotal.of(t, by_claimant=by_claimant) for t in totals]
