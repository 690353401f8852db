"""What other plugins may use of the account plugin (they never import its service or schema).

- `load_user(context, user_id)`: the GraphQL `User` of an id, batched per request (DataLoader).
- `require_verified_adult(user_id)`: the single eligibility rule for money and paid services.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.errors import DomainError
from plugins.account import queries
from plugins.account.models import RealNameVerification


async def _batch_users(ids: list[Any]) -> list[Any]:
    from plugins.account.types import User

    return [User.from_model(u) if u else None for u in await queries.users_by_ids(ids)]


async def load_user(context: Any, user_id: int | str | None) -> Any:
    """The `User` (GraphQL object) with this id, or None; all calls in a request share one query."""
    if user_id is None:
        return None
    return await context.loader("account.users", _batch_users).load(int(user_id))


def age_on(birth_date: date, today: date) -> int:
    """Whole years between `birth_date` and `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


async def is_verified_adult(user_id: int | str) -> bool:
    """True when the user passed real-name verification and is 18 or older today."""
    record = await RealNameVerification.get_or_none(user_id=int(user_id), status="VERIFIED")
    return record is not None and age_on(record.birth_date, date.today()) >= 18


async def require_verified_adult(user_id: int | str) -> None:
    """Raise `VERIFICATION_REQUIRED` unless the user is a verified adult (recharge, purchases)."""
    if not await is_verified_adult(user_id):
        raise DomainError("VERIFICATION_REQUIRED")


async def set_account_status(services: Any, user_id: int | str, status: str, *, reason: str) -> None:
    """Ban (`BANNED`) or restore (`ACTIVE`) an account. Sessions follow on their next request;
    the caller's transaction (if any) covers this update."""
    from plugins.account.models import User

    if status not in ("ACTIVE", "BANNED"):
        raise DomainError("INVALID_INPUT", field="status", detail=reason)
    await User.filter(id=int(user_id)).update(status=status)
