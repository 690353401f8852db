"""HTTP caching of GET queries: `Cache-Control` from the fields' cache hints (schema/cache_hints.py),
a strong `ETag` and `304 Not Modified`, and `Vary`.

- The policy is the most restrictive hint over every field the operation selects; a root field
  without a hint (anything user-specific, `me`, introspection) makes it `private, no-store`.
- Only anonymous requests may be `public`: one with `Authorization` or the portal's session cookie
  gets `private, max-age=N` at most (an admin sees drafts that strangers must not be served).
- An answer with errors is `no-store`; POST answers stay `no-store` (SecurityHeadersMiddleware).
- `ETag` is the SHA-256 of the body, so it changes whenever any byte does; a matching
  `If-None-Match` answers 304 with no body.
"""

from __future__ import annotations

import hashlib
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    parse,
)
from starlette.requests import Request
from starlette.responses import Response

from schema.cache_hints import NO_STORE, CacheHint, CacheScope, hint_of

VARY = "Accept, Accept-Language, Authorization"
#: Cookies that make a request a signed-in one (the portal's session cookie).
SESSION_COOKIES = ("selfserve_session",)
_DEFINITION = "strawberry-definition"
_UNSET = CacheHint(2**31 - 1, CacheScope.PUBLIC)


def policy_for(schema: GraphQLSchema, query: str, operation_name: str | None) -> CacheHint:
    """The cache hint of an operation that already parsed and validated."""
    document = parse(query)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return NO_STORE
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, document)
    walker.walk(operation.selection_set, root, None)
    return NO_STORE if walker.policy == _UNSET else walker.policy


class _Walker:
    """Folds the hints of every selected field (fragments included) into one policy."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.policy = _UNSET

    def walk(self, selections: SelectionSetNode, parent: Any, inherited: CacheHint | None) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, inherited)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                self.walk(selection.selection_set, target, inherited)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.walk(fragment.selection_set, target, inherited)

    def _field(self, node: FieldNode, parent: Any, inherited: CacheHint | None) -> None:
        name = node.name.value
        if name == "__typename":
            return
        field = getattr(parent, "fields", {}).get(name)
        if field is None:  # introspection (`__schema`, `__type`): never cached
            self.policy = self.policy.tighter(NO_STORE)
            return
        definition = field.extensions.get(_DEFINITION)
        hint = hint_of(getattr(definition, "metadata", None))
        if hint is None:
            effective = inherited or NO_STORE
        else:
            effective = hint.tighter(inherited) if inherited else hint
        self.policy = self.policy.tighter(effective)
        if node.selection_set is not None:
            self.walk(node.selection_set, get_named_type(field.type), effective)


def credentialed(request: Request) -> bool:
    """True when the request carries a credential (bearer token or session cookie)."""
    return "authorization" in request.headers or any(name in request.cookies for name in SESSION_COOKIES)


def cache_control(policy: CacheHint, signed_in: bool) -> str:
    """The `Cache-Control` value of a successful answer under `policy`."""
    if policy.max_age <= 0:
        return "private, no-store"
    scope = "private" if signed_in or policy.scope is CacheScope.PRIVATE else "public"
    return f"{scope}, max-age={policy.max_age}"


def etag_of(body: bytes) -> str:
    """A strong entity tag for a body."""
    return '"' + hashlib.sha256(body).hexdigest() + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    """`If-None-Match` uses the weak comparison (RFC 9110 13.1.2): `W/` prefixes do not matter."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)


def answer_get(
    request: Request, response: Response, result: Any, schema: Any, query: str, params: dict[str, Any]
) -> Response:
    """The GET answer of an executed operation (`schema` is the strawberry schema) with its
    caching headers, or 304."""
    policy = None if result.errors else policy_for(schema._schema, query, params["operation_name"])
    return cached_get(request, response, policy)


def cached_get(request: Request, response: Response, policy: CacheHint | None) -> Response:
    """Apply caching headers to a GET answer (`policy` None: the answer had errors), or answer
    304 when the client already holds this body."""
    response.headers["Vary"] = VARY
    if policy is None or response.status_code != 200:
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = etag_of(bytes(response.body))
    headers = {
        "Cache-Control": cache_control(policy, credentialed(request)),
        "ETag": etag,
        "Vary": VARY,
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
