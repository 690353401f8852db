"""Provider webhooks: verify, deduplicate by event id, then mark the order and credit the wallet
exactly once. The same function serves external POSTs and the in-process sandbox page.

A success that would lift its day over the daily recharge limit (a late payment of an expired
order) is not credited: the coins go to the provider's hold account and straight back out as an
automatic refund to the payer (ledgered both ways, refund job queued)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.events import Event
from plugins.payments import ledger
from plugins.payments.limits import fits_daily_limit
from plugins.payments.models import RechargeOrder, Refund, WebhookEvent
from plugins.payments.providers import ProviderEvent, WebhookRejected, providers
from plugins.payments.service import REFUND_JOB
from plugins.payments.settings import PaymentSettings, payment_settings

logger = logging.getLogger("selfserve.payments")

PAID_EVENT = "payment.order_paid"
#: The reason of the automatic refund of a payment that arrived over the daily limit.
OVER_LIMIT_REASON = "Daily top-up limit reached when the payment arrived · 到账时已达每日充值上限，自动退款"


@dataclass(frozen=True)
class WebhookResult:
    """The HTTP answer to a webhook: status code and a short JSON body."""

    status: int
    body: dict[str, Any]


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def handle_webhook(
    services: Services, provider_name: str, headers: Mapping[str, str], body: bytes
) -> WebhookResult:
    """Verify and apply one webhook. 200 for applied or duplicate events, 400 for refused ones
    (forged, stale, malformed, unknown order, wrong amount), 404 for an unknown provider."""
    provider = providers(services).get(provider_name)
    if provider is None:
        return WebhookResult(404, {"error": "unknown provider"})
    try:
        event = provider.verify_webhook(services, headers, body)
    except WebhookRejected as rejected:
        logger.warning("refused %s webhook: %s", provider_name, rejected.reason)
        return WebhookResult(400, {"error": rejected.reason})
    try:
        outcome, order, refund_id = await _apply(provider_name, event, payment_settings(services))
    except IntegrityError:
        # The event id is already recorded (a replay, or a concurrent delivery that won).
        return WebhookResult(200, {"status": "duplicate", "event": event.id})
    except _Refused as refused:
        return WebhookResult(400, {"error": refused.reason})
    if outcome == "paid":
        await services.events.publish(
            Event(
                PAID_EVENT,
                {"order_id": order.id, "user_id": order.user_id, "coins": order.coins},
                channels=(f"user:{order.user_id}",),
            )
        )
    if refund_id is not None:
        logger.warning("order %s paid over the daily limit: refund %s queued", order.id, refund_id)
        await services.jobs.enqueue(REFUND_JOB, refund_id=refund_id)
    return WebhookResult(200, {"status": outcome, "event": event.id})


async def _apply(
    provider_name: str, event: ProviderEvent, settings: PaymentSettings
) -> tuple[str, RechargeOrder, int | None]:
    async with in_transaction():
        await WebhookEvent.create(provider=provider_name, event_id=event.id[:100], kind=event.kind[:40])
        order = (
            await RechargeOrder.filter(provider_ref=event.order_ref, channel=provider_name)
            .select_for_update()
            .first()
        )
        if order is None:
            raise _Refused("unknown order")
        if event.kind == "payment.succeeded":
            if event.amount != order.amount or event.currency != order.currency:
                raise _Refused("amount does not match the order")
            if order.status not in ("PENDING", "FAILED"):
                return "already_paid", order, None
            # The wallet lock serialises this limit check with the user's other orders.
            wallet = await ledger.lock_wallet(order.user_id)
            within_limit = await fits_daily_limit(order, settings)
            order.status, order.paid_at = "PAID", datetime.now(UTC)
            await order.save(update_fields=["status", "paid_at"])
            clearing = await ledger.ensure_account(ledger.clearing_code(provider_name), ledger.CLEARING)
            if within_limit:
                # A late success after the order expired still credits: the customer paid.
                await ledger.post(
                    "RECHARGE",
                    f"recharge:{order.id}",
                    debit=clearing,
                    credit=wallet,
                    coins=order.coins,
                    memo=f"top-up order {order.id}",
                )
                return "paid", order, None
            refund = await _refund_over_limit(provider_name, order, clearing)
            return "refunded_over_limit", order, refund.id
        if event.kind == "payment.failed":
            if order.status == "PENDING":
                order.status, order.failed_at = "FAILED", datetime.now(UTC)
                await order.save(update_fields=["status", "failed_at"])
                return "failed", order, None
            return "ignored", order, None
        raise _Refused("unknown event type")


async def _refund_over_limit(provider_name: str, order: RechargeOrder, clearing: Any) -> Refund:
    """Book a payment that may not be credited: into the provider's hold account (never the
    wallet) and out again as a PENDING refund. If the provider refund finally fails, the coins
    stay on hold for an operator (`refund.status = FAILED`), still never in the wallet."""
    hold = await ledger.ensure_account(ledger.hold_code(provider_name), ledger.HOLD)
    await ledger.post(
        "RECHARGE",
        f"recharge:{order.id}",
        debit=clearing,
        credit=hold,
        coins=order.coins,
        memo=f"top-up order {order.id} over the daily limit: held for refund",
    )
    refund = await Refund.create(
        order_id=order.id,
        user_id=order.user_id,
        coins=order.coins,
        amount=order.amount,
        reason=OVER_LIMIT_REASON,
    )
    await ledger.post(
        "REFUND",
        f"refund:{refund.id}",
        debit=hold,
        credit=clearing,
        coins=order.coins,
        memo=f"automatic refund of order {order.id} (daily limit)",
    )
    return refund
