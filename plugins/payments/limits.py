"""The daily recharge limit: the coins of a user's orders created on one local calendar day that
are PENDING or PAID may not exceed `max_coins_per_day`. It is checked when an order is created and
again when a payment is credited (a late success on an expired order must not lift the total)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.functions import Sum

from plugins.payments.models import RechargeOrder
from plugins.payments.settings import PaymentSettings

#: Orders whose coins count toward their day's limit.
COUNTED_STATUSES = ("PENDING", "PAID")


def day_start(settings: PaymentSettings, at: datetime) -> datetime:
    """The start (in UTC) of the limit's calendar day that contains `at`."""
    offset = timedelta(hours=settings.day_utc_offset_hours)
    local = (at + offset).replace(hour=0, minute=0, second=0, microsecond=0)
    return local - offset


async def recharged_on_day(
    user_id: int, settings: PaymentSettings, at: datetime, *, excluding_order: int | None = None
) -> int:
    """Coins of the user's orders created on the day of `at` that count toward the limit."""
    start = day_start(settings, at)
    query = RechargeOrder.filter(
        user_id=user_id,
        created_at__gte=start,
        created_at__lt=start + timedelta(days=1),
        status__in=COUNTED_STATUSES,
    )
    if excluding_order is not None:
        query = query.exclude(id=excluding_order)
    rows = await query.annotate(total=Sum("coins")).values("total")
    return int(rows[0]["total"] or 0) if rows else 0


async def fits_daily_limit(order: RechargeOrder, settings: PaymentSettings) -> bool:
    """Whether crediting `order` keeps its creation day within the limit (the caller holds the
    user's wallet lock, which serialises every limit check of that user)."""
    used = await recharged_on_day(order.user_id, settings, order.created_at, excluding_order=order.id)
    return used + order.coins <= settings.max_coins_per_day
