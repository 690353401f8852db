"""Demo content for `selfserve demo` / `make run` (idempotent): a creator with videos and two weeks
of numbers (for the analytics report), a video removed by a moderator, and the seed's case of an
account banned by mistake, ready to be appealed and overturned by `reviewer@example.com`."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from core.context import Services
from plugins.content.api import add_published_video, bump_video, record_follow
from plugins.content.models import Decision, Video
from plugins.content.settings import content_settings

MODERATOR = ("moderator@example.com", "Demo Moderator", ["REVIEWER"])
CREATOR = ("creator@example.com", "Demo Creator", [])
BANNED = ("banned@example.com", "Demo Wrongly Banned", [])
VIDEOS = (
    ("Dumpling recipe in 60 seconds", ["food", "recipe"], 58.0),
    ("Morning run by the river", ["vlog", "sport"], 95.5),
    ("Cat vs. cucumber", ["cats", "funny"], 14.2),
)


async def _user(services: Services, spec: tuple[str, str, list[str]]) -> Any:
    from plugins.account.api import create_demo_user

    email, name, roles = spec
    return await create_demo_user(services, email, name, roles)


async def seed(services: Services) -> list[str]:
    """Create what is missing; returns what was created."""
    from plugins.account.api import set_account_status

    created: list[str] = []
    moderator = await _user(services, MODERATOR)
    creator = await _user(services, CREATOR)
    banned = await _user(services, BANNED)
    now = datetime.now(UTC)
    window = timedelta(days=content_settings(services).appeal_window_days)
    if not await Video.exists(owner_id=creator.id):
        rng = random.Random(7)  # the same demo numbers on every machine
        for title, tags, seconds in VIDEOS:
            video_id = await add_published_video(
                services,
                creator.id,
                title,
                tags=tags,
                duration_seconds=seconds,
                published_at=now - timedelta(days=14),
            )
            for back in range(14):
                day = (now - timedelta(days=back)).date()
                views = rng.randint(50, 900)
                await bump_video(
                    video_id, day, views=views, likes=views // rng.randint(5, 12), shares=views // 40
                )
        for back in range(14):
            await record_follow(creator.id, rng.randint(2, 30), day=(now - timedelta(days=back)).date())
            await record_follow(creator.id, -rng.randint(0, 6), day=(now - timedelta(days=back)).date())
        created.append("creator videos")
    if not await Decision.exists(kind="VIDEO_REMOVAL", subject_user_id=creator.id):
        video = await Video.filter(owner_id=creator.id).order_by("id").first()
        if video is not None:
            await Video.filter(id=video.id).update(status="REMOVED", removed_at=now)
            await Decision.create(
                kind="VIDEO_REMOVAL",
                subject_user_id=creator.id,
                video_id=video.id,
                reason="COPYRIGHT",
                statement="The soundtrack matches a copyrighted recording reported by its rights holder.",
                reviewer_id=moderator.id,
                appealable_until=now + window,
            )
            created.append("removal decision")
    if not await Decision.exists(kind="ACCOUNT_BAN", subject_user_id=banned.id):
        await Decision.create(
            kind="ACCOUNT_BAN",
            subject_user_id=banned.id,
            reason="IMPERSONATION",
            statement="The profile name and photo imitate a well-known creator.",
            reviewer_id=moderator.id,
            appealable_until=now + window,
        )
        await set_account_status(services, banned.id, "BANNED", reason="demo ban")
        created.append("wrongful ban")
    return created
