"""Entitlements: which paid add-ons a user has. Grants come from the `entitlements_for_user` hook
(unioned), memoised per request, cached in redis, dropped on an `entitlement.changed` event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core.context import Services
from core.plugins import call_async, plugin_results

CHANGED_EVENT = "entitlement.changed"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class EntitlementSpec:
    """A grantable entitlement and the product that sells it."""

    key: str
    product: str
    title: dict[str, str] = field(default_factory=dict)


class Entitlements:
    """Look up a user's entitlements with a redis cache."""

    def __init__(self, pm: Any, redis: Any, services: Services) -> None:
        #: Every plugin's `register_entitlements`, by key (names the product that sells each).
        self.specs: dict[str, EntitlementSpec] = {
            spec.key: spec for _, specs in plugin_results(pm, "register_entitlements") for spec in specs
        }
        self._pm = pm
        self._redis = redis
        self._services = services

    async def for_user(self, user_id: str) -> frozenset[str]:
        """All keys granted to the user (cached for a few minutes, invalidated on change)."""
        cache_key = f"ent:{user_id}"
        cached = await self._redis.get(cache_key)
        if cached is not None:
            return frozenset(json.loads(cached))
        granted: set[str] = set()
        for keys in await call_async(
            self._pm, "entitlements_for_user", user_id=user_id, services=self._services
        ):
            granted.update(keys)
        await self._redis.set(cache_key, json.dumps(sorted(granted)), ex=CACHE_SECONDS)
        return frozenset(granted)

    async def invalidate(self, user_id: str) -> None:
        """Forget the cached grants of a user (called for `entitlement.changed`)."""
        await self._redis.delete(f"ent:{user_id}")

    async def for_request(self, context: Any) -> frozenset[str]:
        """The actor's entitlements, memoised on the request context."""
        if context.actor is None:
            return frozenset()
        memo = context.memo("entitlements")
        if memo is None:
            memo = context.remember("entitlements", await self.for_user(context.actor.user_id))
        return memo
