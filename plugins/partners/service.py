"""Partner administration: apps and their tokens, webhook subscriptions and their secrets,
redelivery. Every change is audited. No GraphQL here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.context import Services
from core.errors import DomainError, Forbidden, NotAuthenticated, NotFound
from core.pagination import Page, page_by_key
from core.roles import Role
from core.security import token_hash
from core.settings import plugin_settings
from plugins.partners import dispatch, egress, sender, tokens
from plugins.partners.catalogue import catalogue
from plugins.partners.models import App, WebhookDelivery, WebhookSubscription
from plugins.partners.settings import WebhookSettings

MAX_RATE_LIMIT = 100_000
SECRET_OVERLAP = timedelta(hours=24)
MANAGE = "webhooks:manage"


def _now() -> datetime:
    return datetime.now(UTC)


def may_manage(caller: Any, app_id: int) -> None:
    """ADMIN users manage every app's webhooks; an app with `webhooks:manage` only its own."""
    if caller is None:
        raise NotAuthenticated()
    if caller.is_app:
        if caller.has_permission(MANAGE) and caller.app_id == str(app_id):
            return
        raise Forbidden()
    if not caller.has_role(Role.ADMIN):
        raise Forbidden()


def _check_permissions(services: Services, permissions: list[str]) -> list[str]:
    known = catalogue(services).permissions
    for permission in permissions:
        if permission not in known:
            raise DomainError(
                "UNKNOWN_PERMISSION", field="input.permissions", permission=str(permission)[:60]
            )
    return sorted(set(permissions))


async def create_app(
    services: Services, caller: Any, *, name: str, permissions: list[str], rate_limit: int, ip: str
) -> tuple[App, str]:
    """A new app and its token (returned once)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise DomainError("INVALID_INPUT", field="input.name", detail="1 to 100 characters")
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        raise DomainError("INVALID_RATE_LIMIT", field="input.rateLimitPerMinute", maximum=MAX_RATE_LIMIT)
    granted = _check_permissions(services, permissions)
    token = tokens.new_token()
    async with in_transaction():
        app = await App.create(
            name=name, permissions=granted, token_hash=token_hash(token), token_hint=tokens.hint(token),
            rate_limit_per_minute=rate_limit, created_by=caller.user_id if not caller.is_app else caller.app_id,
        )  # fmt: skip
        await audit.record(
            services, actor=caller, action="app.created", target_type="App", target_id=app.pk, ip=ip,
            data={"permissions": granted, "rateLimitPerMinute": rate_limit},
        )  # fmt: skip
    return app, token


async def _live_app(app_id: int) -> App:
    app = await App.get_or_none(id=app_id)
    if app is None:
        raise NotFound(field="id")
    if app.revoked_at is not None:
        raise DomainError("APP_REVOKED", field="id")
    return app


async def rotate_token(services: Services, caller: Any, app_id: int, ip: str) -> tuple[App, str]:
    """A new token for the app; the old one stops at once."""
    token = tokens.new_token()
    async with in_transaction():
        app = await _live_app(app_id)
        old = app.token_hash
        app.token_hash, app.token_hint = token_hash(token), tokens.hint(token)
        await app.save(update_fields=["token_hash", "token_hint"])
        await audit.record(
            services, actor=caller, action="app.token_rotated", target_type="App", target_id=app.pk, ip=ip
        )
    await tokens.forget(services, old)
    return app, token


async def revoke(services: Services, caller: Any, app_id: int, ip: str) -> App:
    """Revoke the app: its token is refused everywhere from the next request."""
    async with in_transaction():
        app = await _live_app(app_id)
        app.revoked_at = _now()
        await app.save(update_fields=["revoked_at"])
        await audit.record(
            services, actor=caller, action="app.revoked", target_type="App", target_id=app.pk, ip=ip
        )
    await tokens.forget(services, app.token_hash)
    return app


async def list_apps(first: int | None, after: str | None) -> Page:
    """Apps, newest first."""
    return await page_by_key(App.all(), first, after)


async def create_subscription(
    services: Services, caller: Any, *, app_id: int, url: str, events: list[str], ip: str
) -> tuple[WebhookSubscription, str]:
    """Subscribe an app's URL to events; returns the subscription and its secret (shown once)."""
    may_manage(caller, app_id)
    app = await _live_app(app_id)
    known = catalogue(services).events
    if not events:
        raise DomainError("INVALID_INPUT", field="input.events", detail="name at least one event")
    for name in events:
        spec = known.get(name)
        if spec is None:
            raise DomainError("UNKNOWN_EVENT", field="input.events", event=str(name)[:60])
        if spec.permission not in app.permissions:
            raise DomainError(
                "EVENT_NOT_PERMITTED", field="input.events", event=name, permission=spec.permission
            )
    settings = plugin_settings(services, WebhookSettings)
    resolve = services.stash.get(egress.RESOLVER_KEY, egress.system_resolve)
    target = await egress.check(
        url, allow_private=settings.private_allowed(services.settings.is_production), resolve=resolve
    )
    secret = sender.new_secret()
    async with in_transaction():
        subscription = await WebhookSubscription.create(
            app_id=app.pk, url=target.url, events=sorted(set(events)),
            secrets=[{"value": services.pii.encrypt_text(secret, "webhook-secret"), "expires_at": None}],
        )  # fmt: skip
        await audit.record(
            services, actor=caller, action="webhook.subscription_created", target_type="WebhookSubscription",
            target_id=subscription.pk, ip=ip, data={"appId": app.pk, "events": subscription.events},
        )  # fmt: skip
    return subscription, secret


