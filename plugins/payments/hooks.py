"""The payments plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, SchemaContribution
from core.hookspecs import hookimpl
from core.roles import Role
from plugins.payments import events, service
from plugins.payments.errors import MESSAGES
from plugins.payments.schema import PaymentsMutation, PaymentsQuery
from plugins.payments.types import RechargeOrder, Refund, payment_error_handler


def _can_view(obj, context) -> bool:
    """Owner or support staff (agents look orders up for a ticket)."""
    actor = context.actor
    return actor is not None and (actor.user_id == str(obj.user_pk) or actor.has_role(Role.AGENT))


async def _load_orders(ids, context):
    return [RechargeOrder.from_model(o) if o else None for o in await service.orders_by_ids(ids)]


async def _load_refunds(ids, context):
    return [Refund.from_model(r) if r else None for r in await service.refunds_by_ids(ids)]


PLUGIN_NAME = "payments"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ()
#: The hooks this plugin offers to the others (added before any plugin registers).
HOOKSPECS = "plugins.payments.hookspecs"


@hookimpl
def register_models():
    return {"payments": ["plugins.payments.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=PaymentsQuery,
        mutation=PaymentsMutation,
        exception_handlers=[payment_error_handler],
        nodes=[
            NodeType("RechargeOrder", _load_orders, _can_view),
            NodeType("Refund", _load_refunds, _can_view),
        ],
    )


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return events.EVENTS


@hookimpl
def register_permissions():
    return events.PERMISSIONS


@hookimpl
def register_jobs():
    from plugins.payments.jobs import job_specs

    return job_specs()


@hookimpl
def register_routes():
    from plugins.payments.routes import routes

    return routes()


@hookimpl
def register_commands(cli):
    from plugins.payments.cli import register

    register(cli)


@hookimpl
def startup(app_state):
    """Build the provider registry now, so a sandbox turned on in production is logged at start."""
    from core.devonly import warn_if_live_in_production
    from plugins.payments.providers import providers
    from plugins.payments.settings import payment_settings

    providers(app_state)
    warn_if_live_in_production(
        app_state.settings,
        payment_settings(app_state).sandbox,
        surface="SANDBOX PAYMENTS (free coins)",
        variable="SELFSERVE_PAYMENTS_SANDBOX",
    )


@hookimpl
def register_payment_providers():
    from plugins.payments.providers.sandbox import SandboxProvider

    return [SandboxProvider()]
