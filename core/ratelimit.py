"""One request rate limiter for every caller, built on `limits` (fixed one-minute windows).

Apps are limited by their own `rate_limit_per_minute`, signed-in users per user, anonymous callers
per IP. Counters live in redis (`limits`' async redis storage on the process's own connection
pool), so every API process shares them; the embedded default (fakeredis, one process) uses `limits`'
memory storage. Answers carry the IETF ratelimit-headers draft's `RateLimit-Policy` and `RateLimit`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage

from core.redis import is_embedded

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    """The outcome of one counted request: allowed or not, and the figures for the headers."""

    allowed: bool
    policy: str
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        """`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers), plus
        `Retry-After` when refused."""
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={WINDOW_SECONDS}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset_seconds}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


def make_storage(redis: Any, url: str) -> Storage:
    """`limits` storage sharing the process's redis connection pool (memory for fakeredis)."""
    if is_embedded(redis):
        return MemoryStorage()
    return RedisStorage(
        "async+" + url,  # the connection pool below is what it actually uses
        implementation="redispy",
        connection_pool=redis.connection_pool,
        key_prefix="selfserve:ratelimit",
    )


class RequestLimiter:
    """Count requests per caller and say whether one more is allowed."""

    def __init__(
        self, storage: Storage, *, user_per_minute: int, ip_per_minute: int, app_per_minute: int
    ) -> None:
        self._storage = storage
        self.user_per_minute = user_per_minute
        self.ip_per_minute = ip_per_minute
        self.app_per_minute = app_per_minute

    def _policy(self, caller: Any, ip: str) -> tuple[str, int, tuple[str, ...]]:
        if caller is None:
            return "ip", self.ip_per_minute, ("ip", ip)
        if caller.is_app:
            return "app", caller.rate_limit_per_minute or self.app_per_minute, ("app", caller.user_id)
        return "user", self.user_per_minute, ("user", caller.user_id)

    async def hit(self, caller: Any, ip: str) -> Verdict:
        """Count one request by `caller` (a `core.context.Actor` or None) from `ip`."""
        policy, limit, identifiers = self._policy(caller, ip)
        item = RateLimitItemPerMinute(max(limit, 1))
        key = item.key_for(*identifiers)
        # What `limits` FixedWindowRateLimiter.hit and get_window_stats do, with the count the
        # increment returns instead of reading it again: two store round trips, not three.
        count = await self._storage.incr(key, item.get_expiry())
        reset = max(1, math.ceil(await self._storage.get_expiry(key) - time.time()))
        return Verdict(count <= item.amount, policy, limit, max(item.amount - count, 0), reset)

    async def reset(self) -> None:
        """Forget every counter (tests)."""
        await self._storage.reset()
