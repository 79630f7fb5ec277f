"""The SQL of a plan: one statement per field that loads rows, for all records of a level.

A plan's fetches form a tree that mirrors the operation: a root field's fetch runs first,
then each fetch below it runs once with the keys of every row above it (an event page's
figures: one statement for the 50 events). Statements come from the builders the DataLoaders
use (`gql.data.loaders`, `gql.data.connections`, `gql.types.lookups`), built once when a plan
is compiled or
its arguments are first seen; the keys of each batch are bound when the statement runs
(`Database.any_of` with a late-bound list, read from a context variable), so the same
statement object — and SQLAlchemy's compiled form of it — serves every request.

Fetched rows land in the request's data list at each fetch's slot, where the generated
builders find them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from graphql.execution.values import VariableValues
from sqlalchemy import Row, Select, Table, null
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause, Subquery

from gql.data.connections import Outer
from gql.data.database import Database
from gql.data.listing import Listing
from gql.fastpath.arguments import Arguments
from gql.fastpath.declines import Unsupported
from gql.fastpath.values import Step
from gql.types.lookups import only_row

Data = list[Any]
#: Reads a column of a row by name (as SQL).
ColumnOf = Callable[[str], ColumnElement[Any]]
#: Fetched rows (SQLAlchemy `Row`s, read by position).
Rows = Sequence[Any]

#: The keys of the batch being fetched; each statement reads them when it runs.
_KEYS: ContextVar[Sequence[int]] = ContextVar("eventql_fastpath_keys")


def batch_keys() -> Sequence[int]:
    """The keys of the statement being run (late-bound `Database.any_of` IDs)."""
    return _KEYS.get()


async def rows_for(db: Database, statement: Select[Any], keys: Sequence[int]) -> Rows:
    """Run a statement built with `batch_keys` for these keys."""
    # Statements of one request run one at a time, each in its request's own context.
    _KEYS.set(keys)
    return await db.rows(statement)


def _keys(parents: Rows, index: int) -> list[int]:
    return [key for key in dict.fromkeys(row[index] for row in parents) if key is not None]


def _grouped(rows: Rows, index: int) -> dict[Any, list[Row[Any]]]:
    groups: dict[Any, list[Row[Any]]] = {}
    for row in rows:
        key = row[index]
        found = groups.get(key)
        if found is None:
            groups[key] = [row]
        else:
            found.append(row)
    return groups


class NotJoinable(Exception):
    """A to-one record whose selection needs more than columns: it gets a fetch of its own."""


class Inline:
    """A column whose value is JSON the database writes (`gql.fastpath.inline`): `build` makes
    its SQL from a function reading the row's other columns by name."""

    __slots__ = ("build",)

    def __init__(self, build: Callable[[ColumnOf], ColumnElement[Any]]) -> None:
        self.build = build


