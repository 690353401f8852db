"""Every operation a plugin subset exposes works: each built-in plugin runs with exactly what it
requires, and every root query and mutation of that schema, called with the simplest valid
arguments (as a stranger, a signed-in user and a member of every staff role), answers without INTERNAL_SERVER_ERROR or a 500.

The arguments are the smallest values of their types (`"x"`, 1, the first enum value, the required
fields of an input object), so most mutations answer a typed refusal (`NOT_FOUND`, `INVALID_INPUT`):
what matters here is that an operation whose cooperating plugin is absent refuses like that too,
instead of failing inside. Operations with a required file (`Upload!`) need a multipart request
and are left to their plugin's tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)
from graphql.pyutils import Undefined

from core.db import use_orm
from core.plugins import DEFAULT_PLUGINS, get_plugin_manager, plugin_infos
from core.roles import STAFF_ROLES
from core.settings import Settings
from schema.build import build_schema

SCALARS = {
    "String": '"x"',
    "ID": '"x"',
    "Int": "1",
    "Float": "1.0",
    "Boolean": "false",
    "DateTime": '"2026-01-01T00:00:00+00:00"',
    "Date": '"2026-01-01"',
    "JSON": "{}",
}


def _subset(name: str) -> str:
    """`name` and everything it requires, transitively, as a SELFSERVE_PLUGINS value."""
    infos = plugin_infos(get_plugin_manager())
    required: list[str] = []
    pending = list(infos[name].requires)
    while pending:
        needed = pending.pop()
        if needed not in required:
            required.append(needed)
            pending.extend(infos[needed].requires)
    return ",".join(dict.fromkeys([*sorted(required), name]))


def _literal(type_: GraphQLInputType) -> str | None:
    """The simplest literal of an input type; None when there is none (a file)."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        item = _literal(type_.of_type)
        return None if item is None else f"[{item}]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        return SCALARS.get(type_.name)
    assert isinstance(type_, GraphQLInputObjectType)
    fields = _required(type_.fields)
    return None if fields is None else "{" + ", ".join(fields) + "}"


def _required(inputs: Mapping[str, Any]) -> list[str] | None:
    """`name: value` of every required argument or input field; None when one needs a file."""
    pairs = []
    for name, item in inputs.items():
        if isinstance(item.type, GraphQLNonNull) and item.default_value is Undefined:
            value = _literal(item.type)
            if value is None:
                return None
            pairs.append(f"{name}: {value}")
    return pairs


def _operation(kind: str, name: str, field: GraphQLField) -> str | None:
    """`query { field(required args) { __typename } }`, or None when it needs a file."""
    arguments = _required(field.args)
    if arguments is None:
        return None
    call = f"{name}({', '.join(arguments)})" if arguments else name
    named = get_named_type(field.type)
    selection = "" if isinstance(named, GraphQLScalarType | GraphQLEnumType) else " { __typename }"
    return f"{kind} {{ {call}{selection} }}"


def _operations(plugins: str) -> list[str]:
    schema = build_schema(get_plugin_manager(plugins.split(",")), Settings(env="test", secret_key="x" * 40))
    found = []
    for kind, root in (("query", schema._schema.query_type), ("mutation", schema._schema.mutation_type)):
        for name, field in (root.fields if root else {}).items():
            operation = _operation(kind, name, field)
            if operation is not None:
                found.append(operation)
    # Signing out ends the callers' sessions: last, so every other operation runs signed in.
    return sorted(found, key=lambda operation: "Logout" in operation)


def _internal_errors(body: dict) -> list[dict]:
    return [
        error
        for error in body.get("errors") or ()
        if (error.get("extensions") or {}).get("code") in {"INTERNAL_SERVER_ERROR", None}
    ]


def test_the_operations_are_built_for_every_root_field():
    operations = _operations(_subset("support"))
    assert "query { me { __typename } }" in operations
    assert any(op.startswith("mutation { ticketCreate(input: {") for op in operations)
    assert all("Upload" not in op for op in operations)


@pytest.mark.parametrize("name", sorted(DEFAULT_PLUGINS))
async def test_every_operation_of_a_minimal_plugin_set_answers_without_an_internal_error(make_client, name):
    plugins = _subset(name)
    operations = _operations(plugins)
    assert operations, plugins
    failures = []
    async with make_client(plugins=plugins) as client:
        # Sign-up limits are per address and hour: earlier tests on a real Redis used them up.
        await client.services.redis.flushdb()
        await client.services.request_limits.reset()
        if "helpcenter" in plugins.split(","):
            from plugins.helpcenter.api import ensure_seeded

            with use_orm(client.services.orm):
                await ensure_seeded(client.services)
        user = await client.signup()
        staff = await client.signup(roles=tuple(role.value for role in STAFF_ROLES))
        for operation in operations:
            for token in (None, user.token, staff.token):
                response = await client.http.post(
                    "/graphql",
                    json={"query": operation},
                    headers={"Authorization": f"Bearer {token}"} if token else {},
                )
                body = response.json()
                if response.status_code >= 500 or _internal_errors(body):
                    failures.append((operation, token, response.status_code, body))
    assert not failures, json.dumps(failures[:5], ensure_ascii=False)[:3000]
