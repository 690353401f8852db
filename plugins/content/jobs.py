"""The content plugin's jobs: publishing processed uploads, erasing videos past the restore window,
lifting expired temporary bans."""

from __future__ import annotations

from core.context import Services
from core.jobs import JobSpec
from plugins.content import moderation, service
from plugins.content.settings import ContentSettings


async def _process(services: Services, video_id: int) -> None:
    await service.process_video(services, video_id)


async def _purge(services: Services) -> None:
    await service.purge_deleted(services)


async def _lift(services: Services) -> None:
    await moderation.lift_expired_bans(services)


def job_specs() -> list[JobSpec]:
    """The jobs to register (the expiry check period comes from the environment's settings)."""
    return [
        JobSpec(service.PROCESS_JOB, _process),
        JobSpec(
            moderation.EXPIRED_BANS_JOB, _lift, period_seconds=ContentSettings().expired_bans_check_seconds
        ),
    ]
