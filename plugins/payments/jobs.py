"""Payments jobs: the provider refund (retried), and periodic sweeps (stuck refunds, unpaid
orders, old idempotency keys)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import Services
from core.events import Event
from core.jobs import JobSpec
from plugins.payments import ledger
from plugins.payments.idempotency import purge_expired
from plugins.payments.models import RechargeOrder, Refund
from plugins.payments.providers import ProviderError, providers
from plugins.payments.service import REFUND_JOB
from plugins.payments.settings import payment_settings

logger = logging.getLogger("selfserve.payments")


async def refund_with_provider(services: Services, refund_id: int) -> str:
    """Ask the provider to refund; retried by the broker while attempts remain, then the refund
    FAILS and the coins go back to the wallet (one reversal transaction)."""
    settings = payment_settings(services)
    refund = await Refund.get_or_none(id=int(refund_id))
    if refund is None or refund.status != "PENDING":
        return "skipped"
    order = await RechargeOrder.get(id=refund.order_id)
    # Count the attempt atomically and read it back: concurrent runs (a retry and the sweeper)
    # each see their own number, so exactly one of them crosses the limit.
    if not await Refund.filter(id=refund.id, status="PENDING").update(attempts=F("attempts") + 1):
        return "skipped"
    attempts = (await Refund.get(id=refund.id)).attempts
    provider = providers(services).get(order.channel)
    try:
        if provider is None:
            raise ProviderError(f"provider {order.channel!r} is not enabled")
        await provider.refund(services, order, refund)
    except ProviderError as error:
        await Refund.filter(id=refund.id).update(last_error=str(error)[:300])
        if attempts < settings.refund_max_attempts:
            raise  # the broker retries; the sweeper catches what it drops
        await _fail(refund, order)
        return "failed"
    async with in_transaction():
        done = await Refund.filter(id=refund.id, status="PENDING").update(
            status="SUCCEEDED", completed_at=datetime.now(UTC)
        )
        if done:
            await RechargeOrder.filter(id=order.id).update(status="REFUNDED")
    if done:
        await services.events.publish(
            Event(
                "refund.succeeded", {"refund_id": refund.id, "order_id": order.id, "user_id": refund.user_id}
            )
        )
    return "succeeded"


async def _fail(refund: Refund, order: RechargeOrder) -> None:
    try:
        async with in_transaction():
            if not await Refund.filter(id=refund.id, status="PENDING").update(
                status="FAILED", completed_at=datetime.now(UTC)
            ):
                return
            # The coins go back where the refund took them from: the wallet for a refund the user
            # asked for, the hold account for an automatic refund over the daily limit.
            source = await ledger.debited_account(f"refund:{refund.id}")
            if source is None:
                source = await ledger.ensure_wallet(refund.user_id)
            clearing = await ledger.ensure_account(ledger.clearing_code(order.channel), ledger.CLEARING)
            await ledger.post(
                "REFUND_REVERSAL",
                f"refund-reversal:{refund.id}",
                debit=clearing,
                credit=source,
                coins=refund.coins,
                memo=f"refund {refund.id} failed",
            )
    except IntegrityError:
        logger.info("refund %s was already reversed", refund.id)


async def sweep(services: Services) -> dict[str, int]:
    """Re-queue stuck refunds, expire unpaid orders and purge old idempotency keys."""
    settings = payment_settings(services)
    now = datetime.now(UTC)
    stuck = await Refund.filter(
        status="PENDING", created_at__lt=now - timedelta(seconds=settings.refund_sweep_after_seconds)
    ).values_list("id", flat=True)
    for refund_id in stuck:
        await services.jobs.enqueue(REFUND_JOB, refund_id=refund_id)
    expired = await RechargeOrder.filter(
        status="PENDING", created_at__lt=now - timedelta(minutes=settings.order_expiry_minutes)
    ).update(status="FAILED", failed_at=now)
    purged = await purge_expired(settings.idempotency_retention_hours, now)
    return {"requeued": len(stuck), "expired": expired, "purged": purged}


def job_specs() -> list[JobSpec]:
    """The jobs this plugin registers."""
    return [
        JobSpec(REFUND_JOB, refund_with_provider, retries=5),
        JobSpec("payments.sweep", sweep, period_seconds=300),
    ]
