"""The redis client: real redis when `SELFSERVE_REDIS_URL` is set, otherwise in-process fakeredis."""

from __future__ import annotations

import fakeredis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from core.settings import Settings


def make_redis(settings: Settings, url: str | None = None) -> aioredis.Redis:
    """Create a client (per process, inside the lifespan: async clients bind to one event loop)."""
    url = url if url is not None else settings.redis_url
    if url:
        # A blocking pool waits for a free connection: the default pool raises MaxConnectionsError
        # (a 500) as soon as more than 100 commands are in flight, e.g. a burst of websocket connects.
        # Timeouts so a frozen Redis fails a command instead of holding it; the health check and
        # one quick retry replace a pooled connection that went stale while Redis restarted.
        # (Blocking reads, like a worker's, need a client without the short socket timeout.)
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            decode_responses=True,
            max_connections=100,
            timeout=settings.redis_socket_timeout_seconds,
            socket_timeout=settings.redis_socket_timeout_seconds,
            socket_connect_timeout=settings.redis_connect_timeout_seconds,
            socket_keepalive=True,
            health_check_interval=settings.redis_health_check_interval_seconds,
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=1),
            retry_on_error=[RedisConnectionError],
        )
        return aioredis.Redis.from_pool(pool)
    return fakeredis.FakeAsyncRedis(server=fakeredis.FakeServer(), decode_responses=True)


def text(value: bytes | str | None) -> str | None:
    """A reply as the `str` it is: the clients decode responses, but redis-py types every reply
    as `bytes | str`."""
    return value.decode() if isinstance(value, bytes) else value


def is_embedded(client: aioredis.Redis) -> bool:
    """True for the in-process fakeredis (single process only)."""
    return isinstance(client, fakeredis.FakeAsyncRedis)
