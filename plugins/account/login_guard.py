"""The throttles around every credential check, keyed by the account, never by what was typed.

The login string is normalised first (E.164 phones, case-folded emails) and, once the account is
known, every counter is keyed by its user id, so `+86 138…`, `0086138…` and `(138)…` share one
budget. A wrong password and a wrong second factor count the same everywhere:

- per account and client address: 5 free failures, then a growing delay (an attacker elsewhere
  cannot lock the owner out with it);
- per client address: `login_ip_free_failures` free, then a growing delay for accounts never
  signed in from that network (many users behind one NAT or proxy keep signing in);
- per account over every network: the consecutive-failure total (`User.failed_logins`) with alerts
  at 5, 20 and 50 and a required password reset at the ceiling;
- per account over every network, second factors only: 5 free, then a growing delay, and an alert
  (`SECOND_FACTOR_FAILURES`) at the 5th.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F

from core.context import Services
from core.db import column
from core.errors import DomainError
from core.security import FailureThrottle, token_hash
from plugins.account import security_events, validation
from plugins.account.client import ClientInfo
from plugins.account.models import User

#: Consecutive failures (any network) that make a "burst" worth an alert to the owner.
BURST_MARKS = frozenset({5, 20, 50})
SECOND_FACTOR_ALERT_AT = 5
#: The per-address counter forgets after an hour, so a shared address recovers by itself.
IP_MEMORY = 3600
MAX_LOGIN_LENGTH = 320


def login_subject(login: Any) -> tuple[tuple[str, str] | None, str]:
    """The normalised identifier of a login string and the throttle subject for an unknown
    account (a hash: no contact appears in redis keys)."""
    text = login if isinstance(login, str) and len(login) <= MAX_LOGIN_LENGTH else ""
    identifier = validation.login_identifier(text)
    spelled = f"{identifier[0]}:{identifier[1]}" if identifier else f"raw:{text.strip().casefold()}"
    return identifier, token_hash(spelled)[:32]


async def find_user(identifier: tuple[str, str] | None) -> User | None:
    """The user of a normalised identifier."""
    if identifier is None:
        return None
    kind, value = identifier
    match: dict[str, Any] = {kind: value}
    return await User.get_or_none(**match)


async def count_failure(services: Services, user: User, client: ClientInfo) -> None:
    """Count a consecutive failure across networks: alert on bursts, and past the ceiling require
    a password reset (a slow, distributed guessing attack never gets further)."""
    await User.filter(id=user.pk).update(failed_logins=F("failed_logins") + 1)
    count = (await column(User.filter(id=user.pk), "failed_logins"))[0]
    if count in BURST_MARKS:
        await security_events.record(services, user, "FAILED_LOGIN_BURST", client)
    if count >= services.settings.login_failure_ceiling and not user.password_reset_required:
        await User.filter(id=user.pk).update(password_reset_required=True)
        user.password_reset_required = True
        await security_events.record(services, user, "SIGN_IN_LOCKED", client)


@dataclass
class LoginGuard:
    """The throttle state of one sign-in attempt (see the module docstring)."""

    services: Services
    client: ClientInfo
    user: User | None
    subject: str

    @classmethod
    async def open(cls, services: Services, client: ClientInfo, login: Any) -> LoginGuard:
        """Find the account of `login` and refuse with TOO_MANY_ATTEMPTS while a delay runs."""
        identifier, anonymous_subject = login_subject(login)
        user = await find_user(identifier)
        guard = cls(services, client, user, f"user:{user.pk}" if user else anonymous_subject)
        await guard.check()
        return guard

    @property
    def _account(self) -> FailureThrottle:
        return FailureThrottle(self.services.redis, free=self.services.settings.login_free_failures)

    @property
    def _ip(self) -> FailureThrottle:
        free = self.services.settings.login_ip_free_failures
        return FailureThrottle(self.services.redis, free=free, memory=IP_MEMORY)

    @property
    def _second(self) -> FailureThrottle:
        return FailureThrottle(self.services.redis, free=SECOND_FACTOR_ALERT_AT)

    @property
    def _keys(self) -> tuple[str, str, str]:
        return (
            f"login:{self.subject}|{self.client.ip}",
            f"login-ip:{self.client.ip}",
            f"login-2fa:{self.subject}",
        )

    async def check(self) -> None:
        """TOO_MANY_ATTEMPTS while a delay runs on the account or (for accounts never signed in
        from this network) on the address."""
        account_key, ip_key, _ = self._keys
        wait = await self._account.retry_after(account_key)
        if not wait:
            ip_wait = await self._ip.retry_after(ip_key)
            if ip_wait and not await self._known_here():
                wait = ip_wait
        if wait:
            raise DomainError("TOO_MANY_ATTEMPTS", retry_after=wait)

    async def _known_here(self) -> bool:
        if self.user is None:
            return False
        return await security_events.is_known(self.services, self.user, self.client, "NETWORK")

    async def check_second_factor_allowed(self) -> None:
        """TOO_MANY_ATTEMPTS while the account's second-factor delay runs (any network)."""
        wait = await self._second.retry_after(self._keys[2])
        if wait:
            raise DomainError("TOO_MANY_ATTEMPTS", field="otp", retry_after=wait)

    async def fail(self, *, second_factor: bool = False) -> None:
        """Count a wrong password or a wrong second factor, on every counter."""
        account_key, ip_key, second_key = self._keys
        await self._account.fail(account_key)
        await self._ip.fail(ip_key)
        if self.user is None:
            return
        await count_failure(self.services, self.user, self.client)
        if second_factor and await self._second.fail(second_key) == SECOND_FACTOR_ALERT_AT:
            await security_events.record(self.services, self.user, "SECOND_FACTOR_FAILURES", self.client)

    async def succeed(self) -> None:
        """A complete sign-in: forget this account's failures (the address's counter decays by
        itself; a success must not clear it, or one valid account would launder a spray)."""
        account_key, _, second_key = self._keys
        await self._account.succeed(account_key)
        await self._second.succeed(second_key)
        if self.user is not None and self.user.failed_logins:
            self.user.failed_logins = 0
            await User.filter(id=self.user.pk).update(failed_logins=0)
