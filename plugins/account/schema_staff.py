"""Staff tools of the account plugin: user lookup, roles, and agents' account-recovery actions."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from core.pagination import Page, encode_cursor
from core.roles import Role as Staff
from plugins.account import agent_actions, user_admin
from plugins.account.types import AccountError, Role, User
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection, int_pk

UserConnection = Annotated[Connection[User], strawberry.lazy("plugins.account.schema_staff")]


@strawberry.enum(description="What an agent may do for a user who lost access.")
class AgentAccountActionKind(enum.Enum):
    REVOKE_SESSIONS = "REVOKE_SESSIONS"
    RESET_TWO_FACTOR = "RESET_TWO_FACTOR"
    UNBIND_PHONE = "UNBIND_PHONE"
    UNBIND_EMAIL = "UNBIND_EMAIL"


@strawberry.input(description="Give a user exactly these staff roles (USER is implicit).")
class UserRolesSetInput:
    user_id: strawberry.ID = strawberry.field(description="The user.")
    roles: list[Role] = strawberry.field(description="The roles the user shall hold.")
    reason: str = strawberry.field(description="Why (5 to 500 characters; kept in the audit log).")


@strawberry.input(description="An account-recovery action, justified by the user's open ticket.")
class AgentAccountActionInput:
    user_id: strawberry.ID = strawberry.field(description="The user the ticket is from.")
    ticket_id: strawberry.ID = strawberry.field(description="Their open ticket asking for it.")
    action: AgentAccountActionKind = strawberry.field(description="What to do.")
    reason: str = strawberry.field(description="Why (5 to 500 characters; kept in the audit log).")


@strawberry.type(description="An agent's account action was done and the user was told.")
class AgentActionDone:
    action: AgentAccountActionKind = strawberry.field(description="What was done.")
    user: User = strawberry.field(description="The user (contacts masked).")
    sessions_revoked: int = strawberry.field(description="Devices signed out.")
    notified_contacts: int = strawberry.field(description="Verified contacts the alert went to.")


UserRolesSetResult = Annotated[User | AccountError, strawberry.union("UserRolesSetResult")]
AgentAccountActionResult = Annotated[
    AgentActionDone | AccountError, strawberry.union("AgentAccountActionResult")
]


@strawberry.type
class AccountStaffQuery:
    @strawberry.field(
        description="Find users by an exact email, phone number or user id (masked results; rate "
        "limited and audited).",
        extensions=requires(Staff.AGENT, permission="users:read"),
    )
    async def users(
        self, info: Info, search: str, first: int | None = None, after: str | None = None
    ) -> UserConnection:
        context = info.context
        found = (
            []
            if after
            else await user_admin.search(context.services, context.caller, search, ip=context.ip, limit=100)
        )
        found = found[: max(0, min(first if first is not None else 20, 100))]
        page = Page(found, [encode_cursor("users", u.pk) for u in found], False)
        return connection(page, User.from_model)


@strawberry.type
class AccountStaffMutation:
    @strawberry.mutation(
        description="Set a user's staff roles (logged with the reason; the last administrator keeps ADMIN).",
        extensions=requires(Staff.ADMIN),
    )
    async def user_roles_set(self, info: Info, input: UserRolesSetInput) -> UserRolesSetResult:
        context = info.context
        user = await user_admin.set_roles(
            context.services,
            context.actor,
            user_pk=int_pk(input.user_id, "User", field="input.userId"),
            roles=[role.value for role in input.roles],
            reason=input.reason,
            ip=context.ip,
        )
        return User.from_model(user)

    @strawberry.mutation(
        description="Recover a user's account from their open ticket: sign out every device, reset "
        "two-step verification, or remove a lost phone or email. Needs a reason; the user's "
        "verified contacts are alerted and the action is logged with the reason.",
        extensions=requires(Staff.AGENT),
    )
    async def agent_account_action(
        self, info: Info, input: AgentAccountActionInput
    ) -> AgentAccountActionResult:
        context = info.context
        done = await agent_actions.perform(
            context.services,
            context.actor,
            user_pk=int_pk(input.user_id, "User", field="input.userId"),
            ticket_pk=int_pk(input.ticket_id, "Ticket", field="input.ticketId"),
            action=input.action.value,
            reason=input.reason,
            ip=context.ip,
        )
        return AgentActionDone(
            action=AgentAccountActionKind(done.action),
            user=User.from_model(done.user),
            sessions_revoked=done.sessions_revoked,
            notified_contacts=done.notified,
        )
