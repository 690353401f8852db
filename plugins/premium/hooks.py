"""The premium plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, PermissionSpec, SchemaContribution
from core.entitlements import EntitlementSpec
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from plugins.premium import service
from plugins.premium.catalogue import PRODUCTS
from plugins.premium.errors import MESSAGES
from plugins.premium.schema import PremiumMutation, PremiumQuery
from plugins.premium.types import premium_error_handler

PLUGIN_NAME = "premium"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "payments")
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("content",)


@hookimpl
def register_models():
    return {"premium": ["plugins.premium.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=PremiumQuery, mutation=PremiumMutation, exception_handlers=[premium_error_handler]
    )


@hookimpl
def register_entitlements():
    return [EntitlementSpec(p.entitlement, p.key, dict(p.title)) for p in PRODUCTS]


@hookimpl
def register_flags():
    from plugins.premium.api import FLAGS

    return list(FLAGS)


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return [EventSpec(service.CHANGED, "A user's entitlements changed (cache invalidation).", webhook=False)]


@hookimpl
def register_permissions():
    return [PermissionSpec("entitlements:write", "Grant and revoke users' entitlements.")]


@hookimpl
def register_jobs():
    return [JobSpec("premium.expire", lambda services: service.expire(services), period_seconds=60)]


@hookimpl
def register_routes():
    from plugins.premium.routes import routes

    return routes()


@hookimpl
async def entitlements_for_user(user_id, services):
    if not str(user_id).isdigit():
        return []
    return sorted(await service.active_entitlements(user_id))
