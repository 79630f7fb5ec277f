"""The schema documents itself: every type, field, argument and enum value has a description."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from gql.schema import build_schema
from gql.settings import Settings
from schema.filters import entity_fields

_FILTER_INPUTS = {
    "EventFilter": "event",
    "ActorFilter": "actor",
    "StatementFilter": "statement",
    "FigureFilter": "figure",
    "SourceFilter": "source",
    "ParticipationFilter": "participation",
    "EventLinkFilter": "eventLink",
}


def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def _own_types(schema: GraphQLSchema) -> list[object]:
    builtin = {"String", "Int", "Float", "Boolean", "ID"}
    return [
        t
        for name, t in schema.type_map.items()
        if not name.startswith("__") and name not in builtin
    ]


def test_schema_every_type_has_a_description() -> None:
    missing = [
        getattr(t, "name", "?")
        for t in _own_types(_schema())
        if not (getattr(t, "description", None) or "").strip()
    ]
    assert missing == []


def test_schema_every_field_and_argument_has_a_description() -> None:
    missing = []
    for t in _own_types(_schema()):
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for name, field in t.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{t.name}.{name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        missing.append(f"{t.name}.{name}({arg_name})")
    assert missing == []


def test_schema_every_enum_value_has_a_description() -> None:
    missing = [
        f"{t.name}.{name}"
        for t in _own_types(_schema())
        if isinstance(t, GraphQLEnumType)
        for name, value in t.values.items()
        if not (value.description or "").strip()
    ]
    assert missing == []


def test_filter_inputs_mirror_the_json_filter_keys() -> None:
    schema = _schema()
    for input_name, entity in _FILTER_INPUTS.items():
        graphql_type = schema.type_map[input_name]
        assert isinstance(graphql_type, GraphQLInputObjectType)
        assert set(graphql_type.fields) == {*entity_fields(entity), "and", "or", "not"}, input_name
