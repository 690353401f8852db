"""Registration and sign-in (no GraphQL here).

Sign-in never tells an unknown account from a wrong password: same error, and an argon2 check runs
either way. Failures are throttled per account+IP and per IP with a growing delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import DomainError
from core.security import FailureThrottle
from plugins.account import validation
from plugins.account.models import User
from plugins.account.sessions import IssuedSession, start_session

REGISTRATIONS_PER_IP_HOUR = 20
IP_FAILURES_FREE = 50


@dataclass(frozen=True)
class ClientInfo:
    """Where a request comes from (for sessions, throttles and security events)."""

    ip: str
    user_agent: str = ""


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
            )
            return await start_session(
                services, user, device_name=device_name, user_agent=client.user_agent, ip=client.ip
            )
    except IntegrityError:
        raise DomainError("ALREADY_REGISTERED", field="email" if clean_email else "phone") from None


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


async def authenticate(services: Any, client: ClientInfo, login: str, password: str) -> User:
    """Check a login and password under the throttles; INVALID_CREDENTIALS for any mismatch."""
    throttle = _throttles(services)
    account_key = f"login:{(login or '').strip().lower()[:254]}|{client.ip}"
    ip_key = f"login-ip:{client.ip}"
    ip_throttle = FailureThrottle(services.redis, free=IP_FAILURES_FREE)
    await _check_throttles(throttle, [account_key])
    await _check_throttles(ip_throttle, [ip_key])
    user = await find_by_login(login) if isinstance(password, str) and len(password) <= 1024 else None
    ok = services.passwords.verify(user.password_hash if user else None, (password or "")[:1024])
    if not ok:
        await throttle.fail(account_key)
        await ip_throttle.fail(ip_key)
        raise DomainError("INVALID_CREDENTIALS")
    await throttle.succeed(account_key)
    return user  # type: ignore[return-value]


async def login(
    services: Any, client: ClientInfo, *, login: str, password: str, otp: str | None, device_name: str = ""
) -> IssuedSession | SecondFactorNeeded:
    """Sign in. A banned account gets a restricted session (help, assistant, appeals, tickets)."""
    user = await authenticate(services, client, login, password)
    if services.passwords.needs_rehash(user.password_hash):
        user.password_hash = services.passwords.hash(password)
        await user.save(update_fields=["password_hash"])
    return await start_session(
        services, user, device_name=device_name, user_agent=client.user_agent, ip=client.ip
    )
