"""Periodic support jobs: SLA breaches, auto-close of solved tickets, satisfaction surveys, the queue.

Each is idempotent (a flag or timestamp records what was done) so a retried or doubled tick is harmless.
`now` (ISO-8601) lets tests and the CLI run a job as of another time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from core.context import Services
from core.db import column
from core.jobs import JobSpec
from core.notify import Message, queue_notification
from plugins.account.api import account_summary
from plugins.support import agents, sla
from plugins.support.models import ACTIVE_STATUSES, Ticket, TicketHistory
from plugins.support.publish import publish
from plugins.support.settings import support_settings

BATCH = 500


def _now(now: str | None) -> datetime:
    return datetime.fromisoformat(now) if now else datetime.now(UTC)


async def _notify(services: Services, user_id: int, code: str, kind: str, **params: Any) -> None:
    user = await account_summary(user_id)
    if user is None:
        return
    text = services.catalog.message(code, user.language, params)
    await queue_notification(
        services, Message("INAPP", str(user_id), text, text, kind=kind, user_id=str(user_id), data=params)
    )


async def _breach(services: Services, ticket: Ticket, target: str, at: datetime) -> None:
    column = f"{target}_breached"
    async with in_transaction():
        updated = await Ticket.filter(id=ticket.pk, **{column: False}).update(**{column: True})
        if not updated:  # another tick got it first
            return
        await TicketHistory.create(
            ticket_id=ticket.pk, kind="sla_breached", internal=True, data={"target": target}
        )
    setattr(ticket, column, True)
    await publish(services, "sla_breached", ticket, internal=True, target=target)
    recipients = [ticket.assignee_id] if ticket.assignee_id else await _available_agents()
    for user_id in recipients:
        await _notify(
            services,
            user_id,
            "SUPPORT_SLA_BREACHED",
            "support.sla_breached",
            number=ticket.number,
            target=target,
        )


async def _available_agents() -> list[int]:
    from plugins.support.models import AgentProfile

    return await column(AgentProfile.filter(available=True).limit(20), "user_id")


async def check_sla(services: Services, now: str | None = None) -> int:
    """Mark missed first-response and resolution targets (the clock is paused in PENDING)."""
    at = _now(now)
    running = Ticket.filter(status__in=("NEW", "OPEN"))
    late_first = await running.filter(
        first_response_at=None, first_response_breached=False, first_response_due_at__lt=at
    ).limit(BATCH)
    late_resolution = await running.filter(resolution_breached=False, resolution_due_at__lt=at).limit(BATCH)
    for ticket in late_first:
        await _breach(services, ticket, "first_response", at)
    for ticket in late_resolution:
        await _breach(services, ticket, "resolution", at)
    return len(late_first) + len(late_resolution)


async def auto_close(services: Services, now: str | None = None) -> int:
    """Close SOLVED tickets untouched for `auto_close_days` (a requester reply reopens instead)."""
    at = _now(now)
    cutoff = at - timedelta(days=support_settings(services).auto_close_days)
    closed = 0
    for ticket in await Ticket.filter(status="SOLVED", solved_at__lt=cutoff).limit(BATCH):
        async with in_transaction():
            fresh = await Ticket.filter(id=ticket.pk, status="SOLVED").select_for_update().first()
            if fresh is None:
                continue
            sla.apply_status(fresh, "CLOSED", at)
            await TicketHistory.create(
                ticket_id=fresh.pk,
                kind="status_changed",
                data={"old": "SOLVED", "new": "CLOSED", "automatic": True},
            )
            await fresh.save()
        await publish(services, "status_changed", fresh, previous="SOLVED")
        closed += 1
    return closed


async def send_surveys(services: Services, now: str | None = None) -> int:
    """Ask requesters of solved tickets to rate them (once per ticket)."""
    at = _now(now)
    cutoff = at - timedelta(minutes=support_settings(services).survey_delay_minutes)
    due = await Ticket.filter(
        status__in=("SOLVED", "CLOSED"), survey_sent_at=None, solved_at__lte=cutoff, merged_into_id=None
    ).limit(BATCH)
    sent = 0
    for ticket in due:
        if not await Ticket.filter(id=ticket.pk, survey_sent_at=None).update(survey_sent_at=at):
            continue
        await _notify(
            services, ticket.requester_id, "SUPPORT_CSAT_SURVEY", "support.csat_survey", number=ticket.number
        )
        sent += 1
    return sent


async def assign_queue(services: Services, **_: Any) -> int:
    """Give waiting tickets to available agents."""
    return await agents.assign_queue(services)


def job_specs(services_settings: Any = None) -> list[JobSpec]:
    """The plugin's jobs (periods from the defaults of `SupportSettings`)."""
    from plugins.support.settings import SupportSettings

    settings = SupportSettings()
    return [
        JobSpec("support.check_sla", check_sla, period_seconds=settings.sla_check_seconds),
        JobSpec("support.auto_close", auto_close, period_seconds=settings.auto_close_check_seconds),
        JobSpec("support.send_surveys", send_surveys, period_seconds=settings.survey_check_seconds),
        JobSpec("support.assign_queue", assign_queue, period_seconds=300),
    ]


__all__ = ["ACTIVE_STATUSES", "job_specs"]
