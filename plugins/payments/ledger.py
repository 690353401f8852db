"""The double-entry ledger: every movement of coins is one transaction of two entries that sum to
zero, and a balance is the sum of an account's entries. Callers run these inside their own
database transaction (`in_transaction()`), which the ORM picks up from the context."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from core.errors import DomainError
from plugins.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction

WALLET = "WALLET"
CLEARING = "CLEARING"
REVENUE = "REVENUE"
HOLD = "HOLD"


def wallet_code(user_id: int | str) -> str:
    """The ledger code of a user's wallet."""
    return f"wallet:{int(user_id)}"


def clearing_code(provider: str) -> str:
    """Money the provider holds for us (negative: the provider collected it, owes it to wallets)."""
    return f"clearing:{provider}"


def hold_code(provider: str) -> str:
    """Payments received through `provider` that may not reach a wallet (over the daily limit)
    and are on their way back to the payer."""
    return f"hold:{provider}"


def revenue_code(source: str) -> str:
    """Coins users spent on `source` (e.g. premium)."""
    return f"revenue:{source}"


async def ensure_account(code: str, kind: str, user_id: int | None = None) -> LedgerAccount:
    """The account `code`, created on first use. A savepoint absorbs a concurrent creation."""
    found = await LedgerAccount.get_or_none(code=code)
    if found is not None:
        return found
    try:
        async with in_transaction():
            return await LedgerAccount.create(code=code, kind=kind, user_id=user_id)
    except IntegrityError:
        return await LedgerAccount.get(code=code)


async def ensure_wallet(user_id: int | str) -> LedgerAccount:
    """The user's wallet account, created on first use."""
    return await ensure_account(wallet_code(user_id), WALLET, int(user_id))


async def lock_wallet(user_id: int | str) -> LedgerAccount:
    """Lock the user's wallet row until the transaction ends: serialises every debit of the wallet
    (and the daily recharge limit) across processes. Call inside a transaction."""
    await ensure_wallet(user_id)
    return await LedgerAccount.filter(code=wallet_code(user_id)).select_for_update().get()


async def balance_of(account_id: int) -> int:
    """Sum of the account's entries."""
    rows = await LedgerEntry.filter(account_id=account_id).annotate(total=Sum("amount")).values("total")
    return int(rows[0]["total"] or 0) if rows else 0


async def wallet_balance(user_id: int | str) -> int:
    """A user's coins: the sum of their wallet entries (0 without a wallet)."""
    account = await LedgerAccount.get_or_none(code=wallet_code(user_id)).only("id")
    return await balance_of(account.id) if account else 0


async def post(
    kind: str, reference: str, *, debit: LedgerAccount, credit: LedgerAccount, coins: int, memo: str = ""
) -> LedgerTransaction:
    """Move `coins` from `debit` to `credit` as one transaction of two entries. `reference` is
    unique: booking the same business event twice fails with an IntegrityError."""
    if coins <= 0:
        raise DomainError("INVALID_AMOUNT", field="coins", min=1, max=coins)
    transaction = await LedgerTransaction.create(kind=kind, reference=reference, memo=memo[:200])
    await LedgerEntry.bulk_create(
        [
            LedgerEntry(transaction_id=transaction.id, account_id=debit.id, amount=-coins),
            LedgerEntry(transaction_id=transaction.id, account_id=credit.id, amount=coins),
        ]
    )
    return transaction


async def debited_account(reference: str) -> LedgerAccount | None:
    """The account the transaction `reference` took coins from (None when it does not exist)."""
    entry = (
        await LedgerEntry.filter(transaction__reference=reference, amount__lt=0)
        .select_related("account")
        .first()
    )
    return entry.account if entry else None


@dataclass(frozen=True)
class LedgerReport:
    """What `check` found: counts, and every violated rule (empty when the ledger is sound)."""

    transactions: int
    entries: int
    accounts: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when no rule is violated."""
        return not self.problems


async def check() -> LedgerReport:
    """Verify the ledger invariants: each transaction has exactly two entries summing to zero, all
    entries sum to zero, no wallet is negative, and each paid order is credited exactly once."""
    from plugins.payments.models import RechargeOrder

    problems: list[str] = []
    per_tx = (
        await LedgerEntry.annotate(n=Count("id"), total=Sum("amount"))
        .group_by("transaction_id")
        .values("transaction_id", "n", "total")
    )
    for row in per_tx:
        if row["n"] != 2 or int(row["total"] or 0) != 0:
            problems.append(
                f"transaction {row['transaction_id']}: {row['n']} entries summing to {row['total']}"
            )
    transactions = await LedgerTransaction.all().count()
    if transactions != len(per_tx):
        problems.append(f"{transactions - len(per_tx)} transaction(s) without entries")
    entries = await LedgerEntry.all().count()
    grand = await LedgerEntry.all().annotate(total=Sum("amount")).values("total")
    if grand and int(grand[0]["total"] or 0) != 0:
        problems.append(f"all entries sum to {grand[0]['total']}, not 0")
    per_account = (
        await LedgerEntry.filter(account__kind=WALLET)
        .annotate(total=Sum("amount"))
        .group_by("account_id")
        .values("account_id", "total")
    )
    for row in per_account:
        if int(row["total"] or 0) < 0:
            problems.append(f"wallet account {row['account_id']} is negative: {row['total']}")
    credited = set(await LedgerTransaction.filter(kind="RECHARGE").values_list("reference", flat=True))
    paid = await RechargeOrder.filter(status__in=("PAID", "REFUNDED")).values_list("id", flat=True)
    for order_id in paid:
        if f"recharge:{order_id}" not in credited:
            problems.append(f"order {order_id} is paid but was never credited")
    accounts = await LedgerAccount.all().count()
    return LedgerReport(transactions, entries, accounts, problems)
