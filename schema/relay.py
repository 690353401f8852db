"""Relay: the `Node` interface, opaque global IDs, connections, and `node(id:)` with authorization."""

from __future__ import annotations

import base64
import binascii
import inspect
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import strawberry

from core.contributions import NodeType
from core.errors import DomainError, NotFound
from core.keys import is_digits, opaque, parse_key
from core.pagination import Page
from core.stash import StashKey
from schema.info import Info

T = TypeVar("T")


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    id: strawberry.ID = strawberry.field(description="Global ID; pass it to `node(id:)`.")


def to_global_id(type_name: str, pk: Any) -> strawberry.ID:
    """Encode `Type:pk` as an opaque ID."""
    return opaque(f"{type_name}:{pk}")  # type: ignore[return-value] - strawberry.ID is a str


def from_global_id(global_id: str, expected: str | None = None, field: str = "id") -> tuple[str, str]:
    """Decode a global ID; INVALID_INPUT when malformed or of another type than `expected`.

    A key of digits that no database column can hold (non-ASCII digits, or past 64 bits) names
    nothing: NOT_FOUND, checked here once so that no loader's `int(pk)` can overflow."""
    try:
        text = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError("INVALID_INPUT", field=field, detail="malformed ID") from None
    type_name, _, pk = text.partition(":")
    if not type_name or not pk or (expected and type_name != expected):
        raise DomainError("INVALID_INPUT", field=field, detail="malformed ID")
    if pk.isdigit() and parse_key(pk) is None:
        raise NotFound(field=field)
    return type_name, pk


def int_pk(global_id: str, expected: str, field: str = "id") -> int:
    """The integer primary key inside a global ID of type `expected`."""
    _, pk = from_global_id(global_id, expected, field)
    if not is_digits(pk):
        raise DomainError("INVALID_INPUT", field=field, detail="malformed ID")
    return int(pk)


@strawberry.type(description="Where a page ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


@strawberry.type(description="A node and its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque cursor of this item.")


def _edges(root: Any) -> list[Any]:
    # Built when selected: a client reading `nodes` pays for no cursor.
    return [Edge(node=item, cursor=cursor) for item, cursor in zip(root.nodes, root.cursors, strict=True)]


@strawberry.type(description="A page of items (`first` defaults to 20, at most 100).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="Items with cursors.", resolver=_edges)
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    # A plain attribute, so the executor completes the list directly.
    nodes: list[T] = strawberry.field(description="The items without cursors.")
    #: The items' cursors (`core.pagination.Cursors` encodes them only when asked).
    cursors: strawberry.Private[Sequence[str]]


def connection(page: Page, convert: Any = None) -> Any:
    """Build a `Connection` from a service `Page`, converting each item with `convert`."""
    items = [convert(item) for item in page.items] if convert else list(page.items)
    return Connection(
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        nodes=items,
        cursors=page.cursors,
    )


#: The deployment's Relay node types by GraphQL type name (the app stores its schema's `node_types`).
NODE_TYPES = StashKey[dict[str, NodeType]]()


async def resolve_node(context: Any, global_id: str) -> Any:
    """Load any node by global ID, or None when it does not exist or the actor may not see it."""
    try:
        type_name, pk = from_global_id(global_id)
    except DomainError:
        return None
    node_type = context.services.stash.get(NODE_TYPES, {}).get(type_name)
    if node_type is None:
        return None
    loaded = await node_type.load([pk], context)
    obj = loaded[0] if loaded else None
    if obj is None:
        return None
    allowed = node_type.can_view(obj, context)
    if inspect.isawaitable(allowed):
        allowed = await allowed
    return obj if allowed else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Fetch any object by its global ID (null if absent or not yours).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info.context, id)
