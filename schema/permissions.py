"""Who may resolve what: authentication, roles and app permissions (`requires`), per-user
entitlement gating of paid fields, and feature-flag gating (`RequiresFeature`), all declared on
the field."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import OperationType
from strawberry.extensions import FieldExtension
from strawberry.schema_directive import Location
from strawberry.types.base import StrawberryOptional
from strawberry.types.union import StrawberryUnion

from core import audit
from core.errors import EntitlementDenied, FeatureDisabled, Forbidden, NotAuthenticated
from core.roles import Role


@strawberry.type(description="The caller lacks a paid add-on; `product` names what unlocks it.")
class EntitlementRequired:
    entitlement: str = strawberry.field(description="The entitlement key, e.g. `analytics_report`.")
    product: str | None = strawberry.field(description="The premium product that grants it.")
    message: str = strawberry.field(description="Upsell message in the request's language.")


@strawberry.type(description="A feature flag is off for the caller; clients hide what it switches.")
class FeatureUnavailable:
    feature: str = strawberry.field(description="The flag key, e.g. `premium.analytics_report`.")
    message: str = strawberry.field(description="Message in the request's language.")


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="requiresFeature",
    description="Resolving this field needs the feature flag `key` to be on for the caller.",
)
class RequiresFeatureDirective:
    key: str


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="requiresEntitlement",
    description="Resolving this field needs the entitlement `key` (a paid add-on).",
)
class RequiresEntitlementDirective:
    key: str


class Requires(FieldExtension):
    """Who may call a field, declared once: staff `roles` (`core.roles.Role`; ADMIN holds them
    all), any signed-in user (`user=True`, the resolver then limits them to their own data), and/or
    partner apps holding the app `permission`. The requirement is written into the field's SDL
    description. This is the only way a field says who may call it (no `require_role` by hand).

    Anonymous callers get UNAUTHENTICATED; a user without the role, and an app without the
    permission, get FORBIDDEN. A restricted (banned) session passes only with `allow_restricted`.
    A top-level mutation an app calls (async resolvers, i.e. all of them) is audited as
    `app.<field>` with the app as actor once it returns.
    Resolvers then read the caller from `info.context.caller` (or `actor` for users only).
    """

    def __init__(
        self,
        *roles: Role,
        permission: str | None = None,
        user: bool = False,
        allow_restricted: bool = False,
    ) -> None:
        # Role(...) refuses a misspelt role when the schema module is imported, not at request time.
        self.roles = tuple(Role(role) for role in roles)
        self.permission = permission
        self.user = user
        self.allow_restricted = allow_restricted

    @property
    def requirement(self) -> str:
        """The sentence added to the description, e.g. `Requires: AGENT or app permission tickets:read.`"""
        parts = ["a signed-in user"] if self.user else []
        parts += [" or ".join(role.value for role in self.roles)] if self.roles else []
        if self.permission:
            parts.append(f"app permission {self.permission}")
        return "Requires: " + " or ".join(parts) + "."

    def apply(self, field: Any) -> None:
        # Fields are shared across schema builds: append the sentence once.
        description = field.description or ""
        if self.requirement not in description:
            field.description = f"{description} {self.requirement}".strip()

    def check(self, context: Any) -> None:
        """Raise UNAUTHENTICATED / FORBIDDEN unless the request's caller qualifies."""
        caller = context.caller
        if caller is None:
            raise NotAuthenticated()
        if caller.is_app:
            if self.permission and caller.has_permission(self.permission):
                return
            raise Forbidden()
        if caller.restricted and not self.allow_restricted:
            raise Forbidden(reason="restricted")
        if self.user or caller.has_role(*self.roles):
            return
        raise Forbidden()

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        self.check(info.context)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        self.check(info.context)
        result = next_(source, info, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        if _is_app_mutation(info):
            await _audit_app_call(info, self.permission, result)
        return result


def _is_app_mutation(info: Any) -> bool:
    caller = info.context.caller
    operation = getattr(info, "operation", None)
    return bool(
        caller is not None
        and caller.is_app
        and operation is not None
        and operation.operation == OperationType.MUTATION
        and info.path.prev is None  # the top-level field: one entry per call
    )


async def _audit_app_call(info: Any, permission: str | None, result: Any) -> None:
    """Every mutation an app makes is audited with the app as actor (`app.<field>`), whatever the
    plugin records itself: what it acted on (the returned node, if any), the permission it used,
    and the outcome (the result's type, e.g. `SupportError` for a refused input)."""
    context = info.context
    target_id = getattr(result, "id", None)
    await audit.record(
        context.services,
        actor=context.caller,
        action=f"app.{info.field_name}",
        target_type=type(result).__name__ if target_id is not None else None,
        target_id=target_id,
        ip=context.ip,
        data={"permission": permission, "result": type(result).__name__},
    )


def requires(
    *roles: Role, permission: str | None = None, user: bool = False, allow_restricted: bool = False
) -> list[FieldExtension]:
    """`extensions=requires(Role.AGENT, permission="tickets:read")` for a strawberry field."""
    return [Requires(*roles, permission=permission, user=user, allow_restricted=allow_restricted)]


def _returns_member(field: Any, member: type) -> bool:
    field_type = field.type
    if isinstance(field_type, StrawberryOptional):
        field_type = field_type.of_type
    return isinstance(field_type, StrawberryUnion) and any(
        getattr(t, "__name__", None) == member.__name__ or t is member for t in field_type.types
    )


def _returns_entitlement_required(field: Any) -> bool:
    return _returns_member(field, EntitlementRequired)


def add_entitlement_directive(field: Any, key: str) -> None:
    """Mark a field with `@requiresEntitlement(key:)` once (fields are shared across builds)."""
    if not any(isinstance(d, RequiresEntitlementDirective) and d.key == key for d in field.directives):
        field.directives.append(RequiresEntitlementDirective(key=key))


class RequiresEntitlement(FieldExtension):
    """Gate a field on an entitlement.

    Denied: a result union containing `EntitlementRequired` returns it (a typed upsell), any other
    field raises `ENTITLEMENT_REQUIRED` as a top-level error. Anonymous callers get UNAUTHENTICATED.
    """

    def __init__(self, key: str, product: str | None = None) -> None:
        self.key = key
        self.product = product or key
        self._typed = False

    def apply(self, field: Any) -> None:
        add_entitlement_directive(field, self.key)
        self._typed = _returns_entitlement_required(field)

    async def _denial(self, info: Any) -> Any:
        context = info.context
        context.require_user()
        granted = await context.services.entitlements.for_request(context)
        if self.key in granted:
            return None
        # The registered spec names the product that sells the entitlement and its localized title.
        spec = context.services.entitlements.specs.get(self.key)
        product = spec.product if spec else self.product
        title = (spec.title.get(context.language) or spec.title.get("en")) if spec and spec.title else product
        if self._typed:
            return EntitlementRequired(
                entitlement=self.key,
                product=product,
                message=context.message("ENTITLEMENT_REQUIRED", product=title),
            )
        raise EntitlementDenied(self.key, product)

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        denial = await self._denial(info)
        if denial is not None:
            return denial
        result = next_(source, info, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        return result


def gate_field(field: Any, key: str, product: str | None = None) -> None:
    """Add `RequiresEntitlement(key)` to a field unless it is already there (idempotent)."""
    if any(isinstance(ext, RequiresEntitlement) and ext.key == key for ext in field.extensions):
        return
    field.extensions.append(RequiresEntitlement(key, product))
    add_entitlement_directive(field, key)


class RequiresFeature(FieldExtension):
    """Gate a field on a feature flag (evaluated for the caller through `core.flags`).

    Off: a result union containing `FeatureUnavailable` returns it, any other field raises
    `FEATURE_UNAVAILABLE` as a top-level error; a running subscription ends when the flag turns off.
    Field extensions run last-listed first: list it after `RequiresEntitlement` so a flag that is
    off answers `FeatureUnavailable` even to a user holding the entitlement.
    """

    def __init__(self, key: str, *, directive: bool = True) -> None:
        self.key = key
        self._directive = directive
        self._typed = False
        self._subscription = False

    def apply(self, field: Any) -> None:
        if self._directive and not any(
            isinstance(d, RequiresFeatureDirective) and d.key == self.key for d in field.directives
        ):
            field.directives.append(RequiresFeatureDirective(key=self.key))
        self._typed = _returns_member(field, FeatureUnavailable)
        self._subscription = bool(getattr(field, "is_subscription", False))

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        context = info.context
        flags = context.services.flags
        if not await flags.enabled(self.key, context):
            if self._typed:
                return FeatureUnavailable(feature=self.key, message=context.message("FEATURE_UNAVAILABLE"))
            raise FeatureDisabled(self.key)
        result = next_(source, info, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        if self._subscription and hasattr(result, "__anext__"):
            return flags.watch(self.key, context, result)
        return result


def gate_feature(field: Any, key: str, *, directive: bool = False) -> None:
    """Add `RequiresFeature(key)` to a field unless it is already there (idempotent); kill
    switches pass `directive=False` so the SDL does not repeat the plugin name on every field."""
    if any(isinstance(ext, RequiresFeature) and ext.key == key for ext in field.extensions):
        return
    field.extensions.append(RequiresFeature(key, directive=directive))
