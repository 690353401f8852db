"""Registration and sign-in (no GraphQL here).

Sign-in never tells an unknown account from a wrong password: same error, and an argon2 check runs
either way. Failures are throttled by `login_guard` (keyed by the account, never the typed login).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError
from plugins.account import lifecycle, notices, security_events, twofactor, validation
from plugins.account.client import ClientInfo
from plugins.account.login_guard import LoginGuard, find_user
from plugins.account.models import User
from plugins.account.sessions import IssuedSession, start_session

__all__ = ["ClientInfo", "SecondFactorNeeded", "authenticate", "find_by_login", "login", "register"]

REGISTRATIONS_PER_IP_HOUR = 20


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right but the account needs its second factor."""


async def register(
    services: Services,
    client: ClientInfo,
    *,
    email: str | None,
    phone: str | None,
    password: str,
    display_name: str,
    birth_date: date | None,
    device_name: str = "",
) -> IssuedSession:
    """Create an account with an email and/or phone and sign it in.

    The answer never tells whether an address is already registered: a taken contact is left off
    the new account (it signs in like any other) and its owner gets a notice instead."""
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
    contacts = {"email": clean_email, "phone": clean_phone}
    taken = await _taken_contacts(contacts)
    for _attempt in range(2):
        free: dict[str, Any] = {column: value for column, value in contacts.items() if column not in taken}
        try:
            async with in_transaction():
                user = await User.create(
                    **free,
                    password_hash=password_hash,
                    display_name=name,
                    birth_date=birth_date,
                    roles=[],
                    language=client.language,
                )
                issued = await start_session(
                    services, user, device_name=device_name, user_agent=client.user_agent, ip=client.ip
                )
            break
        except IntegrityError:  # a concurrent registration took a contact just now
            taken = await _taken_contacts(contacts)
    else:
        raise DomainError("INVALID_INPUT", field="email", detail="try again")
    for column, value in taken.items():
        await notices.tell_owner_of_registration_attempt(services, column, value, client)
    await security_events.note_sign_in(services, user, client, first=True)
    return issued


async def _taken_contacts(contacts: dict[str, str | None]) -> dict[str, str]:
    """The given contacts another account already holds, by column."""
    return {
        column: value
        for column, value in contacts.items()
        if value and await User.filter(**{column: value}).exists()
    }


async def find_by_login(login: str) -> User | None:
    """The user whose email or phone is `login` (normalised first), if any."""
    return await find_user(validation.login_identifier(login))


async def authenticate(services: Services, client: ClientInfo, login: str, password: str) -> LoginGuard:
    """Check a login and password under the throttles (`login_guard`); INVALID_CREDENTIALS for
    any mismatch. A locked account (100 failures, or "this wasn't me") answers
    PASSWORD_RESET_REQUIRED whether or not the password is right, and every attempt on it counts,
    so neither the answer nor the throttle tells a right password from a wrong one.

    A success does not reset the throttles: `login` does once the second factor passed too."""
    guard = await LoginGuard.open(services, client, login)
    user = guard.user if isinstance(password, str) and len(password) <= 1024 else None
    ok = services.passwords.verify(user.password_hash if user else None, (password or "")[:1024])
    if user is not None and user.password_reset_required:
        await guard.fail()
        raise DomainError("PASSWORD_RESET_REQUIRED")
    if not ok:
        await guard.fail()
        raise DomainError("INVALID_CREDENTIALS")
    return guard


async def login(
    services: Services,
    client: ClientInfo,
    *,
    login: str,
    password: str,
    otp: str | None,
    device_name: str = "",
) -> IssuedSession | SecondFactorNeeded:
    """Sign in. With two-step verification on, a right password alone answers `SecondFactorNeeded`.
    A banned account gets a restricted session (help, assistant, appeals, tickets); signing in
    during the deletion cooling-off period cancels the deletion."""
    guard = await authenticate(services, client, login, password)
    user: User = guard.user  # type: ignore[assignment]
    if user.two_factor_enabled:
        if not otp:
            return SecondFactorNeeded()
        await guard.check_second_factor_allowed()
        if not await twofactor.check_second_factor(services, user, otp, client):
            await guard.fail(second_factor=True)
            raise DomainError("INVALID_CODE", field="otp")
    await guard.succeed()
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
