"""The support plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, SchemaContribution
from core.hookspecs import hookimpl
from plugins.support import events
from plugins.support.errors import MESSAGES, NOTICES


async def _load_tickets(ids, context):
    from plugins.support.models import Ticket as TicketModel
    from plugins.support.types import tickets_of

    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {t.pk: t for t in await TicketModel.filter(id__in=wanted)}
    built = {t.record.pk: t for t in await tickets_of(context, list(found.values()))}
    return [built.get(int(i)) if str(i).isdigit() else None for i in ids]


def _can_view_ticket(ticket, context):
    from plugins.support.access import can_view

    return can_view(ticket.record, context.caller)


PLUGIN_NAME = "support"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("assistant",)


@hookimpl
def register_models():
    return {"support": ["plugins.support.models"]}


@hookimpl
def register_schema():
    from plugins.support.schema import SupportMutation, SupportQuery, SupportSubscription
    from plugins.support.types import support_error_handler

    return SchemaContribution(
        query=SupportQuery,
        mutation=SupportMutation,
        subscription=SupportSubscription,
        exception_handlers=[support_error_handler],
        nodes=[NodeType("Ticket", _load_tickets, _can_view_ticket)],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}


@hookimpl
def register_jobs():
    from plugins.support.jobs import job_specs

    return job_specs()


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return events.EVENTS


@hookimpl
def register_permissions():
    return events.PERMISSIONS


@hookimpl
def register_routes():
    from plugins.support.files import routes

    return routes()


# The assistant's handoff hooks: a conversation handed to a human becomes a ticket.
@hookimpl
def handoff_result_types():
    from plugins.support.types import Ticket

    return [Ticket]


@hookimpl
async def handoff_ticket(context, conversation_id, subject, transcript, topic):
    from plugins.support.api import handoff_ticket as create

    return await create(
        context, conversation_id=conversation_id, subject=subject, transcript=transcript, topic=topic
    )


@hookimpl
async def handoff_message(services, conversation_id, body, user_id):
    from plugins.support.api import post_requester_message

    await post_requester_message(services, conversation_id=conversation_id, body=body, user_id=user_id)
    return True
