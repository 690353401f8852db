"""What other plugins may use of the content plugin (they never import its service or schema).

- `stats_by_day`, `video_stats`: a creator's daily and per-video numbers (premium analytics).
- `record_view`, `record_like`, `record_share`, `record_follow`: the simple way to count activity.
- `add_published_video`: a video published at a given time, without an upload (demo seed, tests).
- `reverse_decision`: undo a moderation decision inside the caller's transaction (appeals).
- `notify_user`: a bilingual notice to a user in their language (in-app, and email when known).
- `get_decision`, `decisions_by_ids`, `open_decisions_of`, `load_decisions`: moderation decisions
  (appeals); `Decision` is the GraphQL type for `strawberry.lazy("plugins.content.api")`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.functions import Sum

from core.context import Services
from core.errors import DomainError
from core.rows import rows
from plugins.content import models
from plugins.content.models import Like, UserDayStat, Video, VideoDayStat
from plugins.content.notices import notify_user
from plugins.content.types import Decision

__all__ = [
    "DayStat",
    "Decision",
    "decisions_by_ids",
    "get_decision",
    "load_decisions",
    "open_decisions_of",
    "Reversal",
    "VideoStat",
    "bump_video",
    "notify_user",
    "record_follow",
    "record_like",
    "record_share",
    "record_view",
    "reverse_decision",
    "stats_by_day",
    "video_stats",
]

COUNTERS = ("views", "likes", "comments", "shares")


@dataclass(frozen=True)
class DayStat:
    """A creator's totals over all their videos on one UTC day."""

    day: date
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    followers_gained: int = 0
    followers_lost: int = 0


@dataclass(frozen=True)
class VideoStat:
    """One video's numbers over a range of days."""

    video_id: int
    title: str
    duration_seconds: float | None
    tags: list[str]
    published_at: datetime | None
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0


@dataclass
class Reversal:
    """What reversing a decision did: the decision and each restoration step, for an audit trail."""

    decision: models.Decision
    steps: list[str] = field(default_factory=list)


def utc_day(at: datetime | None = None) -> date:
    """The UTC calendar day of `at` (default now)."""
    return (at or datetime.now(UTC)).astimezone(UTC).date()


async def bump_video(video_id: int, day: date, connection: Any = None, **deltas: int) -> None:
    """Add `deltas` (views=1, ...) to a video's totals and to its row for `day`."""
    updates = {name: F(name) + delta for name, delta in deltas.items() if delta}
    if not updates:
        return
    await Video.filter(id=video_id).using_db(connection).update(**updates)
    rows = VideoDayStat.filter(video_id=video_id, day=day).using_db(connection)
    if await rows.update(**updates):
        return
    try:
        await VideoDayStat.create(video_id=video_id, day=day, using_db=connection, **deltas)
    except IntegrityError:
        # Another writer created the row between our update and insert: add to theirs.
        await rows.update(**updates)


async def add_published_video(
    services: Services,
    owner_id: int | str,
    title: str,
    *,
    tags: list[str],
    duration_seconds: float,
    published_at: datetime,
) -> int:
    """Add a video that was published at `published_at`, without an upload or its processing job
    (the demo seed; tests of reports over time): a sample 720x1280 MP4 of `duration_seconds` is
    stored as its file. Returns the video's id."""
    from plugins.content.media import sample_mp4

    stored = await services.storage.save(
        sample_mp4(duration_seconds), allowed=frozenset({"video/mp4"}), max_bytes=1 << 20, field="file"
    )
    video = await Video.create(
        owner_id=int(owner_id),
        title=title,
        tags=list(tags),
        file_key=stored.key,
        content_type=stored.content_type,
        size_bytes=stored.size,
        duration_seconds=duration_seconds,
        width=720,
        height=1280,
        status="PUBLISHED",
        published_at=published_at,
    )
    return video.id


async def _existing_video(video_id: int | str) -> int:
    vid = int(video_id)
    if not await Video.filter(id=vid).exists():
        raise DomainError("NOT_FOUND", field="videoId")
    return vid


async def record_view(video_id: int | str, at: datetime | None = None) -> None:
    """Count one view of a video (on the UTC day of `at`, default now)."""
    await bump_video(await _existing_video(video_id), utc_day(at), views=1)


async def record_share(video_id: int | str, at: datetime | None = None) -> None:
    """Count one share of a video."""
    await bump_video(await _existing_video(video_id), utc_day(at), shares=1)


