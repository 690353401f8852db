"""What other plugins may use of the payments plugin (they never import its service or schema).

- `run_idempotent(user_id, scope, key, payload, effect)`: Stripe-style idempotency for any
  money-moving mutation (see `plugins.payments.idempotency`).
- `charge_wallet(user_id, coins, reference=, memo=)`: pay from the wallet inside the caller's
  transaction (locks the wallet, `INSUFFICIENT_BALANCE` when short). Premium purchases use it.
- `wallet_balance(user_id)`, `wallet_statement(user_id)`, `ensure_wallet(user_id)`,
  `require_verified_adult(user_id)`.
- `check_ledger()`: the invariant check (`selfserve payments check`, tests).
- GraphQL: `PaymentError` (re-exported here) for result unions of money operations.
"""

from __future__ import annotations

from core.context import Services
from core.errors import DomainError
from plugins.payments import ledger
from plugins.payments.idempotency import Outcome, check_key, run_idempotent
from plugins.payments.ledger import LedgerReport, ensure_wallet, wallet_balance
from plugins.payments.types import PaymentError

__all__ = [
    "LedgerReport",
    "Outcome",
    "PaymentError",
    "charge_wallet",
    "check_key",
    "check_ledger",
    "ensure_wallet",
    "require_verified_adult",
    "run_idempotent",
    "wallet_balance",
    "wallet_statement",
]


async def require_verified_adult(user_id: int | str) -> None:
    """`VERIFICATION_REQUIRED` unless the user is a verified adult (the account plugin's rule)."""
    from plugins.account.api import require_verified_adult as rule

    await rule(user_id)


async def charge_wallet(
    user_id: int | str, coins: int, *, reference: str, memo: str = "", source: str = "premium"
) -> int:
    """Move `coins` from the user's wallet to `revenue:<source>`; returns the ledger transaction id.

    Run it inside the caller's transaction: the wallet row stays locked until it commits, so two
    purchases can never spend the same coins. `reference` must be unique per business event."""
    if coins <= 0:
        raise DomainError("INVALID_AMOUNT", field="coins", min=1, max=coins)
    wallet = await ledger.lock_wallet(user_id)
    balance = await ledger.balance_of(wallet.id)
    if balance < coins:
        raise DomainError("INSUFFICIENT_BALANCE", balance=balance, needed=coins)
    revenue = await ledger.ensure_account(ledger.revenue_code(source), ledger.REVENUE)
    transaction = await ledger.post(
        "PURCHASE", reference, debit=wallet, credit=revenue, coins=coins, memo=memo
    )
    return transaction.id


async def wallet_statement(user_id: int | str) -> list[tuple[str, int]]:
    """The user's wallet movements, oldest first: (transaction kind, coins: positive in, negative
    out), e.g. `[("RECHARGE", 1000), ("PURCHASE", -300)]`. Empty for a user without a wallet."""
    from plugins.payments.models import LedgerEntry

    rows = (
        await LedgerEntry.filter(account__code=ledger.wallet_code(user_id))
        .order_by("id")
        .values_list("transaction__kind", "amount")
    )
    return [(str(kind), int(amount)) for kind, amount in rows]


async def check_ledger() -> LedgerReport:
    """Verify the ledger invariants (see `plugins.payments.ledger.check`)."""
    return await ledger.check()


# --- For the assistant: the signed-in user's own orders and refunds, and a refund on their behalf.


def _order_view(order, refund) -> dict:
    return {
        "id": order.id,
        "coins": order.coins,
        "amount": order.amount,
        "currency": order.currency,
        "status": order.status,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "refund": None
        if refund is None
        else {
            "id": refund.id,
            "status": refund.status,
            "created_at": refund.created_at,
            "completed_at": refund.completed_at,
        },
    }


async def recent_orders(user_id: int | str, limit: int = 5) -> list[dict]:
    """The user's latest recharge orders, newest first, each with its refund (or None)."""
    from plugins.payments.models import RechargeOrder, Refund

    orders = await RechargeOrder.filter(user_id=int(user_id)).order_by("-id").limit(limit)
    refunds = {r.order_id: r for r in await Refund.filter(order_id__in=[o.id for o in orders])}
    return [_order_view(o, refunds.get(o.id)) for o in orders]


async def refundable_orders(services: Services, user_id: int | str) -> list[dict]:
    """The user's PAID orders inside the refund window that have no refund yet (newest first).
    Whether the wallet still covers the coins is checked when the refund is requested."""
    from datetime import UTC, datetime, timedelta

    from plugins.payments.settings import payment_settings

    window = timedelta(days=payment_settings(services).refund_window_days)
    now = datetime.now(UTC)
    return [
        o
        for o in await recent_orders(user_id, limit=20)
        if o["status"] == "PAID" and o["refund"] is None and o["paid_at"] and now - o["paid_at"] <= window
    ]


async def refund_order(services: Services, user_id: int | str, order_id: int, reason: str, key: str) -> dict:
    """Request the refund of the user's order (same rules as `refundRequest`; `key` makes a
    repeated confirmation a no-op)."""
    from plugins.payments.service import request_refund

    refund, _ = await request_refund(services, user_id, order_id=order_id, reason=reason, idempotency_key=key)
    return {"id": refund.id, "status": refund.status, "order_id": refund.order_id, "amount": refund.amount}
