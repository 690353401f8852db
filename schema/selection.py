"""What a resolver's result will be asked for: the field names anywhere below it in the document.

A list resolver that loads its rows' related objects up front (so they are plain attributes the
executor completes directly, instead of one async resolver per row) uses it to load only what the
query selects. The answer is conservative: a name counts wherever it appears below the field, in
fragments too and whatever `@skip`/`@include` say, so nothing selected is ever missing.
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode


def selected_names(info: Any) -> frozenset[str]:
    """Every field name in the selection sets below the resolved field (`info`: strawberry's)."""
    raw = info._raw_info
    fragments = raw.fragments
    names: set[str] = set()
    seen: set[str] = set()
    stack = [node.selection_set for node in raw.field_nodes if node.selection_set is not None]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
                if selection.selection_set is not None:
                    stack.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    stack.append(fragment.selection_set)
    return frozenset(names)


def wants(selected: frozenset[str] | None, name: str) -> bool:
    """True when `name` is selected; `selected` None (a caller without a document, such as a node
    loader) wants everything."""
    return selected is None or name in selected
