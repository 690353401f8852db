"""The audit log's write side: one append-only entry per staff or app action on someone else's data.

A minimal stand-in with the signature the partners work defines (`record`); the integrator keeps
that fuller module. The entry is written in the caller's transaction when there is one.
"""

from __future__ import annotations

from typing import Any

from core.models import AuditEntry


async def record(
    services: Any,
    *,
    actor: Any,
    action: str,
    target_type: str | None = None,
    target_id: Any = None,
    reason: str | None = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry: who (`actor`: an `Actor`, a user id, or None for the system), did what
    (`action`, e.g. `feature.flag_updated`) to which object, why and from where."""
    if actor is None:
        kind, actor_id = "SYSTEM", None
    elif isinstance(actor, str):
        kind, actor_id = "USER", actor
    else:
        kind, actor_id = getattr(actor, "kind", "USER"), getattr(actor, "user_id", None)
    return await AuditEntry.create(
        actor_kind=kind,
        actor_id=None if actor_id is None else str(actor_id),
        action=action[:100],
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:64],
        reason=reason,
        ip=ip,
        data=data or {},
    )
