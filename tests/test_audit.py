"""core.audit: entries record who, what, on which object, and roll back with their transaction."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from core import audit
from core.context import APP, Actor
from core.db import use_orm
from core.models import AuditEntry


async def test_record_keeps_actor_kind_target_reason_and_ip(client):
    with use_orm(client.services.orm):
        app = Actor(
            user_id="app:7", app_id="7", kind=APP, roles=frozenset(), permissions=frozenset({"tickets:read"})
        )
        await audit.record(
            client.services, actor=app, action="ticket.replied", target_type="Ticket", target_id=3, ip="::1"
        )
        await audit.record(client.services, actor=Actor(user_id="5"), action="appeal.decided", reason="ok")
        await audit.record(client.services, actor=None, action="system.purge")
        rows = await audit.query(audit.AuditFilter())
    assert [(r.actor_kind, r.actor_id, r.action) for r in rows] == [
        ("SYSTEM", None, "system.purge"),
        ("USER", "5", "appeal.decided"),
        ("APP", "7", "ticket.replied"),
    ]
    assert (rows[2].target_type, rows[2].target_id, rows[2].ip) == ("Ticket", "3", "::1")
    with use_orm(client.services.orm):
        assert [r.action for r in await audit.query(audit.AuditFilter(actor_id="5"))] == ["appeal.decided"]


async def test_a_rolled_back_action_leaves_no_entry(client):
    with use_orm(client.services.orm):
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await audit.record(client.services, actor="5", action="grant.created")
                raise RuntimeError("injected")
        assert await AuditEntry.all().count() == 0
