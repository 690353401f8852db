"""Request limits as a validation rule: depth, aliases (fragments expanded) and mutations per request.

Token count is enforced by the parser (`MaxTokensLimiter`) and body size by the HTTP layer.
Introspection fields (`__schema`, `__type`) do not count towards depth, so GraphiQL keeps working,
but aliases count everywhere, introspection included (160 aliased `__schema { types }` would
otherwise answer megabytes).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
)


class _Measure:
    """Depth and alias count of selection sets, memoised per fragment (linear in document size).

    Inside an introspection field depth is not counted (`counted=False`); aliases always are."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[tuple[str, bool], tuple[int, int]] = {}
        self.active: set[str] = set()

    def selection_set(self, node: SelectionSetNode | None, counted: bool = True) -> tuple[int, int]:
        if node is None:
            return 0, 0
        depth = aliases = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                inner = counted and not selection.name.value.startswith("__")
                child_depth, child_aliases = self.selection_set(selection.selection_set, inner)
                if inner:
                    depth = max(depth, 1 + child_depth)
                aliases += child_aliases + (1 if selection.alias else 0)
            elif isinstance(selection, InlineFragmentNode):
                child_depth, child_aliases = self.selection_set(selection.selection_set, counted)
                depth, aliases = max(depth, child_depth), aliases + child_aliases
            elif isinstance(selection, FragmentSpreadNode):
                child_depth, child_aliases = self.fragment(selection.name.value, counted)
                depth, aliases = max(depth, child_depth), aliases + child_aliases
        return depth, aliases

    def fragment(self, name: str, counted: bool) -> tuple[int, int]:
        key = (name, counted)
        if key in self.memo:
            return self.memo[key]
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0, 0  # unknown or cyclic fragments are reported by the standard rules
        self.active.add(name)
        self.memo[key] = result = self.selection_set(definition.selection_set, counted)
        self.active.discard(name)
        return result

    def root_fields(self, node: SelectionSetNode) -> int:
        count = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                count += 0 if selection.name.value.startswith("__") else 1
            elif isinstance(selection, InlineFragmentNode):
                count += self.root_fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                if definition is not None and selection.name.value not in self.active:
                    self.active.add(selection.name.value)
                    count += self.root_fields(definition.selection_set)
                    self.active.discard(selection.name.value)
        return count


def complexity_rule(max_depth: int, max_aliases: int, max_mutations: int) -> type[ValidationRule]:
    """A validation rule class enforcing the three limits with `extensions.code = QUERY_TOO_COMPLEX`."""

    class ComplexityLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> Any:
            fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
            measure = _Measure(fragments)
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                depth, aliases = measure.selection_set(definition.selection_set)
                if depth > max_depth:
                    self._report(f"query depth {depth} exceeds the limit of {max_depth}", definition)
                if aliases > max_aliases:
                    self._report(f"{aliases} aliases exceed the limit of {max_aliases}", definition)
                if definition.operation == OperationType.MUTATION:
                    mutations = measure.root_fields(definition.selection_set)
                    if mutations > max_mutations:
                        self._report(f"{mutations} mutations exceed the limit of {max_mutations}", definition)
            return None

        def _report(self, detail: str, node: Any) -> None:
            self.report_error(GraphQLError(detail, node, extensions={"code": "QUERY_TOO_COMPLEX"}))

    return ComplexityLimit
