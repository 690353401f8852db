"""Two-step verification: TOTP (pyotp) with a QR code (segno) and 10 hashed single-use recovery
codes. A TOTP code is accepted once (a redis `SET NX` on its time step)."""

from __future__ import annotations

import hmac
import io
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import segno
from pyotp.totp import TOTP
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError
from core.redis import text
from core.security import FailureThrottle
from plugins.account import masking, reauth, security_events
from plugins.account.client import ClientInfo
from plugins.account.models import RecoveryCode, User

ISSUER = "selfserve"
PENDING_KEY = "account:2fa-pending:"
USED_KEY = "account:totp-used:"
PENDING_TTL = 600
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Setup:
    """A pending authenticator: scan `qr_svg` (or type `secret`), then enable with a code."""

    secret: str
    uri: str
    qr_svg: str


def _context(user_pk: int) -> str:
    return f"account.totp:{user_pk}"


async def setup(services: Services, user: User) -> Setup:
    """Start setting up an authenticator (valid 10 minutes until `enable`)."""
    if user.two_factor_enabled:
        raise DomainError("INVALID_INPUT", field=None, detail="two-step verification is already on")
    secret = pyotp.random_base32()
    encrypted = services.pii.encrypt_text(secret, _context(user.pk))
    await services.redis.set(f"{PENDING_KEY}{user.pk}", encrypted, ex=PENDING_TTL)
    label = masking.mask_email(user.email) or masking.mask_phone(user.phone) or f"user-{user.pk}"
    uri = TOTP(secret).provisioning_uri(name=label, issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False)
    return Setup(secret=secret, uri=uri, qr_svg=out.getvalue().decode())


async def _totp_once(services: Services, user_pk: int, secret: str, code: str) -> bool:
    """True when `code` is the TOTP of the previous, current or next 30 s step and was not used."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return False
    totp = TOTP(secret)
    step = int(time.time() // totp.interval)
    for counter in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return bool(await services.redis.set(f"{USED_KEY}{user_pk}:{counter}", "1", nx=True, ex=180))
    return False


def _throttle(services: Services) -> FailureThrottle:
    return FailureThrottle(services.redis, free=services.settings.login_free_failures)


async def _guarded(services: Services, key: str, check: Callable[[], Awaitable[bool]]) -> None:
    throttle = _throttle(services)
    wait = await throttle.retry_after(key)
    if wait:
        raise DomainError("TOO_MANY_ATTEMPTS", field="code", retry_after=wait)
    if not await check():
        await throttle.fail(key)
        raise DomainError("INVALID_CODE", field="code")
    await throttle.succeed(key)


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_hash(services: Services, code: str) -> str:
    return services.pii.lookup_hash("recovery:" + code.strip().lower().replace("-", "").replace(" ", ""))


async def enable(
    services: Services, user: User, session_id: str | None, code: str, client: ClientInfo
) -> list[str]:
    """Turn two-step verification on with a first code; returns the recovery codes (shown once).
    Needs a recent re-authentication: an authenticator added with a stolen session would lock the
    owner out and vouch for the thief's next changes."""
    await reauth.require(services, session_id)
    if user.two_factor_enabled:
        raise DomainError("INVALID_INPUT", field="code", detail="two-step verification is already on")
    pending = text(await services.redis.get(f"{PENDING_KEY}{user.pk}"))
    if not pending:
        raise DomainError("INVALID_CODE", field="code")
    secret = services.pii.decrypt_text(pending, _context(user.pk))
    await _guarded(services, f"2fa-enable:{user.pk}", lambda: _totp_once(services, user.pk, secret, code))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    async with in_transaction():
        now = datetime.now(UTC)
        updated = await User.filter(id=user.pk, two_factor_secret_enc__isnull=True).update(
            two_factor_secret_enc=pending, two_factor_enabled_at=now
        )
        if not updated:
            raise DomainError("INVALID_INPUT", field="code", detail="two-step verification is already on")
        await RecoveryCode.filter(user_id=user.pk).delete()
        await RecoveryCode.bulk_create(
            [RecoveryCode(user_id=user.pk, code_hash=_recovery_hash(services, c)) for c in codes]
        )
    await services.redis.delete(f"{PENDING_KEY}{user.pk}")
    user.two_factor_secret_enc, user.two_factor_enabled_at = pending, now
    await security_events.record(services, user, "TWO_FACTOR_ENABLED", client)
    return codes


async def check_second_factor(
    services: Services, user: User, otp: str, client: ClientInfo, *, totp_only: bool = False
) -> bool:
    """True for an unused TOTP code or (unless `totp_only`) an unspent recovery code (spent now).
    The callers count a False like a wrong password (`login_guard`)."""
    if not user.two_factor_secret_enc:
        return True
    if totp_only or (otp or "").strip().isdigit():
        secret = services.pii.decrypt_text(user.two_factor_secret_enc, _context(user.pk))
        return await _totp_once(services, user.pk, secret, otp)
    spent = await RecoveryCode.filter(
        user_id=user.pk, code_hash=_recovery_hash(services, otp or ""), used_at__isnull=True
    ).update(used_at=datetime.now(UTC))
    if spent:
        await security_events.record(services, user, "RECOVERY_CODE_USED", client)
    return bool(spent)


async def disable(
    services: Services, user: User, session_id: str | None, password: str | None, client: ClientInfo
) -> None:
    """Turn two-step verification off: needs the password or a recent re-authentication."""
    if password:
        await reauth.check_password(services, user, password, client)
    else:
        await reauth.require(services, session_id)
    if not user.two_factor_enabled:
        return
    async with in_transaction():
        await User.filter(id=user.pk).update(two_factor_secret_enc=None, two_factor_enabled_at=None)
        await RecoveryCode.filter(user_id=user.pk).delete()
    user.two_factor_secret_enc = user.two_factor_enabled_at = None
    await security_events.record(services, user, "TWO_FACTOR_DISABLED", client)
