"""Binding or changing an email or phone: a VERIFY_CONTACT code sent to the new contact and a
recent re-authentication with a factor the account already had (a first contact too: a thief's
first email would otherwise become the account's recovery channel). The alert goes to the
contacts as they were before, and "this wasn't me" on it puts the old contact back."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from core.context import Services
from core.errors import DomainError
from plugins.account import reauth, security_events
from plugins.account.client import ClientInfo
from plugins.account.codes import Codes
from plugins.account.models import User
from plugins.account.passwords import normalize_target


async def bind_contact(
    services: Services,
    user: User,
    session_id: str | None,
    client: ClientInfo,
    *,
    channel: str,
    target: str,
    code: str,
) -> User:
    """Bind (or confirm, or change) the email or phone of `user` with a code sent to `target`."""
    value = normalize_target(channel, target)
    column = "email" if channel == "EMAIL" else "phone"
    verified = f"{column}_verified"
    current = getattr(user, column)
    if current != value:
        await reauth.require(services, session_id)
    await Codes(services).consume("VERIFY_CONTACT", str(user.pk), value, code)
    if current == value:
        await User.filter(id=user.pk).update(**{verified: True})
        setattr(user, verified, True)
        return user
    if await User.filter(**{column: value}).exclude(id=user.pk).exists():
        raise DomainError("ALREADY_REGISTERED", field="target")
    told = security_events.contacts_of(user)
    undo = security_events.contact_undo(services, user, column, value)
    now = datetime.now(UTC)
    try:
        await User.filter(id=user.pk).update(**{column: value, verified: True, f"{column}_bound_at": now})
    except IntegrityError:
        raise DomainError("ALREADY_REGISTERED", field="target") from None
    setattr(user, column, value)
    setattr(user, verified, True)
    setattr(user, f"{column}_bound_at", now)
    await security_events.record(services, user, "CONTACT_CHANGED", client, notify=told, undo=undo)
    return user
