"""Plain data a plugin hands to the core at start-up (no GraphQL import here)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NodeType:
    """A Relay node type: how to load instances by primary key and who may see one.

    `load(ids, context)` returns objects in the order of `ids` (None where missing);
    `can_view(obj, context)` answers whether the request's actor may see it.
    """

    type_name: str
    load: Callable[[Sequence[str], Any], Awaitable[list[Any]]]
    can_view: Callable[[Any, Any], bool | Awaitable[bool]]


@dataclass(frozen=True)
class SchemaContribution:
    """What one plugin adds to the GraphQL schema.

    `query`, `mutation` and `subscription` are strawberry types whose fields are merged into the
    roots. `entitlement` gates every root field of the plugin (paid add-ons). Every root field also
    sits behind the plugin's kill-switch flag (key = plugin name) unless `kill_switch` is False (the
    features plugin, so an admin can always turn the others back on).
    """

    query: type | None = None
    mutation: type | None = None
    subscription: type | None = None
    types: Sequence[Any] = ()
    exception_handlers: Sequence[Any] = ()
    nodes: Sequence[NodeType] = ()
    entitlement: str | None = None
    kill_switch: bool = True


@dataclass(frozen=True)
class AssistantActionSpec:
    """A self-service action the assistant may offer when it answers `topic`."""

    topic: str
    kind: str
    target: str
    label: dict[str, str] = field(default_factory=dict)
