"""Registration and sign-in (no GraphQL here).

Sign-in never tells an unknown account from a wrong password: same error, and an argon2 check runs
either way. Failures are throttled per account+IP and per IP with a growing delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.errors import DomainError
from core.security import FailureThrottle
from plugins.account import lifecycle, security_events, twofactor, validation
from plugins.account.client import ClientInfo
from plugins.account.models import User
from plugins.account.sessions import IssuedSession, start_session

__all__ = ["ClientInfo", "SecondFactorNeeded", "authenticate", "find_by_login", "login", "register"]

REGISTRATIONS_PER_IP_HOUR = 20
IP_FAILURES_FREE = 50
#: Consecutive failures (any network) that make a "burst" worth an alert to the owner.
BURST_MARKS = frozenset({5, 20, 50})


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right but the account needs its second factor."""


async def register(
    services: Any,
    client: ClientInfo,
    *,
    email: str | None,
    phone: str | None,
    password: str,
    display_name: str,
    birth_date: date | None,
    device_name: str = "",
) -> IssuedSession:
    """Create an account with an email and/or phone and sign it in."""
    await services.rate_limiter.hit(f"register:ip:{client.ip}", REGISTRATIONS_PER_IP_HOUR, 3600)
    if not email and not phone:
        raise DomainError("INVALID_INPUT", field="email", detail="an email or a phone number is required")
    clean_email = validation.normalize_email(email) if email else None
    clean_phone = validation.normalize_phone(phone) if phone else None
    name = validation.clean_display_name(display_name)
    validation.check_password(password)
    if birth_date is not None and not date(1900, 1, 1) <= birth_date <= date.today():
        raise DomainError("INVALID_INPUT", field="birthDate", detail="birth date out of range")
    password_hash = services.passwords.hash(password)
    try:
        async with in_transaction():
            user = await User.create(
                email=clean_email,
                phone=clean_phone,
                password_hash=password_hash,
                display_name=name,
                birth_date=birth_date,
                roles=[],
                language=client.language,
            )
            issued = await start_session(
                services, user, device_name=device_name, user_agent=client.user_agent, ip=client.ip
            )
    except IntegrityError:
        raise DomainError("ALREADY_REGISTERED", field="email" if clean_email else "phone") from None
    await security_events.note_sign_in(services, user, client, first=True)
    return issued


def _throttles(services: Any) -> FailureThrottle:
    return FailureThrottle(services.redis, free=services.settings.login_free_failures)


async def _check_throttles(throttle: FailureThrottle, keys: list[str]) -> None:
    wait = max([await throttle.retry_after(key) for key in keys])
    if wait:
        raise DomainError("TOO_MANY_ATTEMPTS", retry_after=wait)


async def find_by_login(login: str) -> User | None:
    """The user whose email or phone is `login`, if any."""
    identifier = validation.login_identifier(login)
    if identifier is None:
        return None
    kind, value = identifier
    return await User.get_or_none(**{kind: value})


def _account_key(client: ClientInfo, login: str) -> str:
    return f"login:{(login or '').strip().lower()[:254]}|{client.ip}"


async def authenticate(services: Any, client: ClientInfo, login: str, password: str) -> User:
    """Check a login and password under the throttles; INVALID_CREDENTIALS for any mismatch.

    A success does not reset the throttle: `login` does once the second factor passed too."""
    throttle = _throttles(services)
    account_key = _account_key(client, login)
    ip_key = f"login-ip:{client.ip}"
    ip_throttle = FailureThrottle(services.redis, free=IP_FAILURES_FREE)
    await _check_throttles(throttle, [account_key])
    await _check_throttles(ip_throttle, [ip_key])
    user = await find_by_login(login) if isinstance(password, str) and len(password) <= 1024 else None
    ok = services.passwords.verify(user.password_hash if user else None, (password or "")[:1024])
    if not ok:
        await throttle.fail(account_key)
        await ip_throttle.fail(ip_key)
        if user is not None:
            await _count_failure(services, user, client)
        raise DomainError("INVALID_CREDENTIALS")
    return user  # type: ignore[return-value]


async def _count_failure(services: Any, user: User, client: ClientInfo) -> None:
    """Count a consecutive failure across networks: alert on bursts, and past the ceiling require
    a password reset (a slow, distributed guessing attack never gets further)."""
    await User.filter(id=user.pk).update(failed_logins=F("failed_logins") + 1)
    count = (await User.filter(id=user.pk).values_list("failed_logins", flat=True))[0]
    if count in BURST_MARKS:
        await security_events.record(services, user, "FAILED_LOGIN_BURST", client)
    if count >= services.settings.login_failure_ceiling and not user.password_reset_required:
        await User.filter(id=user.pk).update(password_reset_required=True)
        await security_events.record(services, user, "SIGN_IN_LOCKED", client)


async def login(
    services: Any, client: ClientInfo, *, login: str, password: str, otp: str | None, device_name: str = ""
) -> IssuedSession | SecondFactorNeeded:
    """Sign in. With two-step verification on, a right password alone answers `SecondFactorNeeded`.
    A banned account gets a restricted session (help, assistant, appeals, tickets); signing in
    during the deletion cooling-off period cancels the deletion."""
    user = await authenticate(services, client, login, password)
    if user.password_reset_required:
        raise DomainError("PASSWORD_RESET_REQUIRED")
    throttle = _throttles(services)
    if user.two_factor_enabled:
        if not otp:
            return SecondFactorNeeded()
        if not await twofactor.check_second_factor(services, user, otp, client):
            await throttle.fail(_account_key(client, login))
            raise DomainError("INVALID_CODE", field="otp")
    await throttle.succeed(_account_key(client, login))
    if user.failed_logins:
        user.failed_logins = 0
        await User.filter(id=user.pk).update(failed_logins=0)
    if services.passwords.needs_rehash(user.password_hash):
        user.password_hash = services.passwords.hash(password)
        await user.save(update_fields=["password_hash"])
    if user.status == "DELETION_PENDING":
        await lifecycle.cancel_deletion(services, user, client)
    issued = await start_session(
        services, user, device_name=device_name, user_agent=client.user_agent, ip=client.ip
    )
    await security_events.note_sign_in(services, user, client)
    return issued
