"""Every GraphQL field is answered by the fast path, unless it is in a short, named list.

The fast path falls back to the general executor for anything it does not know, so a field
added to a type but not to the fast path would quietly be 10–40× slower while every answer
stays right. This test walks the committed schema (`gql/schema.graphql`, what clients see),
builds for each field of each object type the shortest query that reaches it from a root
field, and fails for every field the fast path declines — naming them all at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    build_schema,
    get_named_type,
)

from gql.schema import SDL_PATH
from tests.api_support import load, world
from tests.harness import app_client, make_app

#: Fields that only the general executor answers, by design (each says why). A field missing
#: from the fast path and from this list fails the test.
GENERAL_EXECUTOR_ONLY = {
    # Aggregates run their own GROUP BY statements; the fast path compiles record selections.
    "EventConnection.aggregates",
    "ActorConnection.aggregates",
    "FigureConnection.aggregates",
    "StatementConnection.aggregates",
    "SourceConnection.aggregates",
    # History (versions, record changes) is read from its own tables by its own resolvers:
    # asked for by syncing clients and dashboards now and then, never on a hot path.
    "Dataset.versions",
    "Query.datasetVersions",
}

Path_ = tuple[tuple[str, GraphQLField], ...]


def _schema() -> GraphQLSchema:
    return build_schema(Path(SDL_PATH).read_text(encoding="utf-8"))


def _object_type(field: GraphQLField) -> GraphQLObjectType | GraphQLInterfaceType | None:
    named = get_named_type(field.type)
    return named if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else None


def _required_arguments(field: GraphQLField) -> str:
    """Values for a field's required arguments (none have to be meaningful, only valid)."""
    given = []
    for name, argument in field.args.items():
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined:
            given.append(f"{name}: {_value(argument.type.of_type)}")
    return f"({', '.join(given)})" if given else ""


def _value(type_: GraphQLInputType) -> str:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return f"[{_value(inner.of_type)}]"
    if isinstance(inner, GraphQLEnumType):
        return str(next(iter(inner.values)))
    if isinstance(inner, GraphQLInputObjectType):
        return "{}"
    assert isinstance(inner, GraphQLScalarType)
    return {"Int": "1", "Float": "1.0", "Boolean": "true"}.get(inner.name, '"x"')


def _paths(schema: GraphQLSchema) -> dict[str, Path_]:
    """The shortest path of fields from the query root to each object type."""
    query = schema.query_type
    assert query is not None
    found: dict[str, Path_] = {query.name: ()}
    queue: deque[GraphQLObjectType | GraphQLInterfaceType] = deque([query])
    while queue:
        parent = queue.popleft()
        for name, field in parent.fields.items():
            child = _object_type(field)
            if child is None or child.name in found or name.startswith("__"):
                continue
            if parent is query and any(
                isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
                for a in field.args.values()
            ):
                continue  # `node(id:)` and friends: reached through the record connections
            found[child.name] = (*found[parent.name], (name, field))
            queue.append(child)
    return found


def _query(path: Path_, leaf: str, leaf_field: GraphQLField) -> str:
    selection = leaf + _required_arguments(leaf_field)
    if _object_type(leaf_field) is not None:
        selection += " { __typename }"
    for name, field in reversed(path):
        selection = f"{name}{_required_arguments(field)} {{ {selection} }}"
    return "{ " + selection + " }"


def field_queries() -> Iterator[tuple[str, str, bool]]:
    """(Type.field, a query selecting it, whether the fast path must answer it) for every
    field of every reachable object type. Below a field of `GENERAL_EXECUTOR_ONLY` (inside
    aggregates) the general executor answers everything."""
    schema = _schema()
    paths = _paths(schema)
    for type_name, path in sorted(paths.items()):
        parent = schema.get_type(type_name)
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        if isinstance(parent, GraphQLInterfaceType):
            continue  # its fields are those of the object types implementing it
        above = _types_on(path, schema)
        excused = any(
            f"{owner}.{name}" in GENERAL_EXECUTOR_ONLY
            for owner, (name, _) in zip(above, path, strict=True)
        )
        for name, field in parent.fields.items():
            if not path and _required_arguments(field) and _object_type(field) is not None:
                continue
            required = not excused and f"{type_name}.{name}" not in GENERAL_EXECUTOR_ONLY
            yield f"{type_name}.{name}", _query(path, name, field), required


def _types_on(path: Path_, schema: GraphQLSchema) -> list[str]:
    """The names of the types whose fields a path takes, root first."""
    query = schema.query_type
    assert query is not None
    names = [query.name]
    for _, field in path[:-1]:
        child = _object_type(field)
        assert child is not None
        names.append(child.name)
    return names[: len(path)]


