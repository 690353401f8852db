"""The cross-plugin api: counters, daily stats and decision reversal (service level)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.db import use_orm
from plugins.content import api
from plugins.content.models import Decision, Video
from tests.helpers import account_user_pk


async def _video(owner_id: int, **fields) -> Video:
    values = {"title": "clip", "file_key": "k" * 64, "content_type": "video/mp4", "status": "PUBLISHED"}
    values.update(fields)
    return await Video.create(owner_id=owner_id, **values)


async def test_counters_feed_daily_and_video_stats(client):
    account = await client.signup()
    viewer = await client.signup()
    uid = int(account_user_pk(account))
    day1, day2 = date(2025, 3, 1), date(2025, 3, 2)
    with use_orm(client.services.orm):
        video = await _video(uid, tags=["cat"], duration_seconds=12.5)
        other = await _video(uid, title="second")
        await api.record_view(video.id, at=datetime(2025, 3, 1, 10, tzinfo=UTC))
        await api.record_view(video.id, at=datetime(2025, 3, 1, 11, tzinfo=UTC))
        await api.record_view(other.id, at=datetime(2025, 3, 2, 9, tzinfo=UTC))
        assert await api.record_like(video.id, account_user_pk(viewer), at=datetime(2025, 3, 2, tzinfo=UTC))
        assert not await api.record_like(video.id, account_user_pk(viewer))
        await api.record_follow(uid, 3, day=day1)
        await api.record_follow(uid, -1, day=day1)
        await api.record_follow(uid, 2, day=day1)

        days = await api.stats_by_day(uid, day1, day2 + timedelta(days=1))
        per_video = await api.video_stats(uid, day1, day2)
        refreshed = await Video.get(id=video.id)

    assert [d.day for d in days] == [day1, day2, day2 + timedelta(days=1)]
    assert (days[0].views, days[0].likes, days[0].followers_gained, days[0].followers_lost) == (2, 0, 5, 1)
    assert (days[1].views, days[1].likes) == (1, 1)
    assert days[2].views == 0
    stats = {s.video_id: s for s in per_video}
    assert (stats[video.id].views, stats[video.id].likes, stats[video.id].tags) == (2, 1, ["cat"])
    assert stats[other.id].views == 1
    assert (refreshed.views, refreshed.likes) == (2, 1)


async def test_reverse_decision_restores_a_soft_deleted_video_once(client):
    account = await client.signup()
    uid = int(account_user_pk(account))
    now = datetime.now(UTC)
    with use_orm(client.services.orm):
        video = await _video(uid, status="DELETED", deleted_at=now, removed_at=now)
        decision = await Decision.create(
            kind="VIDEO_REMOVAL",
            subject_user_id=uid,
            video_id=video.id,
            reason="SPAM",
            statement="s",
            appealable_until=now + timedelta(days=1),
        )
        first = await api.reverse_decision(client.services, decision.id, actor_id=None, note="wrong")
        second = await api.reverse_decision(client.services, decision.id, actor_id=None, note="again")
        video = await Video.get(id=video.id)
        decision = await Decision.get(id=decision.id)
    assert first.steps == ["VIDEO_RESTORED", "DECISION_REVERSED"]
    assert second.steps == []
    assert (video.status, video.deleted_at, video.removed_at) == ("PUBLISHED", None, None)
    assert decision.reversed_at is not None and decision.reversal_note == "wrong"
