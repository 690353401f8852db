"""Fixtures shared by every test: a backend (SQLite + fakeredis, and PostgreSQL + Redis when
configured), one migrated app per backend, and a clean database and redis for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.db import empty_all_tables
from tests.backends import Backend, reset_postgres, selected_backend, services_backend
from tests.helpers import Client, running_app, settings_for


@pytest.fixture(scope="session")
async def backend(tmp_path_factory: pytest.TempPathFactory) -> Backend:
    """The half of the matrix this run covers (`SELFSERVE_TEST_BACKEND`, default embedded).

    One pytest process per half: tortoise caches SQL per model class, so one process cannot
    switch a model between SQLite and PostgreSQL. `make test` runs both halves when configured.
    """
    if selected_backend() == "embedded":
        path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
        return Backend("embedded", f"sqlite://{path}", "")
    backend = await services_backend()
    await reset_postgres(backend.database_url)
    return backend


@pytest.fixture(scope="session")
async def app_client(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Client]:
    """The app with every default plugin, migrated once per backend."""
    var_dir = tmp_path_factory.mktemp(f"var-{backend.name}")
    async with running_app(settings_for(backend, var_dir)) as client:
        yield client


async def reset_state(client: Client) -> None:
    """Empty every table, redis and the outbox."""
    services = client.services
    await services.jobs.drain()
    await empty_all_tables(services.orm)
    await services.redis.flushdb()
    await services.request_limits.reset()
    if services.settings.outbox_path.exists():
        services.settings.outbox_path.unlink()


@pytest.fixture
async def client(app_client: Client) -> AsyncIterator[Client]:
    """A client on a clean app: nothing in the database, redis or outbox."""
    await reset_state(app_client)
    yield app_client
    await app_client.services.jobs.drain()


@pytest.fixture
def make_client(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Start an app with other settings: `async with make_client(plugins="account") as c:`."""

    def factory(extra_plugins: tuple = (), **overrides: Any) -> Any:
        var_dir = tmp_path_factory.mktemp("var-custom")
        return running_app(settings_for(backend, var_dir, **overrides), extra_plugins=extra_plugins)

    return factory
