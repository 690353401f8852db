"""Preferences and the account's end: deletion with a 15-day cooling-off, cancelled by signing in,
then anonymisation by a periodic job (records law and payments require stay, anonymised)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError
from core.events import Event
from core.i18n import SUPPORTED_LANGUAGES
from plugins.account import reauth, security_events
from plugins.account.client import ClientInfo
from plugins.account.models import KnownSignIn, RecoveryCode, SecurityEvent, Session, User
from plugins.account.sessions import revoke_user_sessions

COOLING_OFF = timedelta(days=15)
THEMES = ("LIGHT", "DARK", "SYSTEM")
CHANNELS = ("EMAIL", "SMS", "INAPP")
PURGE_JOB = "account.purge_deleted"
PURGE_BATCH = 100


async def update_preferences(
    user: User, *, theme: str | None, language: str | None, channels: list[str] | None
) -> User:
    """Change whichever preferences are given; INVALID_INPUT names a bad one and changes nothing."""
    changes: dict[str, Any] = {}
    if theme is not None:
        if theme not in THEMES:
            raise DomainError("INVALID_INPUT", field="theme", detail="theme must be LIGHT, DARK or SYSTEM")
        changes["theme"] = theme
    if language is not None:
        if language not in SUPPORTED_LANGUAGES:
            raise DomainError("INVALID_INPUT", field="language", detail="language must be zh-CN or en")
        changes["language"] = language
    if channels is not None:
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown or len(channels) > len(CHANNELS):
            raise DomainError(
                "INVALID_INPUT", field="notificationChannels", detail="channels are EMAIL, SMS and INAPP"
            )
        changes["notification_channels"] = list(dict.fromkeys(channels))
    if changes:
        await User.filter(id=user.pk).update(**changes)
        for name, value in changes.items():
            setattr(user, name, value)
    return user


async def request_deletion(services: Services, user: User, password: str, client: ClientInfo) -> datetime:
    """Start the cooling-off period; returns when the account will be anonymised."""
    await reauth.check_password(services, user, password, client)
    if user.status != "ACTIVE":
        raise DomainError("INVALID_INPUT", field="password", detail="the account cannot be deleted now")
    due = datetime.now(UTC) + COOLING_OFF
    await User.filter(id=user.pk).update(status="DELETION_PENDING", deletion_due_at=due)
    user.status, user.deletion_due_at = "DELETION_PENDING", due
    await security_events.record(services, user, "DELETION_REQUESTED", client)
    return due


async def cancel_deletion(services: Services, user: User, client: ClientInfo) -> None:
    """Signing in during the cooling-off period keeps the account."""
    updated = await User.filter(id=user.pk, status="DELETION_PENDING").update(
        status="ACTIVE", deletion_due_at=None
    )
    user.status, user.deletion_due_at = "ACTIVE", None
    if updated:
        await security_events.record(services, user, "DELETION_CANCELLED", client)


async def purge_deleted(services: Services, now: datetime | None = None) -> int:
    """The periodic job: anonymise accounts whose cooling-off ended. The row stays (orders, refunds,
    decisions and the real-name record reference it, as law and payments require) without name,
    contacts, password, sessions or security history. Publishes `account.deleted` so other
    plugins remove the user's content."""
    now = now or datetime.now(UTC)
    due = await User.filter(status="DELETION_PENDING", deletion_due_at__lte=now).limit(PURGE_BATCH)
    for user in due:
        async with in_transaction():
            changed = await User.filter(id=user.pk, status="DELETION_PENDING").update(
                status="DELETED",
                display_name="Deleted user",
                email=None,
                phone=None,
                email_verified=False,
                phone_verified=False,
                password_hash="!deleted",
                birth_date=None,
                roles=[],
                notification_channels=[],
                two_factor_secret_enc=None,
                two_factor_enabled_at=None,
                email_bound_at=None,
                phone_bound_at=None,
                deleted_at=now,
            )
            if not changed:
                continue  # signed in meanwhile
            await RecoveryCode.filter(user_id=user.pk).delete()
            await KnownSignIn.filter(user_id=user.pk).delete()
            await SecurityEvent.filter(user_id=user.pk).delete()
        await revoke_user_sessions(services, user.pk, reason="deleted")
        await Session.filter(user_id=user.pk).delete()
        await services.events.publish(Event("account.deleted", {"user_id": str(user.pk)}))
    return len(due)
