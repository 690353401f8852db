"""The assistant plugin's manifest."""

from __future__ import annotations

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from plugins.assistant.errors import MESSAGES
from plugins.assistant.schema import AssistantMutation
from plugins.assistant.types import assistant_error_handler

PLUGIN_NAME = "assistant"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "helpcenter")
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("appeals", "content", "payments", "support")


@hookimpl
def register_models():
    return {"assistant": ["plugins.assistant.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(mutation=AssistantMutation, exception_handlers=[assistant_error_handler])


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
