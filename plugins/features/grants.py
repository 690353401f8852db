"""Entitlement administration (no GraphQL): bulk grants to a segment, run as batch jobs, and
revocation. Storage and the cache invalidation belong to the premium plugin (`plugins.premium.api`);
every action here is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from core import audit
from core.context import Services
from core.errors import DomainError
from plugins.features import segments
from plugins.premium import api as premium

GRANT_JOB = "features.grant_batch"
BATCH_SIZE = 500
MAX_DAYS = 3650
MAX_REASON = 300


@dataclass(frozen=True)
class BulkGrant:
    """What a bulk grant reached: users in the segment and the batch jobs queued for them."""

    granted: int
    batches: int


@dataclass(frozen=True)
class Revoked:
    """What a revocation ended, and whether a paid subscription still grants the entitlement."""

    entitlement: str
    user_id: int
    revoked: int
    still_held: bool


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not 0 < len(reason) <= MAX_REASON:
        raise DomainError(
            "INVALID_INPUT", field="input.reason", detail=f"reason: 1 to {MAX_REASON} characters"
        )
    return reason


def _entitlement(entitlement: str) -> str:
    if entitlement not in premium.entitlement_keys():
        raise DomainError("UNKNOWN_ENTITLEMENT", field="input.entitlement", entitlement=str(entitlement)[:40])
    return entitlement


async def bulk_grant(
    services: Services,
    actor: Any,
    *,
    entitlement: str,
    segment: dict[str, Any] | None,
    days: int,
    reason: str,
    ip: str | None = None,
) -> BulkGrant:
    """Grant `entitlement` for `days` to everyone in `segment` now: the segment is selected in
    SQL at once (the count), the grants are written by `features.grant_batch` jobs of
    `BATCH_SIZE` users each (idempotent: a retried batch grants nobody twice)."""
    _entitlement(entitlement)
    reason = _reason(reason)
    if not 1 <= days <= MAX_DAYS:
        raise DomainError("INVALID_INPUT", field="input.days", detail=f"days: 1 to {MAX_DAYS}")
    normalised = segments.normalise(segment)
    if normalised is None:
        raise DomainError("INVALID_SEGMENT", field="input.segment", detail="give at least one criterion")
    user_ids = await segments.user_ids(normalised)
    bulk_id = uuid.uuid4().hex[:12]
    await audit.record(
        services,
        actor=actor,
        action="entitlement.bulk_granted",
        target_type="Entitlement",
        target_id=entitlement,
        reason=reason,
        ip=ip,
        data={"bulk": bulk_id, "segment": normalised, "days": days, "users": len(user_ids)},
    )
    note = f"{reason[: MAX_REASON - 20]} [bulk {bulk_id}]"
    batches = [user_ids[i : i + BATCH_SIZE] for i in range(0, len(user_ids), BATCH_SIZE)]
    for batch in batches:
        await services.jobs.enqueue(
            GRANT_JOB, user_ids=batch, entitlement=entitlement, days=days, note=note,
            admin_id=None if actor.is_app else actor.user_id,  # an app's grants name no admin
        )  # fmt: skip
    return BulkGrant(granted=len(user_ids), batches=len(batches))


async def grant_batch(
    services: Services, *, user_ids: list[int], entitlement: str, days: int, note: str, admin_id: str | None
) -> int:
    """One batch of a bulk grant (the job)."""
    return await premium.grant_many(
        services, user_ids=user_ids, entitlement=entitlement, days=days, note=note, admin_id=admin_id
    )


async def revoke(
    services: Services, actor: Any, *, entitlement: str, user_id: int, reason: str, ip: str | None = None
) -> Revoked:
    """End the user's admin grants of `entitlement` now (every process sees it on the next
    request: the shared entitlement cache is dropped); `NOTHING_TO_REVOKE` when there is none."""
    _entitlement(entitlement)
    reason = _reason(reason)
    ended = await premium.revoke(services, user_id=user_id, entitlement=entitlement)
    if not ended:
        raise DomainError("NOTHING_TO_REVOKE", field="input.userId", entitlement=entitlement)
    await audit.record(
        services,
        actor=actor,
        action="entitlement.revoked",
        target_type="User",
        target_id=user_id,
        reason=reason,
        ip=ip,
        data={"entitlement": entitlement, "grants": ended},
    )
    still = await premium.holds_through_purchase(user_id, entitlement)
    return Revoked(entitlement=entitlement, user_id=user_id, revoked=ended, still_held=still)
