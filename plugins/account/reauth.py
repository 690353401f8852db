"""Re-authentication for sensitive changes (binding or changing a contact, turning two-step
verification on or off): the session proves, within the last 10 minutes, a factor the account
already had before this session, so a stolen access token alone changes nothing.

Factors that count: the password; an authenticator code when two-step verification was on before
the session began; a SENSITIVE_ACTION code sent to a contact the account had at registration, or
bound and verified at least 7 days ago and before the session began. A contact bound with the
stolen session itself can therefore never vouch for the next change.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from core.context import Services
from core.errors import DomainError
from plugins.account import validation
from plugins.account.client import ClientInfo
from plugins.account.codes import Codes
from plugins.account.login_guard import LoginGuard
from plugins.account.models import Session, User

REAUTH_TTL = 600
#: A contact bound after registration cannot confirm sensitive changes for this long.
NEW_CONTACT_QUARANTINE = timedelta(days=7)
KEY = "account:reauth:"


async def mark(services: Services, session_id: str | None, factor: str) -> int:
    """Record a re-authentication of this session now; returns its validity in seconds."""
    if session_id:
        await services.redis.set(f"{KEY}{session_id}", f"{int(time.time())}:{factor}", ex=REAUTH_TTL)
    return REAUTH_TTL


async def require(services: Services, session_id: str | None) -> None:
    """REAUTH_REQUIRED unless this session re-authenticated within the last 10 minutes (`mark` is
    only ever called after a factor that counts)."""
    if not session_id or not await services.redis.exists(f"{KEY}{session_id}"):
        raise DomainError("REAUTH_REQUIRED")


async def check_password(
    services: Services, user: User, password: str, client: ClientInfo, *, field: str = "password"
) -> None:
    """INVALID_CREDENTIALS for a wrong password; it counts like a failed sign-in (per account and
    address, per address, and the account's failure total)."""
    guard = LoginGuard(services, client, user, f"user:{user.pk}")
    try:
        await guard.check()
    except DomainError as refused:
        raise DomainError("TOO_MANY_ATTEMPTS", field=field, **refused.params) from None
    if not services.passwords.verify(user.password_hash, (password or "")[:1024]):
        await guard.fail()
        raise DomainError("INVALID_CREDENTIALS", field=field)


async def _session_started(session_id: str | None) -> datetime:
    session = await Session.get_or_none(id=session_id) if session_id else None
    return session.created_at if session else datetime.now(UTC)


def contact_vouches(user: User, channel: str, session_started: datetime) -> str | None:
    """The contact of `channel` if it may confirm a sensitive change now, else None."""
    column = "email" if channel == "EMAIL" else "phone"
    value = getattr(user, column)
    bound_at = getattr(user, f"{column}_bound_at")
    if not value:
        return None
    if bound_at is None:  # the account's own contact since registration
        return value
    too_new = datetime.now(UTC) - bound_at < NEW_CONTACT_QUARANTINE or bound_at >= session_started
    if too_new or not getattr(user, f"{column}_verified"):
        return None
    return value


async def vouching_target(
    services: Services, user: User, session_id: str | None, channel: str, target: str
) -> str:
    """The user's own contact named by `target` when it may receive SENSITIVE_ACTION codes."""
    value = (
        validation.normalize_email(target, "target")
        if channel == "EMAIL"
        else validation.normalize_phone(target, "target")
    )
    if value != (user.email if channel == "EMAIL" else user.phone):
        raise DomainError("INVALID_INPUT", field="target", detail="not a contact of this account")
    if contact_vouches(user, channel, await _session_started(session_id)) is None:
        raise DomainError(
            "INVALID_INPUT", field="target", detail="a newly bound contact cannot confirm changes yet"
        )
    return value


async def reauthenticate(
    services: Services,
    user: User,
    session_id: str | None,
    client: ClientInfo,
    *,
    password: str | None,
    channel: str | None,
    code: str | None,
    otp: str | None = None,
) -> int:
    """Re-authenticate with the password, an authenticator code, or a SENSITIVE_ACTION code sent
    to a contact that may vouch; returns the seconds the re-authentication lasts."""
    if password:
        await check_password(services, user, password, client)
        return await mark(services, session_id, "password")
    if otp:
        await _check_totp(services, user, session_id, client, otp)
        return await mark(services, session_id, "totp")
    if code and channel:
        target = contact_vouches(user, channel, await _session_started(session_id))
        if target is None:
            raise DomainError("INVALID_INPUT", field="channel", detail="no contact that may confirm changes")
        await Codes(services).consume("SENSITIVE_ACTION", str(user.pk), target, code)
        return await mark(services, session_id, f"code:{channel}")
    raise DomainError("INVALID_INPUT", field="password", detail="give the password or a code")


async def _check_totp(
    services: Services, user: User, session_id: str | None, client: ClientInfo, otp: str
) -> None:
    from plugins.account import twofactor  # twofactor needs `require` from here

    enabled_at = user.two_factor_enabled_at
    if not user.two_factor_enabled or (enabled_at and enabled_at >= await _session_started(session_id)):
        raise DomainError("INVALID_INPUT", field="otp", detail="no authenticator that may confirm changes")
    guard = LoginGuard(services, client, user, f"user:{user.pk}")
    await guard.check()
    await guard.check_second_factor_allowed()
    if not await twofactor.check_second_factor(services, user, otp, client, totp_only=True):
        await guard.fail(second_factor=True)
        raise DomainError("INVALID_CODE", field="otp")
