"""The `filter:` inputs of each record kind, made from the filter keys of `schema.filter_keys`.

A filter key is declared once, in `schema.filter_keys` (what it compares, its description), so
the GraphQL inputs, `eventql export --filter` and `/export?filter=` always take the same keys:
each input below has one field per key, in the declared order, typed by the key's operator
input (`gql.types.operator_inputs`) or, for a relation, by the related kind's filter; then
`and`, `or` and `not`. All keys given in one object must hold; a relation key (`actor`,
`claimant`, `aboutEvent`, ...) holds when some related record matches its filter.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.utils.str_converters import to_snake_case

from gql.types import operator_inputs
from schema.filter_keys import (
    FILTER_ENTITIES,
    Exists,
    FieldSpec,
    Related,
    Searched,
    Span,
    Value,
    Via,
    entity_fields,
)

#: Each filter entity's input type: its name and description.
INPUTS: dict[str, tuple[str, str]] = {
    "event": ("EventFilter", "Which events to return. All given keys must hold."),
    "actor": ("ActorFilter", "Which actors to return. All given keys must hold."),
    "participation": ("ParticipationFilter", "Which parts of actors in events to match."),
    "eventLink": ("EventLinkFilter", "Which links between events to match."),
    "location": ("LocationFilter", "Which further locations of an event to match."),
    "statement": ("StatementFilter", "Which statements to return. All given keys must hold."),
    "figure": ("FigureFilter", "Which figures to return. All given keys must hold."),
    "source": ("SourceFilter", "Which sources to return. All given keys must hold."),
}

_COMBINATORS = (
    ("and_", "and", "list[{name}]", "All of these filters hold."),
    ("or_", "or", "list[{name}]", "At least one of these filters holds."),
    ("not_", "not", "{name}", "This filter does not hold."),
)


def _operand_type(spec: FieldSpec) -> Any:
    """The GraphQL input a key takes: its operator input, a related filter, or a Boolean."""
    if isinstance(spec, Related):
        return INPUTS[spec.entity][0]  # a name, resolved in this module once all exist
    if isinstance(spec, Exists):
        return bool
    if isinstance(spec, Searched):
        return str
    if isinstance(spec, Span):
        return operator_inputs.DateRangeFilter
    value = spec.value if isinstance(spec, Via) else spec
    assert isinstance(value, Value)
    return getattr(operator_inputs, f"{value.operand}Filter")


def _input(entity: str) -> type:
    """The Strawberry input of one filter entity, one field per key of `entity_fields`."""
    name, description = INPUTS[entity]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__, "__doc__": description}
    for key, spec in entity_fields(entity).items():
        python_name = to_snake_case(key)
        operand = _operand_type(spec)
        annotations[python_name] = (
            f"{operand} | None" if isinstance(operand, str) else (operand | None)
        )
        namespace[python_name] = strawberry.field(default=None, description=spec.description)
    for python_name, graphql_name, annotation, about in _COMBINATORS:
        annotations[python_name] = annotation.format(name=name) + " | None"
        namespace[python_name] = strawberry.field(
            name=graphql_name, default=None, description=about
        )
    namespace["__annotations__"] = annotations
    made: type = strawberry.input(type(name, (), namespace), description=description)
    return made


_MADE = {entity: _input(entity) for entity in FILTER_ENTITIES}
globals().update({INPUTS[entity][0]: made for entity, made in _MADE.items()})

EventFilter: type = _MADE["event"]
ActorFilter: type = _MADE["actor"]
ParticipationFilter: type = _MADE["participation"]
EventLinkFilter: type = _MADE["eventLink"]
LocationFilter: type = _MADE["location"]
StatementFilter: type = _MADE["statement"]
FigureFilter: type = _MADE["figure"]
SourceFilter: type = _MADE["source"]
