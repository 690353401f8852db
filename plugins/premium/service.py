"""Products, purchases, subscriptions and grants (no GraphQL). Money moves only through the
payments plugin's ledger (`plugins.payments.api`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.context import Services
from core.db import column
from core.duties import forbid_own_case
from core.errors import DomainError
from core.events import Event
from plugins.premium import events
from plugins.premium.catalogue import PRODUCTS, ProductDefault, product_default
from plugins.premium.models import EntitlementGrant, ProductSetting, Purchase, Subscription

CHANGED = events.CHANGED
MAX_PRICE = 1_000_000


@dataclass(frozen=True)
class Product:
    """A product as sold now: the shipped defaults with the admin's price and availability."""

    spec: ProductDefault
    price_coins: int
    active: bool


async def products(include_inactive: bool = False) -> list[Product]:
    """The catalogue in shipped order (one query)."""
    settings = {s.product: s for s in await ProductSetting.all()}
    found = []
    for spec in PRODUCTS:
        setting = settings.get(spec.key)
        product = Product(
            spec, setting.price_coins if setting else spec.price_coins, setting.active if setting else True
        )
        if product.active or include_inactive:
            found.append(product)
    return found


async def product(key: str, field: str = "input.product") -> Product:
    """A product on sale, or `UNKNOWN_PRODUCT`."""
    spec = product_default(key)
    setting = await ProductSetting.get_or_none(product=key) if spec else None
    if spec is None or (setting is not None and not setting.active):
        raise DomainError("UNKNOWN_PRODUCT", field=field, product=str(key)[:40])
    return Product(spec, setting.price_coins if setting else spec.price_coins, True)


async def entitlement_changed(services: Services, user_id: int | str) -> None:
    """Drop the cached grants at once and tell everyone (`entitlement.changed`)."""
    await services.entitlements.invalidate(str(user_id))
    await services.events.publish(Event(CHANGED, {"user_id": str(user_id)}, channels=(f"user:{user_id}",)))


async def purchase(
    services: Services, user_id: int | str, *, product_key: str, idempotency_key: str
) -> Purchase:
    """Pay one period of `product_key` from the wallet and create or extend the subscription.
    Idempotent: the same key returns the same purchase; other input is `IDEMPOTENCY_KEY_REUSED`."""
    from plugins.payments import api as payments

    uid = int(user_id)
    payments.check_key(idempotency_key)
    chosen = await product(product_key)
    await payments.require_verified_adult(uid)
    await payments.ensure_wallet(uid)

    async def effect() -> tuple[str, int]:
        # Paying first locks the wallet: the user's purchases run one at a time from here on.
        transaction_id = await payments.charge_wallet(
            uid,
            chosen.price_coins,
            reference=f"premium-purchase:{uuid.uuid4().hex}",
            memo=f"premium {chosen.spec.key}",
        )
        now = datetime.now(UTC)
        subscription = await Subscription.get_or_none(user_id=uid, product=chosen.spec.key)
        start = subscription.expires_at if subscription and subscription.expires_at > now else now
        end = start + timedelta(days=chosen.spec.period_days)
        if subscription is None:
            await Subscription.create(
                user_id=uid,
                product=chosen.spec.key,
                entitlement=chosen.spec.entitlement,
                started_at=now,
                expires_at=end,
            )
        else:
            subscription.expires_at, subscription.status = end, "ACTIVE"
            if start == now:
                subscription.started_at = now
            await subscription.save(update_fields=["expires_at", "status", "started_at"])
        bought = await Purchase.create(
            user_id=uid,
            product=chosen.spec.key,
            entitlement=chosen.spec.entitlement,
            coins=chosen.price_coins,
            ledger_transaction_id=transaction_id,
            period_start=start,
            period_end=end,
        )
        return "Purchase", bought.id

    outcome = await payments.run_idempotent(
        uid, "premiumPurchase", idempotency_key, {"product": product_key}, effect
    )
    if not outcome.replayed:
        await entitlement_changed(services, uid)
    return await Purchase.get(id=outcome.id)