class Columns:
    """The columns a fetch selects, in row order: only those its builders read.

    A builder asks for a column (`ref` for code, `index` for a position) while it is
    generated, which adds the column; the statement is built afterwards from `selected()`.
    Fixed: the table's columns, all of them, in table order (statements of whole rows).
    With `joins`, to-one records whose selection is only columns are read from the same
    rows, joined in (`join`), their columns after the fetch's own.
    With `scope` (the tables the fetch's statement reads), a column may also be JSON the
    database writes for the row (`inline`); `paged` fetches compute those columns for the
    rows of the page only (`outer`), so their statements leave a placeholder for them.
    """

    def __init__(
        self,
        table: Table,
        *,
        fixed: bool = False,
        joins: bool = False,
        scope: frozenset[Table] | None = None,
        paged: bool = False,
    ) -> None:
        self.table = table
        self.fixed = fixed
        self.joins = joins
        self.scope = scope
        self.paged = paged
        self.names: list[str | Inline] = list(table.c.keys()) if fixed else []
        self.joined: list[JoinedColumns] = []

    def index(self, name: str) -> int:
        """The position of column `name` in the rows."""
        if name not in self.names:
            if self.fixed:
                raise Unsupported(f"column {name} is not among the fixed columns")
            self.names.append(name)
        return self.names.index(name)

    def ref(self, name: str) -> str:
        """Code reading column `name` of the row `r`."""
        return f"r[{self.index(name)}]"

    def inline(self, build: Callable[[ColumnOf], ColumnElement[Any]]) -> int:
        """The position of a column of JSON the database writes (`Inline`)."""
        self.names.append(Inline(build))
        return len(self.names) - 1

    def join(self, listing: Listing, key: str, tag: str) -> JoinedColumns:
        """Columns of the `listing` record whose primary key is in column `key`."""
        if not self.joins:
            raise NotJoinable(key)
        self.index(key)
        return JoinedColumns(listing.table, key, tag)

    def selected(self) -> list[ColumnElement[Any]]:
        """The columns to select (at least one: the first of the primary key), then those of
        the joined records; fixes where the joined ones are."""
        if not self.names:
            self.index(next(iter(self.table.primary_key.columns)).name)
        columns: list[ColumnElement[Any]] = []
        for position, name in enumerate(self.names):
            if isinstance(name, str):
                columns.append(self.table.c[name])
            elif self.paged:
                columns.append(null().label(f"inline_{position}"))
            else:
                columns.append(name.build(self.table.c.__getitem__).label(f"inline_{position}"))
        for joined in self.joined:
            joined.offset = len(columns)
            columns += [joined.alias.c[str(name)] for name in joined.names]
        return columns

    def outer(self) -> Outer | None:
        """For a `paged` fetch with JSON columns: its page's columns, with those computed."""
        if not self.paged or all(isinstance(name, str) for name in self.names):
            return None
        names = self.names

        def read(page: Subquery) -> list[ColumnElement[Any]]:
            columns: list[ColumnElement[Any]] = list(page.c)

            def column(name: str) -> ColumnElement[Any]:
                return columns[names.index(name)]

            for position, name in enumerate(names):
                if isinstance(name, Inline):
                    columns[position] = name.build(column).label(f"inline_{position}")
            return columns

        return read

    def finish(self, statement: Select[Any]) -> Select[Any]:
        """The statement with the joined records' tables joined in (outer: keys may be null)."""
        for joined in self.joined:
            on = joined.alias.c.id == self.table.c[joined.key]
            statement = statement.join_from(self.table, joined.alias, on, isouter=True)
        return statement


class JoinedColumns(Columns):
    """The columns of a to-one record read from its parent's rows (`Columns.join`).

    Code refers to them by placeholders (`r[@tag_i@]`), replaced by their positions once the
    parent's columns are all known.
    """

    def __init__(self, table: Table, key: str, tag: str) -> None:
        super().__init__(table)
        self.alias: FromClause = table.alias()
        self.key = key
        self.tag = tag
        self.offset = 0

    def index(self, name: str) -> int:
        """Positions are known only later: relations of a joined record need their own fetch."""
        raise NotJoinable(name)

    def inline(self, build: Callable[[ColumnOf], ColumnElement[Any]]) -> int:
        """Joined records are columns only: a JSON column needs the record's own fetch."""
        raise NotJoinable("inline")

    def ref(self, name: str) -> str:
        if name not in self.names:
            self.names.append(name)
        return f"r[@{self.tag}_{self.names.index(name)}@]"

    def position(self, placeholder: int) -> int:
        """Where the joined column numbered `placeholder` is in the parent's rows."""
        return self.offset + placeholder


@dataclass
class Fetch:
    """Rows for one field, for every record of the level above; fills `data[slot]`."""

    slot: int
    columns: Columns
    children: list[Fetch] = field(default_factory=list, init=False)

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        """Fetch for `parents` (the rows of the level above), then the levels below."""
        raise NotImplementedError

    async def below(
        self, db: Database, data: Data, rows: Rows, variables: VariableValues | None
    ) -> None:
        """Run the fetches of the next level down for `rows`."""
        if rows:
            for child in self.children:
                await child.run(db, data, rows, variables)


@dataclass
class ToOneFetch(Fetch):
    """Records by primary key, the key read from column `key_index` of the parents."""

    key_index: int
    statement: Select[Any] = field(init=False)
    id_index: int = field(init=False)

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        keys = _keys(parents, self.key_index)
        rows = await rows_for(db, self.statement, keys) if keys else ()
        data[self.slot] = {row[self.id_index]: row for row in rows}
        await self.below(db, data, rows, variables)


