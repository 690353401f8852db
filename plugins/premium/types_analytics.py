"""GraphQL types of the analytics report and promotion advice (paid add-ons)."""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry

from plugins.premium.advice import Advice
from plugins.premium.analytics import WEEKDAYS, Report, Slot, Totals, rate
from schema.relay import to_global_id


@strawberry.type(description="Totals over a period.")
class AnalyticsTotals:
    views: int = strawberry.field(description="Video views.")
    likes: int = strawberry.field(description="Likes.")
    comments: int = strawberry.field(description="Comments.")
    shares: int = strawberry.field(description="Shares.")
    engagement_rate: float = strawberry.field(description="(likes + comments + shares) / views.")
    followers_gained: int = strawberry.field(description="New followers.")
    followers_lost: int = strawberry.field(description="Followers who left.")
    follower_change: int = strawberry.field(description="Gained minus lost.")
    videos_published: int = strawberry.field(description="Videos published in the period.")

    @classmethod
    def of(cls, t: Totals) -> AnalyticsTotals:
        return cls(
            views=t.views,
            likes=t.likes,
            comments=t.comments,
            shares=t.shares,
            engagement_rate=t.engagement_rate,
            followers_gained=t.followers_gained,
            followers_lost=t.followers_lost,
            follower_change=t.follower_change,
            videos_published=t.videos_published,
        )


@strawberry.enum(description="Which way a metric moved against the previous period.")
class TrendDirection(enum.Enum):
    UP = "UP"
    DOWN = "DOWN"
    FLAT = "FLAT"


@strawberry.type(description="A metric now and in the previous period of the same length.")
class MetricTrend:
    metric: str = strawberry.field(
        description="views, likes, comments, shares, engagement_rate, follower_change or videos_published."
    )
    current: float = strawberry.field(description="Value in this period.")
    previous: float = strawberry.field(description="Value in the previous period.")
    change_percent: float | None = strawberry.field(
        description="Change in percent; null when the previous value was 0."
    )
    direction: TrendDirection = strawberry.field(description="UP, DOWN or FLAT.")


@strawberry.type(description="One day's numbers.")
class AnalyticsDay:
    day: date = strawberry.field(description="UTC day.")
    views: int = strawberry.field(description="Views.")
    likes: int = strawberry.field(description="Likes.")
    comments: int = strawberry.field(description="Comments.")
    shares: int = strawberry.field(description="Shares.")
    followers_gained: int = strawberry.field(description="New followers.")
    followers_lost: int = strawberry.field(description="Followers who left.")


@strawberry.type(description="A video's numbers in the period.")
class VideoPerformance:
    video_id: strawberry.ID = strawberry.field(description="The `Video`'s global ID.")
    title: str = strawberry.field(description="Title.")
    views: int = strawberry.field(description="Views in the period.")
    likes: int = strawberry.field(description="Likes in the period.")
    comments: int = strawberry.field(description="Comments in the period.")
    shares: int = strawberry.field(description="Shares in the period.")
    engagement_rate: float = strawberry.field(description="Interactions per view.")
    duration_seconds: float | None = strawberry.field(description="Length.")
    published_at: datetime | None = strawberry.field(description="When it was published.")


@strawberry.type(description="How videos published in one hour of the day or on one weekday did.")
class PostingSlot:
    slot: int = strawberry.field(
        description="Hour 0-23, or weekday 1 (Monday) to 7, at the report's UTC offset."
    )
    label: str = strawberry.field(description="e.g. `19:00` or `Friday` / `周五`.")
    videos: int = strawberry.field(description="Videos published in this slot.")
    average_views: float = strawberry.field(description="Their average views in the period.")
    average_engagement_rate: float = strawberry.field(description="Their engagement rate.")