async def active_entitlements(user_id: int | str) -> set[str]:
    """Entitlements from unexpired subscriptions and active admin grants (the hook's answer)."""
    uid = int(user_id)
    now = datetime.now(UTC)
    granted: set[str] = set(await column(Subscription.filter(user_id=uid, expires_at__gt=now), "entitlement"))
    granted.update(
        await column(
            EntitlementGrant.filter(user_id=uid, active=True, revoked_at__isnull=True).filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now)
            ),
            "entitlement",
        )
    )
    return granted


async def subscriptions_of(user_id: int | str) -> list[Subscription]:
    """A user's subscriptions, active first."""
    return await Subscription.filter(user_id=int(user_id)).order_by("-expires_at")


async def update_product(
    key: str, *, price_coins: int | None, active: bool | None, admin_id: int | str
) -> Product:
    """An admin changes a product's price or takes it off sale (existing subscriptions keep running)."""
    spec = product_default(key)
    if spec is None:
        raise DomainError("UNKNOWN_PRODUCT", field="input.product", product=str(key)[:40])
    if price_coins is not None and not 1 <= price_coins <= MAX_PRICE:
        raise DomainError("INVALID_PRICE", field="input.priceCoins", max=MAX_PRICE)
    setting = await ProductSetting.get_or_none(product=key)
    if setting is None:
        setting = ProductSetting(product=key, price_coins=spec.price_coins)
    if price_coins is not None:
        setting.price_coins = price_coins
    if active is not None:
        setting.active = active
    setting.updated_by_id = int(admin_id)
    await setting.save()
    return Product(spec, setting.price_coins, setting.active)


async def grant(
    services: Services,
    *,
    user_id: int,
    product_key: str,
    days: int | None,
    note: str,
    admin_id: int | str | None,
) -> EntitlementGrant:
    """An admin (or an app, `admin_id=None`) grants a product's entitlement (for `days`, or until
    revoked), never to themselves (`CONFLICT_OF_INTEREST`: another admin decides a free grant to an
    admin). `entitlement.granted` is recorded in the grant's transaction."""
    from plugins.account.api import existing_user_ids

    forbid_own_case(admin_id, user_id, field="input.userId")

    spec = product_default(product_key)
    if spec is None:
        raise DomainError("UNKNOWN_PRODUCT", field="input.product", product=str(product_key)[:40])
    if days is not None and not 1 <= days <= 3650:
        raise DomainError("INVALID_INPUT", field="input.days", detail="days: 1 to 3650")
    if not await existing_user_ids([user_id]):
        raise DomainError("NOT_FOUND", field="input.userId")
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    async with in_transaction():
        created = await EntitlementGrant.create(
            user_id=user_id,
            entitlement=spec.entitlement,
            granted_by_id=int(admin_id) if admin_id is not None else None,
            note=note[:300],
            expires_at=expires,
        )
        await services.events.publish(
            events.event(
                events.GRANTED, user_id, grant_id=created.pk, entitlement=spec.entitlement,
                expires_at=expires.isoformat() if expires else None,
            )
        )  # fmt: skip
    await entitlement_changed(services, user_id)
    return created


async def revoke_grant(services: Services, grant_id: int) -> EntitlementGrant:
    """An admin (or an app) ends a grant now; `entitlement.revoked` is recorded in its transaction."""
    async with in_transaction():
        found = await EntitlementGrant.filter(id=grant_id).select_for_update().first()
        if found is None:
            raise DomainError("NOT_FOUND", field="id")
        if found.revoked_at is not None:
            return found
        found.revoked_at, found.active = datetime.now(UTC), False
        await found.save(update_fields=["revoked_at", "active"])
        await services.events.publish(
            events.event(
                events.REVOKED, found.user_id, grant_id=found.pk, entitlement=found.entitlement, grants=1
            )
        )
    await entitlement_changed(services, found.user_id)
    return found


async def expire(services: Services) -> int:
    """Mark lapsed subscriptions and grants and drop those users' cached entitlements (periodic job)."""
    now = datetime.now(UTC)
    users: set[int] = set(await column(Subscription.filter(status="ACTIVE", expires_at__lte=now), "user_id"))
    await Subscription.filter(status="ACTIVE", expires_at__lte=now).update(status="EXPIRED")
    lapsed = EntitlementGrant.filter(active=True, expires_at__lte=now)
    users.update(await column(lapsed, "user_id"))
    await lapsed.update(active=False)
    for user_id in users:
        await entitlement_changed(services, user_id)
    return len(users)
