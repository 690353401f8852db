"""core.availability: which failures are dependency outages (503) and which stay bugs (500); the
PostgreSQL pool size and statement timeout come from the settings."""

from __future__ import annotations

import asyncio
import logging

import asyncpg
import pytest
import redis.exceptions as redis_errors
from tortoise.exceptions import IntegrityError, OperationalError

from core.availability import DATABASE, DEADLINE, REDIS, OutageMonitor, ServiceUnavailable, dependency_of
from core.db import use_orm


def test_redis_and_database_connection_failures_are_outages():
    assert dependency_of(redis_errors.ConnectionError("Connection refused")) == REDIS
    assert dependency_of(redis_errors.TimeoutError("Timeout reading from socket")) == REDIS
    assert dependency_of(ServiceUnavailable(DEADLINE)) == DEADLINE
    wrapped = OperationalError("lost")
    wrapped.__cause__ = asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed")
    assert dependency_of(wrapped) == DATABASE
    assert dependency_of(asyncpg.exceptions.QueryCanceledError("statement timeout")) == DATABASE


def test_bugs_and_bad_input_are_not_outages():
    assert dependency_of(OperationalError('column "nope" does not exist')) is None
    assert dependency_of(IntegrityError("duplicate key")) is None
    assert dependency_of(FileNotFoundError("media/abc")) is None  # an OSError, but not a client library's
    assert dependency_of(KeyError("x")) is None


async def test_an_outage_is_logged_once_and_its_end_once(caplog):
    state = {"up": False}

    async def probe():
        if not state["up"]:
            raise ConnectionError("still down")

    monitor = OutageMonitor({DATABASE: probe}, probe_every=0.05)
    with caplog.at_level(logging.WARNING, logger="selfserve.availability"):
        for _ in range(50):
            monitor.report(DATABASE, ConnectionResetError("reset"))
        assert monitor.down == (DATABASE,)
        state["up"] = True
        for _ in range(100):
            if not monitor.down:
                break
            await asyncio.sleep(0.05)
    await monitor.close()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("database unavailable") and "is back after" in messages[1]


@pytest.mark.services
async def test_postgres_pool_size_and_statement_timeout_are_settings(make_client, backend):
    if not backend.is_real:
        pytest.skip("PostgreSQL only")
    async with make_client(database_pool_size=3, database_command_timeout_seconds=1) as live:
        connection = live.services.orm.db("default")
        with use_orm(live.services.orm):
            await connection.execute_query("SELECT 1")
            assert connection._pool.get_max_size() == 3
            with pytest.raises(Exception) as raised:  # noqa: B017 - which one is asyncpg's business
                await connection.execute_query("SELECT pg_sleep(5)")
        assert dependency_of(raised.value) == DATABASE


@pytest.mark.services
async def test_released_postgres_connections_skip_the_session_reset_query(client, backend):
    """One round trip per statement: asyncpg's pool would otherwise send its reset query
    (`RESET ALL` and friends) after each; an open transaction is still rolled back."""
    if not backend.is_real:
        pytest.skip("PostgreSQL only")
    connection = client.services.orm.db("default")
    observer = await asyncpg.connect(backend.database_url.replace("postgres://", "postgresql://", 1))
    try:
        with use_orm(client.services.orm):
            rows = await connection.execute_query_dict("SELECT pg_backend_pid() AS pid, 'marker-41' AS tag")
        pid = rows[0]["pid"]
        last = await observer.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
        assert "marker-41" in last and "RESET ALL" not in last
        # A transaction left open on a released connection is rolled back by asyncpg itself.
        pooled = await connection._pool.acquire()
        pooled_pid = pooled.get_server_pid()
        try:
            await pooled.execute("BEGIN")
            await pooled.execute("CREATE TEMP TABLE reset_probe (n int)")
        finally:
            await connection._pool.release(pooled)
        state = await observer.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pooled_pid)
        assert state == "idle"  # not "idle in transaction"
    finally:
        await observer.close()
