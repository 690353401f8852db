"""Provider webhooks: verify, deduplicate by event id, then mark the order and credit the wallet
exactly once. The same function serves external POSTs and the in-process sandbox page."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.events import Event
from plugins.payments import ledger
from plugins.payments.models import RechargeOrder, WebhookEvent
from plugins.payments.providers import ProviderEvent, WebhookRejected, providers

logger = logging.getLogger("selfserve.payments")

PAID_EVENT = "payment.order_paid"


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
    services: Any, provider_name: str, headers: Mapping[str, str], body: bytes
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
        outcome, order = await _apply(provider_name, event)
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
    return WebhookResult(200, {"status": outcome, "event": event.id})


async def _apply(provider_name: str, event: ProviderEvent) -> tuple[str, RechargeOrder]:
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
                return "already_paid", order
            # A late success after the order expired still credits: the customer paid.
            order.status, order.paid_at = "PAID", datetime.now(UTC)
            await order.save(update_fields=["status", "paid_at"])
            wallet = await ledger.ensure_wallet(order.user_id)
            clearing = await ledger.ensure_account(ledger.clearing_code(provider_name), ledger.CLEARING)
            await ledger.post(
                "RECHARGE",
                f"recharge:{order.id}",
                debit=clearing,
                credit=wallet,
                coins=order.coins,
                memo=f"top-up order {order.id}",
            )
            return "paid", order
        if event.kind == "payment.failed":
            if order.status == "PENDING":
                order.status, order.failed_at = "FAILED", datetime.now(UTC)
                await order.save(update_fields=["status", "failed_at"])
                return "failed", order
            return "ignored", order
        raise _Refused("unknown event type")
