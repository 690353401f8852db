"""The baseline for the `me` benchmark: a plain Starlette endpoint doing the same work as the GraphQL
`me` query (verify the bearer token, check revocation in redis, read the user row) and returning the
same JSON, without GraphQL."""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.callers import bearer_token
from core.db import use_orm
from core.plugins import get_plugin_manager
from core.settings import Settings
from plugins.account.masking import mask_email
from plugins.account.sessions import actor_for_access_token
from schema.relay import to_global_id
from selfserve.services import close_services, open_services


async def me(request: Request) -> JSONResponse:
    services = request.app.state.services
    token = bearer_token(request.headers.get("authorization"))
    with use_orm(services.orm):
        actor = await actor_for_access_token(services, token) if token else None
    if actor is None:
        return JSONResponse({"data": {"me": None}})
    user = actor.record
    return JSONResponse(
        {
            "data": {
                "me": {
                    "id": to_global_id("User", user.pk),
                    "displayName": user.display_name,
                    "email": mask_email(user.email),
                }
            }
        }
    )


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    settings = Settings()
    app.state.services = await open_services(settings, get_plugin_manager(["account"]), migrate=False)
    try:
        yield
    finally:
        await close_services(app.state.services)


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/me", me), Route("/health", health)], lifespan=lifespan)