async def _subscription(caller: Any, subscription_id: int) -> WebhookSubscription:
    subscription = await WebhookSubscription.get_or_none(id=subscription_id)
    if subscription is None:
        raise NotFound(field="id")
    may_manage(caller, subscription.app_id)
    return subscription


async def delete_subscription(services: Services, caller: Any, subscription_id: int, ip: str) -> bool:
    """Delete a subscription (and its delivery log)."""
    subscription = await _subscription(caller, subscription_id)
    async with in_transaction():
        await subscription.delete()
        await audit.record(
            services, actor=caller, action="webhook.subscription_deleted", target_type="WebhookSubscription",
            target_id=subscription_id, ip=ip,
        )  # fmt: skip
    return True


async def rotate_secret(
    services: Services, caller: Any, subscription_id: int, ip: str
) -> tuple[WebhookSubscription, str]:
    """A new signing secret; the previous ones keep signing beside it for 24 h."""
    secret = sender.new_secret()
    at = _now()
    async with in_transaction():
        subscription = await _subscription(caller, subscription_id)
        kept = [
            {**entry, "expires_at": entry.get("expires_at") or (at + SECRET_OVERLAP).isoformat()}
            for entry in subscription.secrets
            if entry.get("expires_at") is None or datetime.fromisoformat(entry["expires_at"]) > at
        ]
        subscription.secrets = [
            *kept,
            {"value": services.pii.encrypt_text(secret, "webhook-secret"), "expires_at": None},
        ]
        await subscription.save(update_fields=["secrets"])
        await audit.record(
            services, actor=caller, action="webhook.secret_rotated", target_type="WebhookSubscription",
            target_id=subscription.pk, ip=ip,
        )  # fmt: skip
    return subscription, secret


async def deliveries(
    caller: Any, subscription_id: int, status: str | None, first: int | None, after: str | None
) -> Page:
    """A subscription's delivery log, newest first."""
    await _subscription(caller, subscription_id)
    query = WebhookDelivery.filter(subscription_id=subscription_id)
    return await page_by_key(query.filter(status=status) if status else query, first, after)


async def redeliver(services: Services, caller: Any, delivery_id: int, ip: str) -> WebhookDelivery:
    """Send a delivery again now (same `webhook-id`); re-enables nothing else."""
    delivery = await WebhookDelivery.get_or_none(id=delivery_id)
    if delivery is None:
        raise NotFound(field="deliveryId")
    await _subscription(caller, delivery.subscription_id)
    async with in_transaction():
        await WebhookDelivery.filter(id=delivery_id).update(status="PENDING", next_attempt_at=_now())
        await audit.record(
            services, actor=caller, action="webhook.redelivered", target_type="WebhookDelivery",
            target_id=delivery_id, ip=ip,
        )  # fmt: skip
    await dispatch.queue(services, [delivery_id])
    return await WebhookDelivery.get(id=delivery_id)
