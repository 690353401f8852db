"""Object-level authorization for account data: a user sees their own; staff see users' basics."""

from __future__ import annotations

from typing import Any

from core.errors import Forbidden
from schema.info import Info


def require_self(info: Info, user_pk: int) -> None:
    """Only the user themself (restricted sessions included: it is their own data)."""
    actor = info.context.require_user(allow_restricted=True)
    if actor.user_id != str(user_pk):
        raise Forbidden()


def require_self_or_staff(info: Info, user_pk: int) -> None:
    """The user themself, or an agent, reviewer or admin."""
    actor = info.context.require_user(allow_restricted=True)
    if actor.user_id != str(user_pk) and not actor.is_staff:
        raise Forbidden()


def can_view_user(user: Any, context: Any) -> bool:
    """`node(id:)` rule for users: oneself or staff."""
    actor = context.actor
    return actor is not None and (actor.user_id == str(user.pk) or actor.is_staff)


def can_view_own(obj: Any, context: Any) -> bool:
    """`node(id:)` rule for private account objects (security events): the owner only."""
    actor = context.actor
    return actor is not None and actor.user_id == str(obj.owner_pk)
