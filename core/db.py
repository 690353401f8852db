"""The database: one tortoise app per plugin, built-in migrations, one context per process.

The `TortoiseContext` is created in the lifespan (never at import) and entered per request by
`selfserve.app`'s middleware, so every task sees the connections of its own app instance.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any, cast

import pluggy
from tortoise import context as tortoise_context
from tortoise.apps import Apps
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.executor import MigrationExecutor

from core.plugins import plugin_results
from core.settings import Settings

QUERY_LOGGER = "tortoise.db_client"


def orm_config(
    settings: Settings, pm: pluggy.PluginManager, database_url: str | None = None
) -> dict[str, Any]:
    """The tortoise configuration: one app per plugin that registers models."""
    # Core's own tables (outbox, audit log) exist whatever plugins are enabled.
    apps: dict[str, dict[str, Any]] = {
        "core": {"models": ["core.models"], "default_connection": "default", "migrations": "core.migrations"},
        # clientMutationId receipts: their own label and migrations (core.idempotency).
        "idempotency": {
            "models": ["core.idempotency"],
            "default_connection": "default",
            "migrations": "core.idempotency_migrations",
        },
    }
    for plugin_name, contribution in plugin_results(pm, "register_models"):
        for label, modules in contribution.items():
            if label in apps:
                raise RuntimeError(f"plugins {plugin_name!r} and another both register models for {label!r}")
            apps[label] = {
                "models": list(modules),
                "default_connection": "default",
                "migrations": f"{modules[0].rsplit('.', 1)[0]}.migrations",
            }
    return {
        "connections": {
            "default": connection_config(database_url or settings.effective_database_url, settings)
        },
        "apps": apps,
        "use_tz": True,
        "timezone": "UTC",
    }


def connection_config(url: str, settings: Settings) -> str | dict[str, Any]:
    """The tortoise connection for `url`; PostgreSQL gets the pool size and its timeouts.

    Without timeouts a frozen database holds a request (and a pooled connection) for ever:
    `command_timeout` bounds each statement on the client, `statement_timeout` on the server, and
    `timeout` bounds connecting.
    """
    if not url.startswith(("postgres://", "asyncpg://")):
        return url
    config = expand_db_url(url)
    credentials = config["credentials"]
    # No floor: asyncpg keeps re-opening floor connections during an outage and logs a traceback
    # each time; connections are opened on demand instead (and kept for 5 idle minutes).
    credentials.setdefault("minsize", 0)
    credentials.setdefault("maxsize", settings.database_pool_size)
    credentials.setdefault("timeout", settings.database_connect_timeout_seconds)
    credentials.setdefault("command_timeout", settings.database_command_timeout_seconds)
    # Released connections skip asyncpg's reset query (see `keep_session`): a round trip per query.
    credentials.setdefault("reset", keep_session)
    server = dict(credentials.get("server_settings") or {})
    server.setdefault("statement_timeout", str(int(settings.database_command_timeout_seconds * 1000)))
    credentials["server_settings"] = server
    return config


async def keep_session(connection: Any) -> None:
    """The pool's reset for a released PostgreSQL connection: nothing beyond what asyncpg always
    does first (roll back an open transaction, drop listeners).

    asyncpg's default also sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET
    ALL` on every release, a second round trip for each statement run outside a transaction.
    This code base keeps no session state on its connections: no session-level advisory locks,
    no cursors outside transactions, no LISTEN (events go through redis), no `SET` (the timeouts
    are connection settings, which `RESET ALL` would keep anyway). A plugin that needs session
    state sets it with `SET LOCAL` inside its transaction."""


@contextlib.contextmanager
def use_orm(ctx: TortoiseContext) -> Iterator[TortoiseContext]:
    """Make `ctx` the current tortoise context for this task (and tasks it starts).

    `with ctx:` is not safe here: the context object keeps one reset token, so concurrent requests
    sharing it corrupt each other's contextvar state. This sets and resets the contextvar per caller.
    """
    token = tortoise_context._current_context.set(ctx)
    try:
        yield ctx
    finally:
        tortoise_context._current_context.reset(token)


def _prepare_sqlite(url: Any, settings: Settings) -> None:
    if isinstance(url, str) and url.startswith("sqlite://") and ":memory:" not in url:
        settings.var_dir.mkdir(parents=True, exist_ok=True)


async def open_orm(
    settings: Settings, pm: pluggy.PluginManager, database_url: str | None = None
) -> TortoiseContext:
    """Connect to the database and return an initialised (not entered) context."""
    config = orm_config(settings, pm, database_url)
    _prepare_sqlite(config["connections"]["default"], settings)
    ctx = TortoiseContext()
    with use_orm(ctx):
        await ctx.init(config=config)
    ctx.selfserve_config = config  # type: ignore[attr-defined]
    return ctx


async def close_orm(ctx: TortoiseContext) -> None:
    """Close every connection of the context."""
    with use_orm(ctx):
        await ctx.close_connections()


async def migrate(ctx: TortoiseContext, progress: Callable[[str, str, str], object] | None = None) -> None:
    """Apply every plugin's pending migrations (tortoise's built-in migration executor)."""
    config = ctx.selfserve_config  # type: ignore[attr-defined]
    with use_orm(ctx):
        executor = MigrationExecutor(ctx.db("default"), config["apps"])
        await executor.migrate(None, progress=progress)


def _apps(ctx: TortoiseContext) -> Apps:
    """The context's model registry (set once `open_orm` has initialised it)."""
    if ctx.apps is None:
        raise RuntimeError("the ORM context is not initialised")
    return ctx.apps


async def make_migrations(ctx: TortoiseContext, name: str | None = None) -> list[str]:
    """Write new migration files for model changes (a developer command); returns their paths."""
    config = ctx.selfserve_config  # type: ignore[attr-defined]
    with use_orm(ctx):
        writers = await MigrationAutodetector(_apps(ctx), config["apps"]).changes()
    paths = []
    for writer in writers:
        if name:
            number = writer.name.split("_", 1)[0]
            writer.name = f"{number}_{name}"
        paths.append(str(writer.write()))
    return paths


async def column(query: Any, field: str) -> list[Any]:
    """The values of `field` over `query`: `values_list(field, flat=True)`, which tortoise's stubs
    type as a list of tuples whatever `flat` says."""
    return cast(list[Any], await query.values_list(field, flat=True))


def table_names(ctx: TortoiseContext) -> list[str]:
    """All model tables of the context (used by the test suite to empty the database)."""
    names = []
    with use_orm(ctx):
        for app in _apps(ctx).values():
            for model in app.values():
                names.append(model._meta.db_table)
    return sorted(names)


async def empty_all_tables(ctx: TortoiseContext) -> None:
    """Delete every row of every model table (tests). One statement on PostgreSQL."""
    tables = table_names(ctx)
    with use_orm(ctx):
        connection = ctx.db("default")
        if connection.capabilities.dialect == "postgres":
            quoted = ", ".join(f'"{t}"' for t in tables)
            await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            statements = ["PRAGMA foreign_keys=OFF"] + [f'DELETE FROM "{t}"' for t in tables]
            statements.append("PRAGMA foreign_keys=ON")
            await connection.execute_script(";".join(statements))


class QueryCounter(logging.Handler):
    """Counts SQL statements the ORM sends (tortoise logs each at DEBUG); used by SQL-count tests."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}:
            self.statements.append(message)

    def __enter__(self) -> QueryCounter:
        logger = logging.getLogger(QUERY_LOGGER)
        self._previous_level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger(QUERY_LOGGER)
        logger.removeHandler(self)
        logger.setLevel(self._previous_level)

    @property
    def count(self) -> int:
        """How many statements were counted."""
        return len(self.statements)
