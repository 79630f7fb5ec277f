"""Facts about a document's fragments, each worked out once, so a walk stays linear in time.

A fragment can be spread many times, and the fragments it spreads many times again: a walk
that expands every spread where it stands takes time exponential in the length of such a
chain. `fold_fragments` instead computes one fact per fragment, after the facts of the
fragments it spreads, so a walk over an operation reads each spread's fact in constant time.

The order is found without recursion (a chain of spreads can be as long as the document
allows), and a spread that closes a cycle or names no fragment has no fact: callers count it
as empty. Such documents are invalid anyway (`NoFragmentCyclesRule`, `KnownFragmentNamesRule`
refuse them), but the limits run alongside those rules and must not loop or fail on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from graphql import (
    DefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

T = TypeVar("T")

#: A fragment's fact, from the fragment and the facts of the fragments computed before it.
Fact = Callable[[FragmentDefinitionNode, Mapping[str, T]], T]


def spread_names(selection_set: SelectionSetNode) -> list[str]:
    """The names of the fragments spread anywhere in a selection set (not through spreads)."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)
    return names


def dependency_order(
    fragments: Mapping[str, FragmentDefinitionNode],
) -> list[FragmentDefinitionNode]:
    """The fragments, each after every fragment it spreads (but the one closing a cycle)."""
    spreads = {name: spread_names(f.selection_set) for name, f in fragments.items()}
    ordered: list[FragmentDefinitionNode] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        on_path = {root}
        path = [(root, iter(spreads[root]))]
        while path:
            name, pending = path[-1]
            for spread in pending:
                if spread in fragments and spread not in done and spread not in on_path:
                    on_path.add(spread)
                    path.append((spread, iter(spreads[spread])))
                    break
            else:
                path.pop()
                on_path.discard(name)
                done.add(name)
                ordered.append(fragments[name])
    return ordered


def fold_fragments(definitions: Iterable[DefinitionNode], fact: Fact[T]) -> dict[str, T]:
    """Each fragment's fact by name, each computed once, after those of its spreads."""
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    facts: dict[str, T] = {}
    for fragment in dependency_order(fragments):
        facts[fragment.name.value] = fact(fragment, facts)
    return facts
