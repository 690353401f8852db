"""What other plugins may use of the payments plugin (they never import its service or schema).

- `run_idempotent(user_id, scope, key, payload, effect)`: Stripe-style idempotency for any
  money-moving mutation (see `plugins.payments.idempotency`).
- `charge_wallet(user_id, coins, reference=, memo=)`: pay from the wallet inside the caller's
  transaction (locks the wallet, `INSUFFICIENT_BALANCE` when short). Premium purchases use it.
- `wallet_balance(user_id)`, `ensure_wallet(user_id)`, `require_verified_adult(user_id)`.
- `check_ledger()`: the invariant check (`selfserve payments check`, tests).
- GraphQL: `plugins.payments.types.PaymentError` for result unions of money operations.
"""

from __future__ import annotations

from core.errors import DomainError
from plugins.payments import ledger
from plugins.payments.idempotency import Outcome, check_key, run_idempotent
from plugins.payments.ledger import LedgerReport, ensure_wallet, wallet_balance

__all__ = [
    "LedgerReport",
    "Outcome",
    "charge_wallet",
    "check_key",
    "check_ledger",
    "ensure_wallet",
    "require_verified_adult",
    "run_idempotent",
    "wallet_balance",
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


async def check_ledger() -> LedgerReport:
    """Verify the ledger invariants (see `plugins.payments.ledger.check`)."""
    return await ledger.check()
