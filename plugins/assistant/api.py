"""What other plugins may call (see docs/contracts.md)."""

from __future__ import annotations

from datetime import datetime

from plugins.assistant.models import Conversation


async def containment(since: datetime, until: datetime) -> tuple[int, int]:
    """(conversations started, of which handed off to a human) in [since, until).

    Containment rate = 1 - handed_off / conversations: how much the assistant solved alone.
    """
    started = Conversation.filter(created_at__gte=since, created_at__lt=until)
    total = await started.count()
    handed_off = await started.filter(handed_off_at__isnull=False).count()
    return total, handed_off
