"""The fault proxy itself: forwards, cuts, freezes and restores a real Redis connection."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlparse

import pytest
import redis.asyncio as aioredis

from tests.faults.proxy import tcp_proxy

pytestmark = pytest.mark.services


def _redis_target() -> tuple[str, int]:
    url = os.environ.get("SELFSERVE_TEST_REDIS_URL", "")
    if os.environ.get("SELFSERVE_TEST_BACKEND") != "services" or not url:
        pytest.skip("needs the real Redis (services half)")
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 6379


async def test_the_proxy_forwards_cuts_freezes_and_restores():
    host, port = _redis_target()
    with tcp_proxy(host, port) as proxy:
        client = aioredis.Redis(host="127.0.0.1", port=proxy.port, socket_timeout=1)
        try:
            assert await client.ping()
            proxy.cut()
            with pytest.raises((aioredis.ConnectionError, aioredis.TimeoutError, OSError)):
                await client.ping()
            proxy.restore()
            assert await client.ping()
            proxy.freeze()
            with pytest.raises((aioredis.TimeoutError, asyncio.TimeoutError)):
                await client.ping()
            proxy.restore()
            proxy.cut()  # the frozen connection holds a late answer: start afresh
            proxy.restore()
            assert await client.ping()
        finally:
            await client.aclose()
