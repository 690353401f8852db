"""The account plugin's manifest."""

from __future__ import annotations

from collections.abc import Sequence

from core.contributions import EventSpec, NodeType, PermissionSpec, SchemaContribution
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from plugins.account import lifecycle
from plugins.account.access import can_view_own, can_view_user
from plugins.account.api import load_security_events, load_users
from plugins.account.errors import MESSAGES, NOTICES
from plugins.account.schema import AccountMutation, AccountQuery
from plugins.account.schema_profile import AccountProfileMutation
from plugins.account.schema_review import AccountReviewQuery
from plugins.account.schema_security import AccountSecurityMutation
from plugins.account.schema_staff import AccountStaffMutation, AccountStaffQuery
from plugins.account.sessions import actor_for_access_token
from plugins.account.types import account_error_handler

PLUGIN_NAME = "account"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ()
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ("support",)  # agents' account actions need the user's open ticket
#: The hooks this plugin offers to the others (added before any plugin registers).
HOOKSPECS = "plugins.account.hookspecs"


@hookimpl
def register_models():
    return {"account": ["plugins.account.models"]}


@hookimpl
def startup(app_state):
    from plugins.account.sms import install_sms_provider

    install_sms_provider(app_state)


@hookimpl
def register_schema():
    return SchemaContribution(
        query=(AccountQuery, AccountReviewQuery, AccountStaffQuery),
        mutation=(AccountMutation, AccountSecurityMutation, AccountProfileMutation, AccountStaffMutation),
        exception_handlers=[account_error_handler],
        nodes=[
            NodeType("User", load_users, can_view_user),
            NodeType("SecurityEvent", load_security_events, can_view_own),
        ],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}


@hookimpl
def actor_from_token(token, services):
    return actor_for_access_token(services, token)


@hookimpl
def flag_context(actor, services):
    from plugins.account.api import flag_attributes

    return flag_attributes(actor)


@hookimpl
def seed_demo_data(services):
    from plugins.account.demo import seed

    return seed(services)


@hookimpl
def register_jobs():
    from plugins.account.realname_files import PHOTO_PURGE_JOB, purge_photos

    return [
        JobSpec(lifecycle.PURGE_JOB, lifecycle.purge_deleted, period_seconds=3600),
        JobSpec(PHOTO_PURGE_JOB, purge_photos, period_seconds=3600),
    ]


@hookimpl
def register_events() -> Sequence[EventSpec]:
    return [
        EventSpec(
            "account.security_event", "A security event on an account (sign-in, change).", webhook=False
        ),
        EventSpec("account.real_name_reviewed", "A real-name verification was decided.", webhook=False),
        EventSpec("account.deleted", "An account was purged.", webhook=False),
    ]


@hookimpl
def register_permissions():
    return [PermissionSpec("users:read", "See user ids in webhook payloads and look users up.")]


@hookimpl
def register_face_verifiers():
    from plugins.account.face import SandboxFaceVerifier

    return [SandboxFaceVerifier()]


@hookimpl
async def real_name_decision(submission, services):
    from plugins.account.face import check
    from plugins.account.realname import RealNameDecision

    if await check(services, submission):
        return RealNameDecision(approve=True, note="face verification passed")
    return None


@hookimpl
def register_routes():
    from plugins.account.realname_files import routes

    return routes()
