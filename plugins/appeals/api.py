"""What other plugins may use of the appeals plugin (they never import its service or schema).

- `latest_appeal(user_id)`: the user's newest appeal (status, due time, decision kind) or None.
- `appealable_decisions(user_id)`: the user's decisions that may still be appealed.
- `file_appeal(services, user_id, decision_id, reason)`: file an appeal (same rules as
  `appealCreate`, without evidence files). The assistant uses all three.
"""

from __future__ import annotations

from typing import Any

from core.context import Services
from plugins.appeals.models import Appeal


def _appeal_view(appeal: Appeal, decision: Any) -> dict:
    return {
        "id": appeal.id,
        "status": appeal.status,
        "created_at": appeal.created_at,
        "due_at": appeal.due_at,
        "decided_at": appeal.decided_at,
        "note": appeal.note,
        "decision_kind": decision.kind if decision else None,
    }


async def latest_appeal(user_id: int | str) -> dict | None:
    """The user's newest appeal, or None."""
    from plugins.content.api import get_decision

    appeal = await Appeal.filter(user_id=int(user_id)).order_by("-id").first()
    if appeal is None:
        return None
    return _appeal_view(appeal, await get_decision(appeal.decision_id))


async def appealable_decisions(user_id: int | str) -> list[dict]:
    """The user's decisions (newest first) not reversed, not yet appealed, still in the window."""
    from plugins.content.api import open_decisions_of

    decisions = await open_decisions_of(user_id)
    appealed = set(
        await Appeal.filter(decision_id__in=[d.id for d in decisions]).values_list("decision_id", flat=True)
    )
    return [
        {"id": d.id, "kind": d.kind, "reason": d.reason, "statement": d.statement, "video_id": d.video_id}
        for d in decisions
        if d.id not in appealed
    ]


async def file_appeal(services: Services, user_id: int | str, decision_id: int, reason: str) -> dict:
    """File an appeal of the user's decision; `DomainError` as `appealCreate` raises them."""
    from plugins.appeals.service import create_appeal

    appeal = await create_appeal(services, int(user_id), decision_id, reason, None)
    return {"id": appeal.id, "status": appeal.status, "due_at": appeal.due_at}
