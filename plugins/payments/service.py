"""Recharges and refunds: limits, eligibility, idempotency and the ledger postings (no GraphQL)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from core import outbox
from core.context import Services
from core.errors import DomainError
from core.pagination import Page, page_by_key
from plugins.payments import ledger
from plugins.payments.idempotency import Outcome, run_idempotent
from plugins.payments.limits import recharged_on_day
from plugins.payments.models import RechargeOrder, Refund
from plugins.payments.providers import providers
from plugins.payments.settings import payment_settings

ORDER_STATUSES = ("PENDING", "PAID", "FAILED", "REFUNDED")
REFUND_JOB = "payments.refund"


async def require_verified_adult(services: Services, user_id: int | str) -> None:
    """The account plugin's one eligibility rule (recharge and purchases)."""
    from plugins.account.api import require_verified_adult as rule

    await rule(user_id)


async def create_recharge(
    services: Services, user_id: int | str, *, coins: int, channel: str, idempotency_key: str
) -> tuple[RechargeOrder, bool]:
    """A PENDING order with its payment URL; the same key and input return the same order."""
    settings = payment_settings(services)
    uid = int(user_id)
    if not settings.min_coins_per_order <= coins <= settings.max_coins_per_order:
        raise DomainError(
            "INVALID_AMOUNT",
            field="input.coins",
            min=settings.min_coins_per_order,
            max=settings.max_coins_per_order,
        )
    available = providers(services)
    provider = available.get(channel)
    if provider is None:
        raise DomainError(
            "UNKNOWN_CHANNEL",
            field="input.channel",
            channel=channel[:40],
            available=", ".join(sorted(available)) or "-",
        )
    await require_verified_adult(services, uid)
    await ledger.ensure_wallet(uid)

    async def effect() -> tuple[str, int]:
        await ledger.lock_wallet(uid)  # serialises this user's limit checks
        now = datetime.now(UTC)
        used = await recharged_on_day(uid, settings, now)
        if used + coins > settings.max_coins_per_day:
            raise DomainError(
                "DAILY_LIMIT_EXCEEDED",
                field="input.coins",
                limit=settings.max_coins_per_day,
                remaining=max(0, settings.max_coins_per_day - used),
            )
        order = await RechargeOrder.create(
            user_id=uid,
            coins=coins,
            amount=coins * settings.fen_per_coin,
            channel=channel,
            provider_ref=secrets.token_urlsafe(24),
        )
        order.payment_url = await provider.payment_url(services, order)
        await order.save(update_fields=["payment_url"])
        return "RechargeOrder", order.id

    outcome = await run_idempotent(
        uid, "rechargeCreate", idempotency_key, {"coins": coins, "channel": channel}, effect
    )
    return await RechargeOrder.get(id=outcome.id), outcome.replayed


async def request_refund(
    services: Services, user_id: int | str, *, order_id: int, reason: str, idempotency_key: str
) -> tuple[Refund, bool]:
    """Take the order's coins back out of the wallet and queue the provider refund.

    Refundable: the caller's own PAID order, within the window, with no earlier refund, while the
    wallet still holds at least the order's coins (coins are interchangeable, so spent coins are
    the part of the order the balance no longer covers)."""
    settings = payment_settings(services)
    uid = int(user_id)
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= 500:
        raise DomainError("INVALID_INPUT", field="input.reason", detail="reason: 1 to 500 characters")

    async def effect() -> tuple[str, int]:
        order = await RechargeOrder.filter(id=order_id).select_for_update().first()
        if order is None or order.user_id != uid:
            raise DomainError("NOT_FOUND", field="input.orderId")
        if order.status != "PAID":
            raise DomainError("NOT_REFUNDABLE", field="input.orderId", detail=order.status)
        if await Refund.filter(order_id=order.id).exists():
            raise DomainError("NOT_REFUNDABLE", field="input.orderId", detail="already refunded")
        if order.paid_at and datetime.now(UTC) - order.paid_at > timedelta(days=settings.refund_window_days):
            raise DomainError(
                "REFUND_WINDOW_EXPIRED", field="input.orderId", days=settings.refund_window_days
            )
        wallet = await ledger.lock_wallet(uid)
        balance = await ledger.balance_of(wallet.id)
        if balance < order.coins:
            raise DomainError(
                "COINS_ALREADY_SPENT", field="input.orderId", balance=balance, coins=order.coins
            )
        refund = await Refund.create(
            order_id=order.id, user_id=uid, coins=order.coins, amount=order.amount, reason=reason
        )
        clearing = await ledger.ensure_account(ledger.clearing_code(order.channel), ledger.CLEARING)
        await ledger.post(
            "REFUND",
            f"refund:{refund.id}",
            debit=wallet,
            credit=clearing,
            coins=order.coins,
            memo=f"refund of order {order.id}",
        )
        # The provider call is recorded with the debit (transactional outbox): it exists exactly
        # when the refund committed, and runs once per refund (keyed by its id).
        await outbox.add_job(REFUND_JOB, {"refund_id": refund.id}, key=f"{REFUND_JOB}:{refund.id}")
        return "Refund", refund.id

    outcome: Outcome = await run_idempotent(
        uid, "refundRequest", idempotency_key, {"orderId": order_id, "reason": reason}, effect
    )
    return await Refund.get(id=outcome.id), outcome.replayed


async def orders_page(user_id: int | str, first: int | None, after: str | None) -> Page:
    """A user's orders, newest first."""
    return await page_by_key(RechargeOrder.filter(user_id=int(user_id)), first, after)


async def refunds_page(user_id: int | str, first: int | None, after: str | None) -> Page:
    """A user's refunds, newest first."""
    return await page_by_key(Refund.filter(user_id=int(user_id)), first, after)


async def orders_by_ids(ids: list[Any]) -> list[RechargeOrder | None]:
    """Orders in the order of `ids` (one query)."""
    found = {o.id: o for o in await RechargeOrder.filter(id__in=[int(i) for i in ids])}
    return [found.get(int(i)) for i in ids]


async def refunds_by_order_ids(ids: list[Any]) -> list[Refund | None]:
    """The refund of each order id (None when it has none), one query."""
    found = {r.order_id: r for r in await Refund.filter(order_id__in=[int(i) for i in ids])}
    return [found.get(int(i)) for i in ids]


async def refunds_by_ids(ids: list[Any]) -> list[Refund | None]:
    """Refunds in the order of `ids` (one query)."""
    found = {r.id: r for r in await Refund.filter(id__in=[int(i) for i in ids])}
    return [found.get(int(i)) for i in ids]
