"""The app factory: `create_app(settings)` returns a Starlette app whose lifespan opens the database,
redis, jobs, events and builds the schema from the enabled plugins."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.context import Services
from core.db import use_orm
from core.outbox import relay_scope
from core.plugins import get_plugin_manager
from core.settings import Settings
from schema.build import build_schema
from schema.relay import NODE_TYPES
from selfserve.availability import OutageMiddleware
from selfserve.cors import add_cors
from selfserve.graphql import GraphQLEndpoint, websocket_app
from selfserve.headers import SecurityHeadersMiddleware
from selfserve.health import health, live, ready
from selfserve.metrics import metrics_endpoint
from selfserve.observe import install as install_observability
from selfserve.services import close_services, open_services

logger = logging.getLogger("selfserve")


class OrmContextMiddleware:
    """Enter the app's tortoise context for every request, so resolvers use this app's connections;
    an HTTP request also relays the outbox rows it wrote once it is done (they have committed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services: Services | None = getattr(scope["app"].state, "services", None) if "app" in scope else None
        if services is None or scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        with use_orm(services.orm):
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            async with relay_scope(services.jobs.relay) as outbox:

                async def send_after_relay(message: Message) -> None:
                    # The resolvers are done (their transactions committed) when the answer
                    # starts: relay what they queued before the client sees the answer.
                    if message["type"] == "http.response.start":
                        await outbox.flush()
                    await send(message)

                await self.app(scope, receive, send_after_relay)


def freeze_startup_heap() -> None:
    """Move everything alive after start-up (modules, the schema, plugins, caches' skeletons) out
    of the garbage collector's reach: `gc.freeze()` after a full collection.

    The cyclic collector's older generations otherwise walk that whole heap again and again while
    requests allocate; measured in-process on `me` with 32 requests in flight, that was about a
    third of each request's CPU time. Frozen objects are still freed by reference counting; only
    reference cycles among them would stay (there are none left after the collection). Served
    processes call this (selfserve/asgi.py), not the test suite's many apps in one process."""
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    *,
    migrate: bool | None = None,
    extra_plugins: tuple = (),
    freeze_heap: bool = False,
) -> Starlette:
    """Create the ASGI app. `migrate` applies pending migrations at start (default: outside
    production); `freeze_heap` freezes the start-up heap once the services are open."""
    settings = settings or Settings()
    pm = get_plugin_manager(settings.plugin_names, extra=extra_plugins)
    schema = build_schema(pm, settings)
    endpoint = GraphQLEndpoint(schema, settings)
    ws = websocket_app(schema, settings, endpoint.persisted)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await open_services(
            settings, pm, migrate=not settings.is_production if migrate is None else migrate
        )
        services.stash[NODE_TYPES] = schema.node_types
        app.state.services = services
        if freeze_heap:
            freeze_startup_heap()
        try:
            yield
        finally:
            await close_services(services)

    routes: list[Any] = [
        Route("/graphql", endpoint.handle, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", ws),
        Route("/health", health, methods=["GET"]),
        Route("/health/live", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]
    for plugin_routes in pm.hook.register_routes():
        routes.extend(plugin_routes or [])
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(OrmContextMiddleware)
    app.add_middleware(OutageMiddleware)
    add_cors(app, settings)
    # Outermost: every answer (CORS preflights included) carries the security headers.
    app.add_middleware(SecurityHeadersMiddleware)
    app.state.settings = settings
    app.state.pm = pm
    app.state.schema = schema
    # Outermost of all: request id, the request's log line, metrics and trace span.
    install_observability(app, settings)
    return app
