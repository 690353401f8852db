"""The audit log: append-only entries for every staff or app action on someone else's data.

`record` is the one way to write an entry. It runs in the caller's database transaction when there
is one (tortoise's current connection), so an action that rolls back leaves no entry. Nothing in the
API edits or deletes entries; `query` is the read side the `auditLog` field uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.context import Services
from core.models import AuditEntry
from core.pagination import Page, page_by_key

SYSTEM = "SYSTEM"


def _actor_fields(actor: Any) -> tuple[str, str | None]:
    """(kind, id) of a `core.context.Actor`, a bare id, or None for the system itself."""
    if actor is None:
        return SYSTEM, None
    if isinstance(actor, str):
        return "USER", actor
    if getattr(actor, "app_id", None) is not None:
        return actor.kind, actor.app_id
    return getattr(actor, "kind", "USER"), getattr(actor, "user_id", None)


async def record(
    services: Services,
    *,
    actor: Any,
    action: str,
    target_type: str | None = None,
    target_id: Any = None,
    reason: str | None = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (`actor`, a user or app `Actor`, a user id, or None for the system),
    did what (`action`, e.g. `appeal.decided`), to which object, why and from where.

    `services` is accepted so a deployment may later mirror entries elsewhere; today the database
    row is the record."""
    kind, actor_id = _actor_fields(actor)
    return await AuditEntry.create(
        actor_kind=kind,
        actor_id=str(actor_id) if actor_id is not None else None,
        action=action[:100],
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        reason=reason,
        ip=ip,
        data=data or {},
    )


@dataclass(frozen=True)
class AuditFilter:
    """What `query` narrows entries to (every part optional)."""

    action: str | None = None
    actor_id: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(flt: AuditFilter) -> Any:
    rows = AuditEntry.all()
    if flt.action:
        rows = rows.filter(action=flt.action)
    if flt.actor_id:
        rows = rows.filter(actor_id=flt.actor_id)
    if flt.target_id:
        rows = rows.filter(target_id=flt.target_id)
    if flt.since:
        rows = rows.filter(at__gte=flt.since)
    if flt.until:
        rows = rows.filter(at__lt=flt.until)
    return rows


async def query(flt: AuditFilter, *, offset: int = 0, limit: int = 20) -> Sequence[AuditEntry]:
    """Entries matching `flt`, newest first, `limit` of them from `offset`."""
    return await _filtered(flt).order_by("-id").offset(offset).limit(limit)


async def page(flt: AuditFilter, first: int | None, after: str | None) -> Page:
    """One page of entries matching `flt`, newest first (keyset pagination)."""
    return await page_by_key(_filtered(flt), first, after)
