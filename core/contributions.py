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
    load: Callable[[list[Any], Any], Awaitable[list[Any]]]
    can_view: Callable[[Any, Any], bool | Awaitable[bool]]


@dataclass(frozen=True)
class SchemaContribution:
    """What one plugin adds to the GraphQL schema.

    `query`, `mutation` and `subscription` are strawberry types (one, or a sequence of several)
    whose fields are merged into the roots. `entitlement` gates every root field of the plugin (paid add-ons). Every root field also
    sits behind the plugin's kill-switch flag (key = plugin name) unless `kill_switch` is False (the
    features plugin, so an admin can always turn the others back on).
    """

    query: type | Sequence[type] | None = None
    mutation: type | Sequence[type] | None = None
    subscription: type | Sequence[type] | None = None
    types: Sequence[Any] = ()
    exception_handlers: Sequence[Any] = ()
    nodes: Sequence[NodeType] = ()
    entitlement: str | None = None
    kill_switch: bool = True

    def roots(self, root: str) -> tuple[type, ...]:
        """The types contributed to `root` (`"query"`, `"mutation"` or `"subscription"`)."""
        value = getattr(self, root)
        if value is None:
            return ()
        return (value,) if isinstance(value, type) else tuple(value)


@dataclass(frozen=True)
class AssistantActionSpec:
    """A self-service action the assistant may offer when it answers `topic`."""

    topic: str
    kind: str
    target: str
    label: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PermissionSpec:
    """An app permission a plugin defines (`register_permissions`), e.g. `tickets:read`."""

    key: str
    description: str


@dataclass(frozen=True)
class EventSpec:
    """A domain event a plugin publishes (`register_events`), typed for the webhook catalogue.

    `source` is the bus event it is built from when that is named differently (e.g.
    `decision.created` for `content.decision_made`). A webhook payload carries only the keys named in
    `fields` (IDs and plain facts), plus `extra[permission]` keys for apps holding that permission, so
    no secret can leak by being added to a bus payload later. `accept(payload)` may drop an event
    (internal notes are not `ticket.replied` webhooks). `webhook=False` keeps an event in-process.
    """

    name: str
    description: str
    permission: str = ""
    example: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None
    accept: Callable[[dict[str, Any]], bool] | None = None
    webhook: bool = True
    #: Payload keys holding database ids, with their GraphQL node type (sent as global IDs).
    ids: dict[str, str] = field(default_factory=dict)
    plugin: str = ""

    @property
    def bus_name(self) -> str:
        """The name of the published bus event this spec describes."""
        return self.source or self.name

    def data_for(self, payload: dict[str, Any], permissions: frozenset[str] | set[str]) -> dict[str, Any]:
        """The webhook `data` for an app holding `permissions`: allowed keys only."""
        keys = list(self.fields)
        for permission, more in sorted(self.extra.items()):
            if permission in permissions:
                keys.extend(more)
        return {key: payload[key] for key in keys if key in payload}
