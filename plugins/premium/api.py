"""What other plugins may use of the premium plugin (they never import its service or schema).

- `FLAGS`: the feature flag of every paid add-on (`premium.<entitlement>`), declared by the hook.
- `entitlement_keys()`: the entitlements the catalogue sells.
- `grant_many(services, ...)`: admin grants to many users at once (idempotent per `note`).
- `revoke(services, user_id=, entitlement=)`: end a user's admin grants of an entitlement now.
- `holds_through_purchase(user_id, entitlement)`: a paid subscription still runs.
- `holder_ids(entitlement)`: users holding an entitlement now (segments of bulk grants).
- `holdings_page(entitlement=, user_id=, first=, after=)`: who holds what, with source and expiry.
Every change drops the user's cached entitlements and publishes `entitlement.changed`; grants and
revocations also record `entitlement.granted` / `entitlement.revoked` in their transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.context import Services
from core.db import column
from core.errors import DomainError
from core.flag_rules import FlagSpec
from core.pagination import Page, decode_cursor, encode_cursor, page_size
from plugins.premium import events
from plugins.premium.catalogue import PRODUCTS
from plugins.premium.models import EntitlementGrant, Subscription
from plugins.premium.service import entitlement_changed

__all__ = [
    "FLAGS",
    "Holding",
    "entitlement_keys",
    "grant_many",
    "holder_ids",
    "holdings_page",
    "holds_through_purchase",
    "revoke",
]

FLAGS: tuple[FlagSpec, ...] = tuple(
    FlagSpec(f"premium.{p.entitlement}", f"The paid add-on {p.title['en']} ({p.entitlement}).", True)
    for p in PRODUCTS
)


def entitlement_keys() -> list[str]:
    """Entitlements the catalogue sells, in catalogue order."""
    return [p.entitlement for p in PRODUCTS]


def _check_entitlement(entitlement: str, field: str) -> None:
    if entitlement not in entitlement_keys():
        raise DomainError("UNKNOWN_ENTITLEMENT", field=field, entitlement=str(entitlement)[:40])


def _active_grants(now: datetime) -> Any:
    return EntitlementGrant.filter(active=True, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


async def grant_many(
    services: Services,
    *,
    user_ids: list[int],
    entitlement: str,
    days: int,
    note: str,
    admin_id: int | str | None,
) -> int:
    """Grant `entitlement` for `days` to each user in `user_ids` (existing users), in one insert.
    A user who already holds an active grant with this very `note` is skipped, so a retried batch
    grants nobody twice. Returns how many grants were written."""
    _check_entitlement(entitlement, "input.entitlement")
    now = datetime.now(UTC)
    done = set(
        await _active_grants(now)
        .filter(entitlement=entitlement, note=note[:300], user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    fresh = [uid for uid in dict.fromkeys(user_ids) if uid not in done]
    expires = now + timedelta(days=days)
    async with in_transaction():  # the grants and their `entitlement.granted` events, or neither
        await EntitlementGrant.bulk_create(
            [
                EntitlementGrant(
                    user_id=uid,
                    entitlement=entitlement,
                    granted_by_id=int(admin_id) if admin_id is not None else None,
                    note=note[:300],
                    expires_at=expires,
                )
                for uid in fresh
            ]
        )
        for uid in fresh:
            await services.events.publish(
                events.event(
                    events.GRANTED,
                    uid,
                    grant_id=None,
                    entitlement=entitlement,
                    expires_at=expires.isoformat(),
                )
            )
    for uid in fresh:
        await entitlement_changed(services, uid)
    return len(fresh)


async def revoke(services: Services, *, user_id: int, entitlement: str) -> int:
    """End every active admin grant of `entitlement` the user holds; returns how many ended.
    Paid subscriptions are not touched (money has a refund path of its own)."""
    _check_entitlement(entitlement, "input.entitlement")
    now = datetime.now(UTC)
    async with in_transaction():
        ended = (
            await _active_grants(now)
            .filter(user_id=user_id, entitlement=entitlement)
            .update(active=False, revoked_at=now)
        )
        if ended:
            await services.events.publish(
                events.event(events.REVOKED, user_id, grant_id=None, entitlement=entitlement, grants=ended)
            )
    await entitlement_changed(services, user_id)
    return ended


async def holds_through_purchase(user_id: int, entitlement: str) -> bool:
    """True while a paid subscription of the user grants `entitlement`."""
    return await Subscription.filter(
        user_id=user_id, entitlement=entitlement, expires_at__gt=datetime.now(UTC)
    ).exists()


async def holder_ids(entitlement: str) -> set[int]:
    """Users who hold `entitlement` now, through a subscription or an admin grant."""
    _check_entitlement(entitlement, "input.segment.hasEntitlement")
    now = datetime.now(UTC)
    paid = await column(Subscription.filter(entitlement=entitlement, expires_at__gt=now), "user_id")
    granted = await column(_active_grants(now).filter(entitlement=entitlement), "user_id")
    return set(paid) | set(granted)


@dataclass(frozen=True)
class Holding:
    """One reason a user holds an entitlement: a paid subscription or an admin grant."""

    source: str  # PURCHASE or GRANT
    id: int
    user_id: int
    entitlement: str
    since: datetime
    expires_at: datetime | None
    granted_by: int | None = None
    note: str = ""


async def holdings_page(
    *, entitlement: str | None, user_id: int | None, first: int | None, after: str | None
) -> Page[Holding]:
    """Current holdings, subscriptions first then grants, each by id (keyset per source: the
    statements per page do not grow with its size)."""
    if entitlement is not None:
        _check_entitlement(entitlement, "entitlement")
    size = page_size(first)
    source, _, last = (decode_cursor(after, "h") or "P:0").partition(":")
    if source not in ("P", "G") or not last.isdigit():
        raise DomainError("INVALID_INPUT", field="after", detail="bad cursor")
    now = datetime.now(UTC)
    narrow = {k: v for k, v in (("entitlement", entitlement), ("user_id", user_id)) if v is not None}
    items: list[Holding] = []
    if source == "P":
        subscriptions = (
            await Subscription.filter(expires_at__gt=now, id__gt=int(last), **narrow)
            .order_by("id")
            .limit(size + 1)
        )
        items += [
            Holding("PURCHASE", s.id, s.user_id, s.entitlement, s.started_at, s.expires_at)
            for s in subscriptions
        ]
        last = "0"
    if len(items) <= size:
        grants = (
            await _active_grants(now)
            .filter(id__gt=int(last), **narrow)
            .order_by("id")
            .limit(size + 1 - len(items))
        )
        items += [
            Holding(
                "GRANT", g.id, g.user_id, g.entitlement, g.created_at, g.expires_at, g.granted_by_id, g.note
            )
            for g in grants
        ]
    page = items[:size]
    cursors = [encode_cursor("h", f"{'P' if h.source == 'PURCHASE' else 'G'}:{h.id}") for h in page]
    return Page(page, cursors, len(items) > size)
