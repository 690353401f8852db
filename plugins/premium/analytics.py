"""The analytics report: a creator's numbers over `days` days against the `days` before, from the
content plugin's statistics (`plugins.content.api`). Pure computation after two reads."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.context import Services
from core.errors import DomainError
from core.plugins import enabled

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh-CN": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
METRICS = ("views", "likes", "comments", "shares", "engagement_rate", "follower_change", "videos_published")


@dataclass(frozen=True)
class Totals:
    """Sums over a period."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    followers_gained: int = 0
    followers_lost: int = 0
    videos_published: int = 0

    @property
    def interactions(self) -> int:
        """Likes, comments and shares."""
        return self.likes + self.comments + self.shares

    @property
    def engagement_rate(self) -> float:
        """Interactions per view."""
        return rate(self.interactions, self.views)

    @property
    def follower_change(self) -> int:
        """Followers gained minus lost."""
        return self.followers_gained - self.followers_lost


@dataclass(frozen=True)
class Trend:
    """A metric now and in the previous period; `change_percent` is None when it was 0 before."""

    metric: str
    current: float
    previous: float

    @property
    def change_percent(self) -> float | None:
        if not self.previous:
            return None
        return round((self.current - self.previous) / abs(self.previous) * 100, 1)

    @property
    def direction(self) -> str:
        return "UP" if self.current > self.previous else "DOWN" if self.current < self.previous else "FLAT"


@dataclass(frozen=True)
class Slot:
    """Videos published in one hour of the day (0-23) or weekday (1 = Monday)."""

    slot: int
    videos: int
    average_views: float
    average_engagement_rate: float


@dataclass
class Report:
    """Everything the report shows."""

    days: int
    since: date
    until: date
    utc_offset_hours: int
    daily: list[Any]
    videos: list[Any]
    totals: Totals
    previous: Totals
    #: Videos published in the period: what posting time, length and tags are judged on.
    published: list[Any] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    best_hours: list[Slot] = field(default_factory=list)
    best_weekdays: list[Slot] = field(default_factory=list)

    def top_videos(self, limit: int = 5) -> list[Any]:
        """Most viewed videos of the period."""
        return sorted(self.videos, key=lambda v: (-v.views, -v.video_id))[:limit]


def rate(part: float, whole: float) -> float:
    """`part / whole` rounded to 4 places (0 when `whole` is 0)."""
    return round(part / whole, 4) if whole else 0.0


def _totals(daily: list[Any], published: int) -> Totals:
    return Totals(
        views=sum(d.views for d in daily),
        likes=sum(d.likes for d in daily),
        comments=sum(d.comments for d in daily),
        shares=sum(d.shares for d in daily),
        followers_gained=sum(d.followers_gained for d in daily),
        followers_lost=sum(d.followers_lost for d in daily),
        videos_published=published,
    )


def slots(videos: list[Any], key: Any) -> list[Slot]:
    """Group published videos by `key(local publish time)`, best average views first."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for video in videos:
        groups[key(video)].append(video)
    found = [
        Slot(
            slot,
            len(items),
            round(sum(v.views for v in items) / len(items), 1),
            rate(sum(v.likes + v.comments + v.shares for v in items), sum(v.views for v in items)),
        )
        for slot, items in groups.items()
    ]
    return sorted(found, key=lambda s: (-s.average_views, -s.average_engagement_rate, s.slot))


def check_days(days: int) -> int:
    """1 to 365 days."""
    if not 1 <= days <= 365:
        raise DomainError("INVALID_INPUT", field="days", detail="days: 1 to 365")
    return days


async def _content_stats(
    services: Services, user_id: int | str, before: date, since: date, until: date
) -> tuple:
    """Daily totals since `before` and per-video numbers since `since`; a deployment without the
    content plugin (it is optional for premium) has a creator with no videos."""
    if services is not None and not enabled(services.pm, "content"):
        return [], []
    from plugins.content import api as content

    return await content.stats_by_day(user_id, before, until), await content.video_stats(
        user_id, since, until
    )


async def build(
    user_id: int | str,
    days: int,
    utc_offset_hours: int = 8,
    today: date | None = None,
    *,
    services: Any = None,
) -> Report:
    """Read the content statistics of the period and the one before, and compute the report."""
    check_days(days)
    if not -12 <= utc_offset_hours <= 14:
        raise DomainError("INVALID_INPUT", field="utcOffsetHours", detail="-12 to 14")
    until = today or datetime.now(UTC).date()
    since = until - timedelta(days=days - 1)
    before = since - timedelta(days=days)
    # Every video of the creator, with its numbers of the current period.
    daily_all, videos = await _content_stats(services, user_id, before, since, until)
    daily = [d for d in daily_all if d.day >= since]
    previous_daily = [d for d in daily_all if d.day < since]
    offset = timedelta(hours=utc_offset_hours)

    def published_between(start: date, end: date) -> list[Any]:
        return [v for v in videos if v.published_at and start <= (v.published_at + offset).date() <= end]

    current_published = published_between(since, until)
    totals = _totals(daily, len(current_published))
    previous = _totals(previous_daily, len(published_between(before, since - timedelta(days=1))))
    timed = current_published
    report = Report(days, since, until, utc_offset_hours, daily, videos, totals, previous, timed)
    report.trends = [
        Trend(metric, float(getattr(totals, metric)), float(getattr(previous, metric))) for metric in METRICS
    ]
    report.best_hours = slots(timed, lambda v: (v.published_at + offset).hour)
    report.best_weekdays = slots(timed, lambda v: (v.published_at + offset).isoweekday())
    return report


def to_csv(report: Report) -> str:
    """One row per day, then the totals of both periods (UTF-8, comma separated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "date",
            "views",
            "likes",
            "comments",
            "shares",
            "followers_gained",
            "followers_lost",
            "engagement_rate",
        ]
    )
    for d in report.daily:
        writer.writerow(
            [
                d.day.isoformat(),
                d.views,
                d.likes,
                d.comments,
                d.shares,
                d.followers_gained,
                d.followers_lost,
                rate(d.likes + d.comments + d.shares, d.views),
            ]
        )
    for label, t in (("total", report.totals), ("previous_period_total", report.previous)):
        writer.writerow(
            [
                label,
                t.views,
                t.likes,
                t.comments,
                t.shares,
                t.followers_gained,
                t.followers_lost,
                t.engagement_rate,
            ]
        )
    return out.getvalue()
