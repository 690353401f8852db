"""Who a survey is for: everyone, or users with given roles and/or registered in a date range."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

from plugins.account.models import User

BATCH = 500


def matches(audience: dict[str, Any], user: User) -> bool:
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


async def members(audience: dict[str, Any]) -> AsyncIterator[list[User]]:
    """Batches of the audience's users (date bounds in SQL, roles checked per user)."""
    query = User.filter(status="ACTIVE")
    if audience.get("registered_before"):
        query = query.filter(
            created_at__lt=datetime.fromisoformat(audience["registered_before"] + "T00:00:00+00:00")
        )
    if audience.get("registered_after"):
        query = query.filter(
            created_at__gte=datetime.fromisoformat(audience["registered_after"] + "T00:00:00+00:00")
        )
    last = 0
    while True:
        batch = list(await query.filter(id__gt=last).order_by("id").limit(BATCH))
        if not batch:
            return
        last = batch[-1].pk
        yield [user for user in batch if matches(audience, user)]