async def test_every_field_is_answered_by_the_fast_path(sqlite_url: str, tmp_path: Path) -> None:
    load(sqlite_url, tmp_path, world())
    app = make_app(sqlite_url)
    declined: list[str] = []
    async with app_client(app) as client:
        fast_path = app.state.graphql.fast_path
        for name, query, required in field_queries():
            served = fast_path.served
            response = await client.post("/graphql", json={"query": query})
            body = response.json()
            assert "errors" not in body, (name, query, body)
            if fast_path.served == served and required:
                declined.append(f"{name}: {query}")
    assert not declined, "the fast path declines:\n" + "\n".join(declined)


def test_the_walk_reaches_every_record_type() -> None:
    # A walk that silently stopped early would make the test above pass for the wrong reason.
    reached = {name.split(".")[0] for name, _, _ in field_queries()}
    for type_name in ("Event", "Actor", "Statement", "Figure", "Source", "Dataset"):
        assert type_name in reached
    for type_name in ("Participation", "EventLink", "DateSpan", "Location", "Evidence"):
        assert type_name in reached


@pytest.mark.parametrize("name", sorted(GENERAL_EXECUTOR_ONLY))
def test_the_named_exceptions_exist(name: str) -> None:
    # An exception for a field that no longer exists would hide nothing but mislead readers.
    type_name, field = name.split(".")
    parent = _schema().get_type(type_name)
    assert isinstance(parent, GraphQLObjectType) and field in parent.fields


#: Root connections and the listing each pages through: every filter key and sort field of
#: these is tried below.
_ROOTS = {"events": "event", "actors": "actor", "statements": "statement", "figures": "figure"}
_ROOTS |= {"sources": "source"}


def _filter_value(type_: GraphQLInputType) -> str:
    """A valid value for one filter key: an operator that always compiles, an empty nested
    filter for a relation (its SQL is still made), a search, or true for an existence test."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLScalarType):
        return '"riots"' if inner.name == "String" else "true"  # a search, or an existence test
    assert isinstance(inner, GraphQLInputObjectType), inner
    return "{isNull: false}" if "isNull" in inner.fields else "{}"


def filter_and_order_queries() -> Iterator[tuple[str, str]]:
    """(what is tried, a query) for every filter key and every sort field of every root
    connection, as the committed schema offers them."""
    schema = _schema()
    query = schema.query_type
    assert query is not None
    for root in _ROOTS:
        field = query.fields[root]
        filter_type = get_named_type(field.args["filter"].type)
        assert isinstance(filter_type, GraphQLInputObjectType)
        for key, key_field in filter_type.fields.items():
            if key in ("and", "or", "not"):
                continue
            value = _filter_value(key_field.type)
            yield (
                f"{root}(filter: {key})",
                f"{{ {root}(first: 2, filter: {{{key}: {value}}}) "
                "{ totalCount nodes { id } } }",
            )
        order_type = get_named_type(field.args["orderBy"].type)
        assert isinstance(order_type, GraphQLInputObjectType)
        sort_fields = get_named_type(order_type.fields["field"].type)
        assert isinstance(sort_fields, GraphQLEnumType)
        for value_name in sort_fields.values:
            yield (
                f"{root}(orderBy: {value_name})",
                # With a search: RELEVANCE sorts by it (and is an error without one).
                f'{{ {root}(first: 2, search: "riots", '
                f"orderBy: [{{field: {value_name}, direction: DESC}}]) "
                "{ totalCount pageInfo { endCursor } nodes { id } } }",
            )


def test_sort_fields_are_those_the_listings_declare() -> None:
    # The `...OrderField` enums are made from the listings' `orders`; a sort field declared in a
    # listing but missing from the committed schema (or the reverse) fails here.
    from gql.data import listing

    listings = {"event": listing.EVENTS, "actor": listing.ACTORS}
    listings |= {"statement": listing.STATEMENTS, "figure": listing.FIGURES}
    listings |= {"source": listing.SOURCES}
    schema = _schema()
    for kind, declared in listings.items():
        enum = schema.get_type(f"{kind.capitalize()}OrderField")
        assert isinstance(enum, GraphQLEnumType)
        assert list(enum.values) == list(declared.orders), kind


async def test_every_filter_key_and_sort_field_is_answered_by_both_executors(
    database_url: str, tmp_path: Path
) -> None:
    # A key or sort field that the schema offers but the filter compiler or a listing does not
    # know (or that the fast path cannot compile) fails here, on both databases; the fast path
    # and the general executor must give the same answer.
    load(database_url, tmp_path, world())
    fast_app = make_app(database_url)
    general_app = make_app(database_url, fast_path=False)
    declined: list[str] = []
    async with app_client(fast_app) as fast, app_client(general_app) as general:
        fast_path = fast_app.state.graphql.fast_path
        for name, query in filter_and_order_queries():
            served = fast_path.served
            answer = (await fast.post("/graphql", json={"query": query})).json()
            assert "errors" not in answer, (name, query, answer)
            if fast_path.served == served:
                declined.append(name)
            expected = (await general.post("/graphql", json={"query": query})).json()
            assert answer == expected, (name, query)
    assert not declined, "the fast path declines:\n" + "\n".join(declined)