async def record_like(video_id: int | str, user_id: int | str, at: datetime | None = None) -> bool:
    """Record that `user_id` likes the video; True when this is a new like (a repeat counts once)."""
    vid = await _existing_video(video_id)
    try:
        await Like.create(video_id=vid, user_id=int(user_id))
    except IntegrityError:
        return False
    await bump_video(vid, utc_day(at), likes=1)
    return True


async def record_follow(user_id: int | str, delta: int, day: date | None = None) -> None:
    """Count followers gained (`delta` > 0) or lost (`delta` < 0) by a creator on `day`."""
    if not delta:
        return
    name = "followers_gained" if delta > 0 else "followers_lost"
    day = day or utc_day()
    rows = UserDayStat.filter(user_id=int(user_id), day=day)
    if await rows.update(**{name: F(name) + abs(delta)}):
        return
    try:
        counts: dict[str, Any] = {name: abs(delta)}
        await UserDayStat.create(user_id=int(user_id), day=day, **counts)
    except IntegrityError:
        await rows.update(**{name: F(name) + abs(delta)})


async def stats_by_day(user_id: int | str, start: date, end: date) -> list[DayStat]:
    """Every day from `start` to `end` (inclusive) with the creator's totals (zeros when idle)."""
    uid = int(user_id)
    sums = {name: Sum(name) for name in COUNTERS}
    video_rows = (
        await VideoDayStat.filter(video__owner_id=uid, day__gte=start, day__lte=end)
        .annotate(**{f"s_{k}": v for k, v in sums.items()})
        .group_by("day")
        .values("day", *(f"s_{k}" for k in COUNTERS))
    )
    by_day = {_as_date(row["day"]): row for row in video_rows}
    follows = {
        _as_date(row.day): row for row in await UserDayStat.filter(user_id=uid, day__gte=start, day__lte=end)
    }
    result = []
    day = start
    while day <= end:
        row, follow = by_day.get(day, {}), follows.get(day)
        result.append(
            DayStat(
                day=day,
                **{k: int(row.get(f"s_{k}") or 0) for k in COUNTERS},
                followers_gained=follow.followers_gained if follow else 0,
                followers_lost=follow.followers_lost if follow else 0,
            )
        )
        day += timedelta(days=1)
    return result


async def video_stats(user_id: int | str, start: date, end: date) -> list[VideoStat]:
    """Each of the creator's videos (not deleted, not still processing) with its numbers in the
    range, newest first."""
    uid = int(user_id)
    videos = await Video.filter(owner_id=uid, status__in=("PUBLISHED", "REMOVED")).order_by("-id")
    rows = (
        await VideoDayStat.filter(video__owner_id=uid, day__gte=start, day__lte=end)
        .annotate(**{f"s_{k}": Sum(k) for k in COUNTERS})
        .group_by("video_id")
        .values("video_id", *(f"s_{k}" for k in COUNTERS))
    )
    by_video = {row["video_id"]: row for row in rows}
    return [
        VideoStat(
            video_id=v.id,
            title=v.title,
            duration_seconds=v.duration_seconds,
            tags=list(v.tags or []),
            published_at=v.published_at,
            **{k: int(by_video.get(v.id, {}).get(f"s_{k}") or 0) for k in COUNTERS},
        )
        for v in videos
    ]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


