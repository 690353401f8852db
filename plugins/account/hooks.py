"""The account plugin's manifest."""

from __future__ import annotations

from core.contributions import NodeType, SchemaContribution
from core.hookspecs import hookimpl
from plugins.account import queries
from plugins.account.access import can_view_user
from plugins.account.errors import MESSAGES, NOTICES
from plugins.account.schema import AccountMutation, AccountQuery
from plugins.account.sessions import actor_for_access_token
from plugins.account.types import User, account_error_handler


async def _load_users(ids, context):
    return [User.from_model(u) if u else None for u in await queries.users_by_ids(ids)]


@hookimpl
def register_models():
    return {"account": ["plugins.account.models"]}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=AccountQuery,
        mutation=AccountMutation,
        exception_handlers=[account_error_handler],
        nodes=[NodeType("User", _load_users, can_view_user)],
    )


@hookimpl
def register_error_codes():
    return {**MESSAGES, **NOTICES}


@hookimpl
def actor_from_token(token, services):
    return actor_for_access_token(services, token)


@hookimpl
def seed_demo_data(services):
    from plugins.account.demo import seed

    return seed(services)
