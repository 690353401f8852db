"""The appeals plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, SchemaContribution
from core.hookspecs import hookimpl
from plugins.appeals import events
from plugins.appeals.errors import MESSAGES, NOTICES
from plugins.appeals.schema import AppealsMutation, AppealsQuery
from plugins.appeals.types import appeal_error_handler, can_view_appeal, load_appeals

PLUGIN_NAME = "appeals"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "content")
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ()


@hookimpl
def register_models():
    return {"appeals": ["plugins.appeals.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=AppealsQuery,
        mutation=AppealsMutation,
        exception_handlers=[appeal_error_handler],
        nodes=[NodeType("Appeal", load_appeals, can_view_appeal)],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return events.EVENTS


@hookimpl
def register_permissions():
    return events.PERMISSIONS


@hookimpl
def register_routes():
    from plugins.appeals.files import routes

    return routes()
