"""Separation of duties, in one place for every plugin:

- nobody decides anything about their own account or request (real name, advertiser application,
  appeal, refund, a ticket they asked for): `CONFLICT_OF_INTEREST`;
- staff accounts (agents, reviewers, sales, admins) are moderated - banned, restricted, their
  content removed or hidden - only by an ADMIN, so an admin is banned by nobody but another
  admin: `ADMIN_REQUIRED`.

Both codes are in every plugin's error enum (`schema.errors.COMMON_CODES`); their messages are
in `core.errors.CORE_MESSAGES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.errors import DomainError
from core.roles import STAFF_ROLES, Role


class ConflictOfInterest(DomainError):
    """The deciding actor is a party to the case."""

    code = "CONFLICT_OF_INTEREST"


class AdminRequired(DomainError):
    """Only an ADMIN may moderate this (staff) account."""

    code = "ADMIN_REQUIRED"


def forbid_own_case(actor_id: Any, *party_ids: Any, field: str | None = None) -> None:
    """Raise `CONFLICT_OF_INTEREST` when `actor_id` is one of the case's parties (its subject,
    requester, or an earlier decider who may not decide again). `None` parties are ignored."""
    parties = {str(party) for party in party_ids if party is not None}
    if actor_id is not None and str(actor_id) in parties:
        raise ConflictOfInterest(field=field)


def is_staff(roles: Iterable[str]) -> bool:
    """True for an account holding any staff role."""
    return any(role in STAFF_ROLES for role in roles or ())


def require_may_moderate(moderator_roles: Iterable[str], target_roles: Iterable[str], *, field: str) -> None:
    """Raise `ADMIN_REQUIRED` when the target account is staff and the moderator is no ADMIN."""
    if is_staff(target_roles) and Role.ADMIN not in set(moderator_roles or ()):
        raise AdminRequired(field=field)
