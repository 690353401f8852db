"""Account recovery by support agents (`agentAccountAction`): sign out every device, reset two-step
verification, remove a lost phone or email.

Each action needs an open ticket from the user (the support plugin's `has_open_ticket`), a reason,
and is refused on the agent's own account and, unless the agent is an ADMIN, on staff accounts.
The change, a security event that alerts every verified contact left on the account, and the audit
entry are written together."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.context import Services
from core.duties import forbid_own_case, is_staff
from core.errors import DomainError, NotFound
from core.plugins import enabled
from core.roles import Role
from plugins.account import security_events
from plugins.account.models import RecoveryCode, User
from plugins.account.sessions import revoke_user_sessions

ACTIONS = ("REVOKE_SESSIONS", "RESET_TWO_FACTOR", "UNBIND_PHONE", "UNBIND_EMAIL")
#: The security event (and alert) each action leaves on the account.
EVENT_OF = {
    "REVOKE_SESSIONS": "SUPPORT_SESSIONS_REVOKED",
    "RESET_TWO_FACTOR": "SUPPORT_TWO_FACTOR_RESET",
    "UNBIND_PHONE": "SUPPORT_CONTACT_REMOVED",
    "UNBIND_EMAIL": "SUPPORT_CONTACT_REMOVED",
}


@dataclass(frozen=True)
class ActionDone:
    """What an action did: sessions ended, and how many contacts were told."""

    user: User
    action: str
    sessions_revoked: int
    notified: int


async def _require_open_ticket(services: Services, ticket_pk: int, user_pk: int) -> None:
    support = importlib.import_module("plugins.support.api") if enabled(services.pm, "support") else None
    if support is None or not await support.has_open_ticket(ticket_pk, user_pk):
        raise DomainError("OPEN_TICKET_REQUIRED", field="input.ticketId")


def _verified_contacts(user: User) -> list[tuple[str, str]]:
    found = [("EMAIL", user.email, user.email_verified), ("SMS", user.phone, user.phone_verified)]
    return [(channel, target) for channel, target, verified in found if target and verified]


async def _apply(services: Services, user: User, action: str) -> int:
    """Make the change; returns the number of sessions revoked."""
    if action == "REVOKE_SESSIONS":
        return await revoke_user_sessions(services, user.pk, reason="support")
    if action == "RESET_TWO_FACTOR":
        if not user.two_factor_enabled:
            raise DomainError("NOTHING_TO_UNBIND", field="input.action")
        await User.filter(id=user.pk).update(two_factor_secret_enc=None, two_factor_enabled_at=None)
        await RecoveryCode.filter(user_id=user.pk).delete()
        user.two_factor_secret_enc = user.two_factor_enabled_at = None
        return 0
    column, other = ("phone", "email") if action == "UNBIND_PHONE" else ("email", "phone")
    if not getattr(user, column):
        raise DomainError("NOTHING_TO_UNBIND", field="input.action")
    if not getattr(user, other):  # the last way to sign in stays: the agent cannot lock them out
        raise DomainError("INVALID_INPUT", field="input.action", detail="the account's only sign-in contact")
    await User.filter(id=user.pk).update(
        **{column: None, f"{column}_verified": False, f"{column}_bound_at": None}
    )
    setattr(user, column, None)
    setattr(user, f"{column}_verified", False)
    return 0


async def perform(
    services: Services, agent: Any, *, user_pk: int, ticket_pk: int, action: str, reason: str, ip: str
) -> ActionDone:
    """Run one recovery action for `agent` (see the module docstring for the rules)."""
    reason = " ".join((reason or "").split())
    if not 5 <= len(reason) <= 500:
        raise DomainError("INVALID_INPUT", field="input.reason", detail="a reason of 5 to 500 characters")
    if action not in ACTIONS:
        raise DomainError("INVALID_INPUT", field="input.action", detail="an account action")
    forbid_own_case(agent.user_id, user_pk, field="input.userId")
    user = await User.get_or_none(id=user_pk)
    if user is None or user.status == "DELETED":
        raise NotFound(field="input.userId")
    if is_staff(user.roles) and not agent.has_role(Role.ADMIN):
        raise DomainError(
            "INVALID_INPUT", field="input.userId", detail="staff accounts are recovered by an administrator"
        )
    await _require_open_ticket(services, ticket_pk, user_pk)
    async with in_transaction():
        revoked = await _apply(services, user, action)
        contacts = _verified_contacts(user)
        await security_events.record(services, user, EVENT_OF[action], notify=contacts)
        await audit.record(
            services,
            actor=agent,
            action=f"account.agent_{action.lower()}",
            target_type="User",
            target_id=user.pk,
            reason=reason,
            ip=ip,
            data={"ticket_id": str(ticket_pk), "sessions_revoked": revoked},
        )
    return ActionDone(user=user, action=action, sessions_revoked=revoked, notified=len(contacts))
