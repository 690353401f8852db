"""Test backends: SQLite + fakeredis always, PostgreSQL + Redis when configured.

`SELFSERVE_TEST_DATABASE_URL` / `SELFSERVE_TEST_REDIS_URL` name the real services; with
`REQUIRE_SERVICES=1` an unreachable service fails the run instead of skipping that half.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Backend:
    """Where a test run keeps its data."""

    name: str
    database_url: str
    redis_url: str

    @property
    def is_real(self) -> bool:
        """True for PostgreSQL + Redis."""
        return self.name == "services"


def services_urls() -> tuple[str, str] | None:
    """The real services' URLs when both are configured."""
    database = os.environ.get("SELFSERVE_TEST_DATABASE_URL", "")
    redis = os.environ.get("SELFSERVE_TEST_REDIS_URL", "")
    return (database, redis) if database and redis else None


def selected_backend() -> str:
    """`embedded` (SQLite + fakeredis) or `services` (PostgreSQL + Redis) for this pytest run."""
    name = os.environ.get("SELFSERVE_TEST_BACKEND", "embedded")
    if name not in ("embedded", "services"):
        raise pytest.UsageError(f"SELFSERVE_TEST_BACKEND must be embedded or services, not {name!r}")
    return name


def require_services() -> bool:
    """True when an unreachable service must fail the run."""
    return os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")


async def _reachable(database_url: str, redis_url: str) -> str | None:
    import asyncpg
    import redis.asyncio as aioredis

    try:
        connection = await asyncio.wait_for(
            asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1)), 5
        )
        await connection.close()
    except Exception as error:  # noqa: BLE001 - reported to the user
        return f"PostgreSQL at {database_url} unreachable: {error}"
    client = aioredis.from_url(redis_url)
    try:
        await asyncio.wait_for(client.ping(), 5)
    except Exception as error:  # noqa: BLE001
        return f"Redis at {redis_url} unreachable: {error}"
    finally:
        await client.aclose()
    return None


async def reset_postgres(database_url: str) -> None:
    """Drop everything in the test database's public schema."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def services_backend() -> Backend:
    """The PostgreSQL + Redis backend, or skip (fail with REQUIRE_SERVICES=1)."""
    urls = services_urls()
    if urls is None:
        if require_services():
            pytest.fail(
                "REQUIRE_SERVICES=1 but SELFSERVE_TEST_DATABASE_URL/SELFSERVE_TEST_REDIS_URL are not set"
            )
        pytest.skip(
            "PostgreSQL + Redis not configured (set SELFSERVE_TEST_DATABASE_URL and SELFSERVE_TEST_REDIS_URL)"
        )
    problem = await _reachable(*urls)
    if problem:
        if require_services():
            pytest.fail(problem)
        pytest.skip(problem)
    return Backend("services", urls[0], urls[1])
