"""The partners plugin's manifest."""

from __future__ import annotations

from core.contributions import NodeType, PermissionSpec, SchemaContribution
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from plugins.partners import dispatch, tokens
from plugins.partners.access import can_view_app, load_apps
from plugins.partners.errors import MESSAGES
from plugins.partners.schema import PartnersMutation, PartnersQuery
from plugins.partners.settings import WebhookSettings
from plugins.partners.types import partner_error_handler

PLUGIN_NAME = "partners"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled: their events become webhooks.
OPTIONAL: tuple[str, ...] = ("ads", "appeals", "content", "payments", "premium", "support")


@hookimpl
def register_models():
    return {"partners": ["plugins.partners.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=PartnersQuery,
        mutation=PartnersMutation,
        exception_handlers=[partner_error_handler],
        nodes=[NodeType("App", load_apps, can_view_app)],
    )


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_permissions():
    return [PermissionSpec("webhooks:manage", "Manage the app's own webhook subscriptions and deliveries.")]


@hookimpl
def register_jobs():
    period = max(1, round(WebhookSettings().poll_seconds))
    return [
        JobSpec(dispatch.DELIVER_JOB, dispatch.deliver, retries=3),
        JobSpec(dispatch.SWEEP_JOB, dispatch.sweep, period_seconds=period),
    ]


@hookimpl
def register_metrics():
    return list(dispatch.METRICS)


@hookimpl
def actor_from_token(token, services):
    return tokens.actor_for_app_token(services, token)


@hookimpl
def on_event(event, services):
    # Most bus events are no webhook: answer those without a coroutine or a transaction.
    if dispatch.catalogue(services).by_bus_name(event.name):
        return dispatch.on_event(services, event)
    return None


@hookimpl
async def shutdown(app_state):
    client = app_state.stash.pop(dispatch.CLIENT_KEY, None)
    if client is not None:
        await client.aclose()
