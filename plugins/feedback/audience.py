"""Who a survey is for: everyone, or users with given roles and/or registered in a date range."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

from plugins.account.api import AccountSummary, account_batches


def matches(audience: dict[str, Any], user: AccountSummary) -> bool:
    """True when `user` belongs to the survey's audience."""
    roles = set(audience.get("roles") or [])
    if roles and not (roles & {"USER", *(user.roles or [])}):
        return False
    joined = user.created_at.date() if isinstance(user.created_at, datetime) else user.created_at
    before, after = audience.get("registered_before"), audience.get("registered_after")
    if before and joined >= date.fromisoformat(before):
        return False
    if after and joined < date.fromisoformat(after):
        return False
    return user.status == "ACTIVE"


async def members(audience: dict[str, Any]) -> AsyncIterator[list[AccountSummary]]:
    """Batches of the audience's users (date bounds in SQL, roles checked per user)."""
    before, after = audience.get("registered_before"), audience.get("registered_after")
    batches = account_batches(
        created_before=datetime.fromisoformat(before + "T00:00:00+00:00") if before else None,
        created_from=datetime.fromisoformat(after + "T00:00:00+00:00") if after else None,
    )
    async for batch in batches:
        yield [user for user in batch if matches(audience, user)]
