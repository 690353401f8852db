"""The assistant plugin's manifest."""

from __future__ import annotations

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from core.plugins import plugin_results
from plugins.assistant.errors import MESSAGES
from plugins.assistant.schema import assistant_mutation
from plugins.assistant.types import assistant_error_handler

PLUGIN_NAME = "assistant"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "helpcenter")
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("appeals", "content", "payments", "support")
#: The hooks this plugin offers to the others (added before any plugin registers).
HOOKSPECS = "plugins.assistant.hookspecs"


@hookimpl
def register_models():
    return {"assistant": ["plugins.assistant.models"]}


@hookimpl
def register_schema(pm):
    types = [t for _, found in plugin_results(pm, "handoff_result_types") for t in found or []]
    return SchemaContribution(
        mutation=assistant_mutation(types), exception_handlers=[assistant_error_handler]
    )


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_assistant_actions():
    from plugins.assistant.engine import default_actions
    from plugins.helpcenter.api import shipped_articles

    return default_actions(shipped_articles())


@hookimpl
def startup(app_state):
    from plugins.assistant.lifecycle import on_startup

    return on_startup(app_state)
