"""The redis client: real redis when `SELFSERVE_REDIS_URL` is set, otherwise in-process fakeredis."""

from __future__ import annotations

import fakeredis
import redis.asyncio as aioredis

from core.settings import Settings


def make_redis(settings: Settings, url: str | None = None) -> aioredis.Redis:
    """Create a client (per process, inside the lifespan: async clients bind to one event loop)."""
    url = url if url is not None else settings.redis_url
    if url:
        # A blocking pool waits for a free connection: the default pool raises MaxConnectionsError
        # (a 500) as soon as more than 100 commands are in flight, e.g. a burst of websocket connects.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, decode_responses=True, health_check_interval=30, max_connections=100, timeout=20
        )
        return aioredis.Redis.from_pool(pool)
    return fakeredis.FakeAsyncRedis(server=fakeredis.FakeServer(), decode_responses=True)


def is_embedded(client: aioredis.Redis) -> bool:
    """True for the in-process fakeredis (single process only)."""
    return isinstance(client, fakeredis.FakeAsyncRedis)
