"""Compiling fields that read values of the row: columns, computed values and value objects.

Each becomes an expression of the generated builder that reads the row by position and writes
the value as graphql-core would serialise it, with the conversion derived from the field's
GraphQL type: enum values become names (a constant map), `Int`, `Float` and `Boolean` and
untyped strings are checked (`gql.fastpath.values`), and the scalars the database already
gives in their JSON form are read as they are. A non-null field over a value that may be null
is checked too, so a null there is the same error the general executor reports.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLScalarType,
)

from gql.fastpath.codegen import dict_display
from gql.fastpath.compilation import Compilation, Details, object_of
from gql.fastpath.declines import Unsupported
from gql.fastpath.fetch import Columns
from gql.fastpath.registry import Column, Computed, Embedded, ObjectSpec, unwrap

#: Scalars whose values the database already gives in the form orjson writes as GraphQL would
#: (dates as YYYY-MM-DD, JSON as is); the others are checked on the way out.
_AS_IS = {"String", "ID", "Date", "JSON"}
_CHECKED = {"Int": "_int", "Float": "_float", "Boolean": "_boolean"}


class ValueCompiler:
    """Writes the expressions of value fields into one compilation's builders."""

    def __init__(self, compilation: Compilation) -> None:
        self.compilation = compilation
        self.writer = compilation.writer

    def value(
        self,
        spec: ObjectSpec,
        columns: Columns,
        field: Column | Computed,
        type_: GraphQLOutputType,
    ) -> str:
        """A column's or a computed value's expression, serialised as `type_`."""
        if isinstance(field, Column):
            expression = columns.ref(field.name)
            maybe_null = bool(spec.table.c[field.name].nullable)
            return self._serialise(expression, type_, maybe_null, typed=True)
        return self._serialise(self.call(columns, field), type_, True, typed=False)

    def embedded(
        self,
        spec: ObjectSpec,
        columns: Columns,
        field: Embedded,
        type_: GraphQLOutputType,
        details: Details,
    ) -> str:
        """A value object's selection, as a dict display (or null when it is absent)."""
        value_type = object_of(type_)
        items: list[tuple[str, str]] = []
        for key, sub in self.compilation.subfields(value_type, details).items():
            name = sub[0].node.name.value
            part = field.fields.get(name)
            if name == "__typename":
                items.append((key, repr(value_type.name)))
            elif part is None:
                raise Unsupported(f"{value_type.name}.{name}")
            else:
                items.append((key, self.value(spec, columns, part, value_type.fields[name].type)))
        present = self.call(columns, field.present)
        otherwise = "_missing()" if isinstance(type_, GraphQLNonNull) else "None"
        return f"({dict_display(items)} if {present} else {otherwise})"

    def call(self, columns: Columns, computed: Computed) -> str:
        """A call of a computed value's function on the columns it reads."""
        function = self.writer.constant(computed.function, "F")
        arguments = ", ".join(columns.ref(column) for column in computed.columns)
        return f"{function}({arguments})"

    def _serialise(
        self, expression: str, type_: GraphQLOutputType, maybe_null: bool, *, typed: bool
    ) -> str:
        """The expression serialised as `type_`; `typed`: the column's type guarantees the
        Python type (a text column gives `str`), so it needs no check."""
        inner, non_null = unwrap(type_)
        if isinstance(inner, GraphQLList):
            if not non_null:
                raise Unsupported("nullable list of scalars")
            item = self._serialise("v", inner.of_type, True, typed=False)
            return f"[{item} for v in _non_null({expression})]"
        if isinstance(inner, GraphQLEnumType):
            names: dict[Any, str | None] = {v.value: n for n, v in inner.values.items()}
            if not non_null:
                names[None] = None
            # An unknown stored value is a KeyError: the general executor reports it.
            return f"{self.writer.constant(names, 'E')}[{expression}]"
        if not isinstance(inner, GraphQLScalarType):
            raise Unsupported(str(inner))
        if inner.name in _CHECKED:
            value = f"{_CHECKED[inner.name]}({expression})"
        elif inner.name == "String" and not typed:
            value = f"_string({expression})"
        elif inner.name in _AS_IS:
            value = expression
        else:
            raise Unsupported(f"scalar {inner.name}")
        return f"_non_null({value})" if non_null and maybe_null else value
