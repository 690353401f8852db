"""The content plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, SchemaContribution
from core.hookspecs import hookimpl
from plugins.content import access, events
from plugins.content.errors import MESSAGES, NOTICES, REASONS
from plugins.content.jobs import job_specs
from plugins.content.schema import ContentMutation, ContentQuery
from plugins.content.types import content_error_handler

PLUGIN_NAME = "content"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ()


@hookimpl
def register_models():
    return {"content": ["plugins.content.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=ContentQuery,
        mutation=ContentMutation,
        exception_handlers=[content_error_handler],
        nodes=[
            NodeType("Video", access.load_videos, access.can_view_video),
            NodeType("Comment", access.load_comments, access.can_view_comment),
            NodeType("Decision", access.load_decisions, access.can_view_decision),
        ],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES, **REASONS}


@hookimpl
def register_jobs():
    return job_specs()


@hookimpl
def seed_demo_data(services):
    from plugins.content.demo import seed

    return seed(services)


@hookimpl
async def on_event(event, services):
    if event.name == "account.deleted":
        from plugins.content.api import remove_content_of_deleted_user

        await remove_content_of_deleted_user(event.payload["user_id"])


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return events.EVENTS


@hookimpl
def register_permissions():
    return events.PERMISSIONS
