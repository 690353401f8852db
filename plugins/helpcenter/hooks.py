"""The helpcenter plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, PermissionSpec, SchemaContribution
from core.hookspecs import hookimpl
from plugins.helpcenter.errors import MESSAGES
from plugins.helpcenter.loader import CONTENT_DIR
from plugins.helpcenter.schema import HelpMutation, HelpQuery
from plugins.helpcenter.types import can_view_article, help_error_handler, load_articles

PLUGIN_NAME = "helpcenter"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ()
#: The hooks this plugin offers to the others (added before any plugin registers).
HOOKSPECS = "plugins.helpcenter.hookspecs"


@hookimpl
def register_models():
    return {"helpcenter": ["plugins.helpcenter.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=HelpQuery,
        mutation=HelpMutation,
        exception_handlers=[help_error_handler],
        nodes=[NodeType("HelpArticle", load_articles, can_view_article)],
    )


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_routes():
    from plugins.helpcenter.media_routes import routes

    return routes()


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return [EventSpec("helpcenter.articles_changed", "Help articles were added or changed.", webhook=False)]


@hookimpl
def register_permissions():
    return [PermissionSpec("helpcenter:write", "Edit help-center articles and media.")]


@hookimpl
def register_help_content():
    return [str(CONTENT_DIR)]


@hookimpl
def startup(app_state):
    from plugins.helpcenter.lifecycle import on_startup

    return on_startup(app_state)


@hookimpl
def seed_demo_data(services):
    from plugins.helpcenter.lifecycle import seed_demo

    return seed_demo(services)
