"""The community plugin's manifest."""

from __future__ import annotations

from core.contributions import NodeType, SchemaContribution
from core.hookspecs import hookimpl
from plugins.community.errors import MESSAGES, NOTICES


async def _load_threads(ids, context):
    from plugins.community.queries import threads_by_ids
    from plugins.community.types import ForumThread

    rows = await threads_by_ids([int(i) if str(i).isdigit() else -1 for i in ids])
    return [ForumThread.from_model(t) if t else None for t in rows]


PLUGIN_NAME = "community"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("helpcenter",)


@hookimpl
def register_models():
    return {"community": ["plugins.community.models"]}


@hookimpl
def register_schema():
    from plugins.community.schema import CommunityMutation, CommunityQuery
    from plugins.community.types import can_view_thread, community_error_handler

    return SchemaContribution(
        query=CommunityQuery,
        mutation=CommunityMutation,
        exception_handlers=[community_error_handler],
        nodes=[NodeType("ForumThread", _load_threads, can_view_thread)],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}


@hookimpl
async def seed_demo_data(services):
    from plugins.community.boards import ensure_default_boards

    return [b.slug for b in await ensure_default_boards()]
