"""The feedback plugin's manifest."""

from __future__ import annotations

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from plugins.feedback.errors import MESSAGES, NOTICES

PLUGIN_NAME = "feedback"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("community", "helpcenter", "support")


@hookimpl
def register_models():
    return {"feedback": ["plugins.feedback.models"]}


@hookimpl
def register_schema():
    from plugins.feedback.schema import FeedbackMutation, FeedbackQuery
    from plugins.feedback.types import feedback_error_handler

    return SchemaContribution(
        query=FeedbackQuery, mutation=FeedbackMutation, exception_handlers=[feedback_error_handler]
    )


@hookimpl
def register_jobs():
    from plugins.feedback.jobs import deliver_survey
    from plugins.feedback.surveys import DELIVER_JOB

    return [JobSpec(DELIVER_JOB, deliver_survey)]


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}
