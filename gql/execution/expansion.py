"""The size of a document once its fragments are expanded: depth, aliases and fields.

Measured in time linear in the document (each fragment once, `gql.execution.fragments`), however
often fragments spread each other; counts saturate at a cap, so a chain of fragments spread
twice each never builds huge numbers. Introspection fields (`__schema`, `__type`, ...) add
no depth, since GraphiQL's schema query nests deeply by design; they do count as fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gql.execution.fragments import fold_fragments


@dataclass(frozen=True, slots=True)
class Expansion:
    """A selection set with its fragments expanded (counts at most the cap they were
    measured with)."""

    #: How deeply fields nest, introspection fields aside.
    depth: int = 0
    aliases: int = 0
    fields: int = 0


_EMPTY = Expansion()


def expansions(document: DocumentNode, cap: int) -> list[tuple[OperationDefinitionNode, Expansion]]:
    """Each operation of the document with its expansion; `aliases` and `fields` stop at
    `cap` (a count at the cap means "at least that many")."""

    def fragment(definition: FragmentDefinitionNode, facts: Mapping[str, Expansion]) -> Expansion:
        return _measure(definition.selection_set, facts, cap)

    facts = fold_fragments(document.definitions, fragment)
    return [
        (definition, _measure(definition.selection_set, facts, cap))
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]


def _measure(
    selection_set: SelectionSetNode, facts: Mapping[str, Expansion], cap: int
) -> Expansion:
    # Recursion only follows the nesting written in one definition, which the parser bounds.
    depth = aliases = fields = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            inner = _EMPTY
            if selection.selection_set is not None:
                inner = _measure(selection.selection_set, facts, cap)
            fields += 1 + inner.fields
            aliases += (selection.alias is not None) + inner.aliases
            if not selection.name.value.startswith("__"):
                depth = max(depth, 1 + inner.depth)
        else:
            if isinstance(selection, InlineFragmentNode):
                inner = _measure(selection.selection_set, facts, cap)
            elif isinstance(selection, FragmentSpreadNode):
                inner = facts.get(selection.name.value, _EMPTY)
            else:
                continue
            depth = max(depth, inner.depth)
            aliases += inner.aliases
            fields += inner.fields
        aliases, fields = min(aliases, cap), min(fields, cap)
    return Expansion(depth, aliases, fields)
