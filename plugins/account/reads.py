"""Reads of the account plugin: users by id in one batch, and the pages of a user's sessions and
security events."""

from __future__ import annotations

from collections.abc import Sequence

from core.pagination import Page, page_by_key, page_by_offset
from plugins.account.models import SecurityEvent, Session, User


async def users_by_ids(ids: Sequence[int | str]) -> list[User | None]:
    """Users in the order of `ids` (None where missing): one query for the whole batch."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {u.pk: u for u in await User.filter(id__in=wanted)}
    return [found.get(int(i)) if str(i).isdigit() else None for i in ids]


async def sessions_page(user_pk: int, first: int | None, after: str | None) -> Page:
    """Live sessions of a user, newest first (UUID keys, so paged by position)."""
    query = Session.filter(user_id=user_pk, revoked_at__isnull=True).order_by("-created_at", "-last_seen_at")
    return await page_by_offset(query, first, after)


async def security_events_page(user_pk: int, first: int | None, after: str | None) -> Page:
    """A user's security events, newest first."""
    return await page_by_key(SecurityEvent.filter(user_id=user_pk), first, after)