@strawberry.type(description="Your account analytics over `days` days against the days before.")
class AnalyticsReport:
    days: int = strawberry.field(description="Length of the period.")
    since: date = strawberry.field(description="First day (UTC).")
    until: date = strawberry.field(description="Last day (UTC, today).")
    utc_offset_hours: int = strawberry.field(description="Offset used for posting hours and weekdays.")
    totals: AnalyticsTotals = strawberry.field(description="This period.")
    previous: AnalyticsTotals = strawberry.field(description="The previous period of the same length.")
    trends: list[MetricTrend] = strawberry.field(description="Each metric against the previous period.")
    daily: list[AnalyticsDay] = strawberry.field(description="Every day of the period.")
    top_videos: list[VideoPerformance] = strawberry.field(description="Most viewed videos (up to 5).")
    best_hours: list[PostingSlot] = strawberry.field(
        description="Publishing hours, best average views first."
    )
    best_weekdays: list[PostingSlot] = strawberry.field(description="Publishing weekdays, best first.")
    csv: str = strawberry.field(description="The daily numbers as CSV text.")
    csv_url: str = strawberry.field(description="Download the CSV (GET with the same Bearer token).")


def _slot(s: Slot, label: str) -> PostingSlot:
    return PostingSlot(
        slot=s.slot,
        label=label,
        videos=s.videos,
        average_views=s.average_views,
        average_engagement_rate=s.average_engagement_rate,
    )


def report_type(report: Report, language: str, csv_text: str, csv_url: str) -> AnalyticsReport:
    """The GraphQL shape of a computed report."""
    names = WEEKDAYS["zh-CN" if language == "zh-CN" else "en"]
    return AnalyticsReport(
        days=report.days,
        since=report.since,
        until=report.until,
        utc_offset_hours=report.utc_offset_hours,
        totals=AnalyticsTotals.of(report.totals),
        previous=AnalyticsTotals.of(report.previous),
        trends=[
            MetricTrend(
                metric=t.metric,
                current=t.current,
                previous=t.previous,
                change_percent=t.change_percent,
                direction=TrendDirection(t.direction),
            )
            for t in report.trends
        ],
        daily=[
            AnalyticsDay(
                day=d.day,
                views=d.views,
                likes=d.likes,
                comments=d.comments,
                shares=d.shares,
                followers_gained=d.followers_gained,
                followers_lost=d.followers_lost,
            )
            for d in report.daily
        ],
        top_videos=[
            VideoPerformance(
                video_id=to_global_id("Video", v.video_id),
                title=v.title,
                views=v.views,
                likes=v.likes,
                comments=v.comments,
                shares=v.shares,
                engagement_rate=rate(v.likes + v.comments + v.shares, v.views),
                duration_seconds=v.duration_seconds,
                published_at=v.published_at,
            )
            for v in report.top_videos()
        ],
        best_hours=[_slot(s, f"{s.slot:02d}:00") for s in report.best_hours],
        best_weekdays=[_slot(s, names[s.slot - 1]) for s in report.best_weekdays],
        csv=csv_text,
        csv_url=csv_url,
    )


@strawberry.enum(description="What a piece of advice is about.")
class AdviceKind(enum.Enum):
    START = "START"
    POSTING_TIME = "POSTING_TIME"
    LENGTH = "LENGTH"
    TAGS = "TAGS"
    CONTENT = "CONTENT"
    FREQUENCY = "FREQUENCY"


@strawberry.type(description="One concrete suggestion and the numbers that justify it.")
class AdviceItem:
    kind: AdviceKind = strawberry.field(description="What it is about.")
    title: str = strawberry.field(description="What to do, in the request's language.")
    detail: str = strawberry.field(description="Why: your numbers behind it.")
    confidence: float = strawberry.field(description="0-1: how much data supports it.")


@strawberry.type(description="Personalised promotion advice from your last 30 days.")
class PromotionAdvice:
    generated_at: datetime = strawberry.field(description="When it was computed.")
    based_on_days: int = strawberry.field(description="Days of data it uses.")
    items: list[AdviceItem] = strawberry.field(description="Suggestions, most useful first.")

    @classmethod
    def of(cls, items: list[Advice], days: int, at: datetime) -> PromotionAdvice:
        return cls(
            generated_at=at,
            based_on_days=days,
            items=[
                AdviceItem(kind=AdviceKind(a.kind), title=a.title, detail=a.detail, confidence=a.confidence)
                for a in items
            ],
        )