async def reverse_decision(
    services: Services,
    decision_id: int | str,
    *,
    actor_id: int | str | None,
    note: str,
    connection: Any = None,
) -> Reversal:
    """Mark a decision reversed and restore its subject: a removed (or since soft-deleted) video is
    published again, a banned account is ACTIVE again and its restricted sessions are upgraded.

    Runs on `connection` (the caller's transaction) so the caller's own write and the restoration
    commit or roll back together. Reversing an already reversed decision does nothing.
    """
    decision = (
        await models.Decision.filter(id=int(decision_id)).using_db(connection).select_for_update().first()
    )
    if decision is None:
        raise DomainError("NOT_FOUND", field="decisionId")
    reversal = Reversal(decision)
    if decision.reversed_at is not None:
        return reversal
    now = datetime.now(UTC)
    if decision.kind == "VIDEO_REMOVAL" and decision.video_id is not None:
        restored = (
            await Video.filter(id=decision.video_id)
            .using_db(connection)
            .update(status="PUBLISHED", removed_at=None, deleted_at=None)
        )
        if restored:
            reversal.steps.append("VIDEO_RESTORED")
    elif decision.kind == "ACCOUNT_BAN":
        from plugins.account.api import lift_restrictions, set_account_status

        other_bans = (
            await models.Decision.filter(
                kind="ACCOUNT_BAN", subject_user_id=decision.subject_user_id, reversed_at__isnull=True
            )
            .exclude(id=decision.id)
            .using_db(connection)
            .filter(Q(ban_until__isnull=True) | Q(ban_until__gt=now))
            .exists()
        )
        if other_bans:
            # Another standing ban still applies: only this decision is reversed.
            reversal.steps.append("BAN_KEPT_OTHER_DECISION")
        else:
            await set_account_status(services, decision.subject_user_id, "ACTIVE", reason="decision reversed")
            reversal.steps.append("BAN_LIFTED")
            await lift_restrictions(decision.subject_user_id, using_db=connection)
            reversal.steps.append("SESSIONS_UPGRADED")
    decision.reversed_at = now
    decision.reversed_by_id = int(actor_id) if actor_id is not None else None
    decision.reversal_note = note
    await decision.save(using_db=connection, update_fields=["reversed_at", "reversed_by_id", "reversal_note"])
    reversal.steps.append("DECISION_REVERSED")
    return reversal


async def remove_content_of_deleted_user(user_id: int | str) -> int:
    """An account was deleted (`account.deleted`): its videos go to the owner-deleted state, which
    the purge job clears after the restore window (removed videos an appeal could restore stay
    REMOVED), and its comments are deleted. Returns how many videos changed."""
    from datetime import UTC, datetime

    from plugins.content.models import Comment, Video

    now = datetime.now(UTC)
    videos = await Video.filter(owner_id=int(user_id), status__in=["PROCESSING", "PUBLISHED"]).update(
        status="DELETED", deleted_at=now
    )
    await Comment.filter(author_id=int(user_id)).exclude(status="DELETED").update(status="DELETED")
    return videos


async def latest_removal(user_id: int | str) -> dict | None:
    """The newest decision that removed one of the user's videos (with its statement of reasons
    and whether it was reversed), or None. The assistant answers "why was my video removed"."""
    decision = (
        await models.Decision.filter(subject_user_id=int(user_id), kind="VIDEO_REMOVAL")
        .order_by("-id")
        .first()
    )
    if decision is None:
        return None
    video = await Video.get_or_none(id=decision.video_id) if decision.video_id else None
    return {
        "id": decision.id,
        "reason": decision.reason,
        "statement": decision.statement,
        "created_at": decision.created_at,
        "appealable_until": decision.appealable_until,
        "reversed": decision.reversed_at is not None,
        "video_title": getattr(video, "title", None),
    }


async def get_decision(decision_id: int | str, *, lock: bool = False) -> Any:
    """The moderation decision with this id (its row locked until the caller's transaction ends
    when `lock`), or None."""
    query = models.Decision.filter(id=int(decision_id))
    return await (query.select_for_update() if lock else query).first()


async def decisions_by_ids(decision_ids: list[int]) -> dict[int, Any]:
    """Moderation decisions by id (unknown ids are missing), one query."""
    return {d.id: d for d in await models.Decision.filter(id__in=list(decision_ids))}


async def open_decisions_of(user_id: int | str) -> list[Any]:
    """The user's decisions not reversed whose appeal window is still open, newest first."""
    return await models.Decision.filter(
        subject_user_id=int(user_id), reversed_at__isnull=True, appealable_until__gt=datetime.now(UTC)
    ).order_by("-id")


#: What a GraphQL decision (and its resolvers, and `can_view_decision`) read of a row.
DECISION_COLUMNS = (
    "kind", "subject_user_id", "video_id", "reason", "statement", "reviewer_id", "created_at",
    "appealable_until", "ban_until", "lifted_at", "reversed_at", "reversed_by_id", "reversal_note",
)  # fmt: skip


async def load_decisions(ids: list[int], context: Any) -> list[Any]:
    """GraphQL `Decision`s for `ids` in order (None where missing), one query."""
    from plugins.content.types import Decision

    query = models.Decision.filter(id__in=list(ids))
    found = {row.pk: row for row in await rows(query, DECISION_COLUMNS)}
    return [Decision.from_model(found[i], context) if i in found else None for i in ids]
