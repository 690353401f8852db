"""What a real-name reviewer may see beyond the masked record, each sight written to the audit log."""

from __future__ import annotations

from typing import Any

from core import audit
from plugins.account.models import RealNameVerification
from plugins.account.realname_files import may_review


async def reveal_full_name(context: Any, record: RealNameVerification) -> str | None:
    """The decrypted full name for a reviewer (not of their own submission), audited; else None."""
    actor = context.actor
    if not may_review(actor, record.user_id) or not record.full_name_enc:
        return None
    name = context.services.pii.decrypt_text(record.full_name_enc, f"account.realname:{record.user_id}")
    await audit.record(
        context.services,
        actor=actor,
        action="realname.viewed",
        target_type="User",
        target_id=record.user_id,
        ip=context.ip,
    )
    return name