@dataclass
class ListFetch(Fetch):
    """The first `first` rows of a relation per parent (grouped by their `parent_key`
    column); the statement depends on `first`, so it is made from the arguments."""

    key_index: int
    arguments: Arguments[Select[Any]] = field(init=False)
    group_index: int = field(init=False)

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        statement = self.arguments.get(variables, db)
        rows = await rows_for(db, statement, _keys(parents, self.key_index))
        data[self.slot] = _grouped(rows, self.group_index)
        await self.below(db, data, rows, variables)


@dataclass
class PageFetch(Fetch):
    """One page of a relation per parent, and (if selected) how many rows each parent has."""

    key_index: int
    step_slot: int
    count_slot: int
    arguments: Arguments[Step] = field(init=False)
    rows_needed: bool = False
    count_needed: bool = False

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        step = self.arguments.get(variables, db)
        data[self.step_slot] = step
        keys = _keys(parents, self.key_index)
        if self.rows_needed:
            rows = await rows_for(db, step.statement, keys)
            parent_at = step.sort_to
            data[self.slot] = _grouped(rows, parent_at)
            size = step.page.size
            # The extra row that says "there is more" is not on the page: nothing below it.
            await self.below(db, data, [r for r in rows if r[parent_at + 1] <= size], variables)
        if self.count_needed:
            counts = await rows_for(db, step.count, keys)
            data[self.count_slot] = {row[0]: row[1] for row in counts}


@dataclass
class RootPageFetch(Fetch):
    """A page of a root connection, and (if selected) its total count."""

    step_slot: int
    count_slot: int
    arguments: Arguments[Step] = field(init=False)
    rows_needed: bool = False
    count_needed: bool = False
    #: The statement writes the page's `nodes` as JSON (one row, one column), not rows.
    json: bool = False

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        step = self.arguments.get(variables, db)
        data[self.step_slot] = step
        if self.rows_needed:
            rows = await db.rows(step.statement)
            if self.json:
                data[self.slot] = rows[0][0]
            else:
                data[self.slot] = rows
                await self.below(db, data, rows[: step.page.size], variables)
        if self.count_needed:
            data[self.count_slot] = int(await db.scalar(step.count) or 0)


@dataclass(frozen=True)
class Lookup:
    """A root lookup made ready: its statement, and the slug to name if several rows match."""

    statement: Select[Any]
    slug: str | None = None
    many: bool = False


@dataclass
class RootLookupFetch(Fetch):
    """A root field answered by one statement: a record by slug or name, or a list."""

    arguments: Arguments[Lookup]

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        lookup = self.arguments.get(variables, db)
        rows = await db.all(lookup.statement)
        if lookup.many:
            data[self.slot] = rows
            await self.below(db, data, rows, variables)
            return
        row = (
            only_row(rows, lookup.slug) if lookup.slug is not None else (rows[0] if rows else None)
        )
        data[self.slot] = row
        await self.below(db, data, [row] if row is not None else [], variables)


@dataclass
class KindFetch(Fetch):
    """Records of one node kind by primary key, with the fetches their selection needs."""

    statement: Select[Any] = field(init=False)
    id_index: int = field(init=False)

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        raise NotImplementedError  # run through `NodesFetch`, which knows the keys

    async def by_keys(
        self, db: Database, data: Data, keys: list[int], variables: VariableValues | None
    ) -> dict[int, Row[Any]]:
        """The records with these keys, by key (the levels below fetched too)."""
        rows = await rows_for(db, self.statement, keys)
        await self.below(db, data, rows, variables)
        return {row[self.id_index]: row for row in rows}


@dataclass
class NodesFetch(Fetch):
    """`node(id:)` or `nodes(ids:)`: records of any kind, one statement per kind asked for."""

    arguments: Arguments[list[tuple[str, int]]]
    kinds: dict[str, KindFetch]
    single: bool = False

    async def run(
        self, db: Database, data: Data, parents: Rows, variables: VariableValues | None
    ) -> None:
        wanted = self.arguments.get(variables, db)
        keys: dict[str, list[int]] = {}
        for kind, key in wanted:
            keys.setdefault(kind, []).append(key)
        found: dict[str, dict[int, Row[Any]]] = {}
        for kind, some in keys.items():
            found[kind] = await self.kinds[kind].by_keys(
                db, data, list(dict.fromkeys(some)), variables
            )
        values = [(kind, found[kind].get(key)) for kind, key in wanted]
        data[self.slot] = values[0] if self.single else values
