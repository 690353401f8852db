"""Re-authentication for sensitive changes: the password, or a SENSITIVE_ACTION code sent to a
bound contact, marks the session as recently re-authenticated for 10 minutes."""

from __future__ import annotations

import time
from typing import Any

from core.errors import DomainError
from core.security import FailureThrottle
from plugins.account import validation
from plugins.account.codes import Codes
from plugins.account.models import User

REAUTH_TTL = 600
KEY = "account:reauth:"


async def mark(services: Any, session_id: str | None) -> int:
    """Record a re-authentication of this session now; returns its validity in seconds."""
    if session_id:
        await services.redis.set(f"{KEY}{session_id}", str(int(time.time())), ex=REAUTH_TTL)
    return REAUTH_TTL


async def require(services: Any, session_id: str | None) -> None:
    """REAUTH_REQUIRED unless this session re-authenticated within the last 10 minutes."""
    if not session_id or not await services.redis.exists(f"{KEY}{session_id}"):
        raise DomainError("REAUTH_REQUIRED")


async def check_password(services: Any, user: User, password: str, *, field: str = "password") -> None:
    """INVALID_CREDENTIALS for a wrong password, under a per-account throttle with a growing delay."""
    throttle = FailureThrottle(services.redis, free=services.settings.login_free_failures)
    key = f"account-password:{user.pk}"
    wait = await throttle.retry_after(key)
    if wait:
        raise DomainError("TOO_MANY_ATTEMPTS", field=field, retry_after=wait)
    if not services.passwords.verify(user.password_hash, (password or "")[:1024]):
        await throttle.fail(key)
        raise DomainError("INVALID_CREDENTIALS", field=field)
    await throttle.succeed(key)


async def reauthenticate(
    services: Any,
    user: User,
    session_id: str | None,
    *,
    password: str | None,
    channel: str | None,
    code: str | None,
) -> int:
    """Re-authenticate with the password, or with a SENSITIVE_ACTION code sent to the bound
    contact of `channel`; returns the seconds the re-authentication lasts."""
    if password:
        await check_password(services, user, password)
    elif code and channel:
        target = user.email if channel == "EMAIL" else user.phone
        if not target:
            raise DomainError("INVALID_INPUT", field="channel", detail="no such contact is bound")
        await Codes(services).consume("SENSITIVE_ACTION", str(user.pk), target, code)
    else:
        raise DomainError("INVALID_INPUT", field="password", detail="give the password or a code")
    return await mark(services, session_id)


def bound_target(user: User, channel: str, target: str) -> str:
    """The user's own contact of `channel`, which `target` must name (SENSITIVE_ACTION codes go
    only to a contact already bound)."""
    value = (
        validation.normalize_email(target, "target")
        if channel == "EMAIL"
        else validation.normalize_phone(target, "target")
    )
    if value != (user.email if channel == "EMAIL" else user.phone):
        raise DomainError("INVALID_INPUT", field="target", detail="not a contact of this account")
    return value
