"""App tokens: `ssk_` + 256 random bits, kept only as SHA-256, resolved through a redis cache.

Revoking or rotating writes a tombstone over the cached entry, and the cache is only filled with
`SET NX`, so a request that read the database just before the revocation cannot put the old token
back: every API process refuses it from the next request on.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from core.context import APP, Actor, Services
from core.errors import NotAuthenticated
from core.security import token_hash

PREFIX = "ssk_"
CACHE_SECONDS = 300
REVOKED = "revoked"
#: `lastUsedAt` is written at most once per this many seconds per app.
LAST_USED_EVERY = 60


def new_token() -> str:
    """A fresh app token (43 random URL-safe characters after the prefix)."""
    return PREFIX + secrets.token_urlsafe(32)


def hint(token: str) -> str:
    """What may be shown again: the prefix, 4 characters and the last 4."""
    return f"{token[:8]}…{token[-4:]}"


def _cache_key(hashed: str) -> str:
    return f"partners:token:{hashed}"


def _actor(entry: dict[str, Any]) -> Actor:
    return Actor(
        user_id=f"app:{entry['app_id']}",
        app_id=str(entry["app_id"]),
        roles=frozenset(),
        kind=APP,
        permissions=frozenset(entry["permissions"]),
        rate_limit_per_minute=entry["rate_limit"],
        name=entry.get("name"),
    )


async def forget(services: Services, hashed: str) -> None:
    """Refuse a token from now on in every process (tombstone outlives any cached entry)."""
    await services.redis.set(_cache_key(hashed), REVOKED, ex=CACHE_SECONDS * 2)


async def _touch(services: Services, app_id: int) -> None:
    from plugins.partners.models import App

    if await services.redis.set(f"partners:used:{app_id}", "1", nx=True, ex=LAST_USED_EVERY):
        await App.filter(id=app_id).update(last_used_at=datetime.now(UTC))


async def actor_for_app_token(services: Services, token: str) -> Actor | None:
    """The app actor of a live `ssk_` token; None for other tokens; `NotAuthenticated` for an
    unknown, revoked or rotated app token (the request is refused, not run as anonymous)."""
    if not token.startswith(PREFIX):
        return None
    from plugins.partners.models import App

    hashed = token_hash(token)
    cached = await services.redis.get(_cache_key(hashed))
    if cached == REVOKED:
        raise NotAuthenticated()
    if cached:
        entry = json.loads(cached)
    else:
        app = await App.get_or_none(token_hash=hashed)
        if app is None or app.revoked_at is not None:
            raise NotAuthenticated()
        entry = {
            "app_id": app.pk,
            "permissions": list(app.permissions),
            "rate_limit": app.rate_limit_per_minute,
            "name": app.name,
        }
        await services.redis.set(_cache_key(hashed), json.dumps(entry), ex=CACHE_SECONDS, nx=True)
        if await services.redis.get(_cache_key(hashed)) == REVOKED:
            raise NotAuthenticated()
    await _touch(services, entry["app_id"])
    return _actor(entry)
